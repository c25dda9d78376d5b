namespace Versioning.Core.Installations;

/// <summary>
/// A percentage cohort of one version pair as a test on an installation's stored
/// <see cref="Cohort.InstallationBucket"/>: selected when <c>((bucket × Multiplier + Offset) mod 65 536) &lt; Threshold</c>.
/// Three integers a store can bind as parameters, so the database selects a batch itself (P10).
/// </summary>
/// <param name="Multiplier">The odd multiplier of the pair's permutation of the buckets (1–65 535).</param>
/// <param name="Offset">The offset of the permutation (0–65 535).</param>
/// <param name="Threshold">Positions below this are selected (0–65 536).</param>
public sealed record CohortPredicate(long Multiplier, long Offset, long Threshold)
{
    /// <summary>Whether an installation with this stored bucket is in the cohort.</summary>
    /// <param name="bucket">Its <see cref="Cohort.InstallationBucket"/>.</param>
    /// <returns>True when selected.</returns>
    public bool Selects(int bucket) => (((bucket * Multiplier) + Offset) & (Cohort.BucketCount - 1)) < Threshold;
}
