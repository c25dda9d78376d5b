namespace Versioning.Core.Installations;

/// <summary>
/// Deterministic, sticky percentage cohorts (M4), defined so that a database can select them without reading the
/// installations into the process (P10). Every installation has a stable 16-bit <see cref="InstallationBucket"/>, a
/// function of its id alone (a polynomial hash of the id's 16 big-endian bytes modulo 2³¹ − 1, kept to its low 16
/// bits), which the durable stores store and index. A version pair (A, B) permutes the 65 536 buckets with an affine map
/// <c>position = (bucket × m + s) mod 65 536</c> (m odd, so the map is a bijection; m and s come from a 64-bit hash of
/// the unordered pair, FNV-1a over the UTF-16 keys then the MurmurHash3 finaliser), and an installation is in a
/// p % cohort when its position is below p % of 65 536. Nothing depends on the process (unlike
/// <see cref="string.GetHashCode()"/>), so every host, store and run agrees; raising 10 % to 50 % keeps the first 10 %;
/// and because the pair is unordered, reverting (a migration from B back to A at the same percentage) selects the same
/// cohort. <see cref="Predicate"/> gives the same test as three integers a store can put in its SQL.
/// </summary>
public static class Cohort
{
    /// <summary>How many stable buckets there are (<see cref="InstallationBucket"/> is below this).</summary>
    public const int BucketCount = 65_536;

    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The modulus of the id hash (the Mersenne prime 2³¹ − 1), and its multiplier (the 32-bit FNV prime).</summary>
    private const long IdModulus = 2_147_483_647;
    private const long IdMultiplier = 16_777_619;

    [ThreadStatic]
    private static PairCache? _lastPair;

    /// <summary>
    /// The stable bucket 0–65 535 of an installation, a function of its id alone: h = 0, then for each of the id's 16
    /// bytes in big-endian (RFC 9562) order h = (h × 16 777 619 + byte) mod 2 147 483 647; the bucket is h mod 65 536.
    /// Integer arithmetic that never exceeds 2⁵⁶, so SQL computes the same value (the durable stores fill their
    /// <c>cohort_bucket</c> column with it).
    /// </summary>
    /// <param name="id">The installation.</param>
    /// <returns>The bucket.</returns>
    public static int InstallationBucket(InstallationId id)
    {
        Span<byte> guid = stackalloc byte[16];
        id.Value.TryWriteBytes(guid, bigEndian: true, out _);
        long h = 0;
        foreach (var b in guid)
        {
            h = ((h * IdMultiplier) + b) % IdModulus;
        }

        return (int)(h & (BucketCount - 1));
    }

    /// <summary>The bucket 0–99 of an installation for the pair (<paramref name="a"/>, <paramref name="b"/>), in either order.</summary>
    /// <param name="id">The installation.</param>
    /// <param name="a">One version of the pair.</param>
    /// <param name="b">The other version of the pair.</param>
    /// <returns>The bucket: its position in the pair's permutation, scaled to 0–99.</returns>
    public static int Bucket(InstallationId id, VersionKey a, VersionKey b)
        => (int)((Position(InstallationBucket(id), PairSeed(a, b)) * 100) >> 16);

    /// <summary>Whether an installation is in the first <paramref name="percent"/> buckets for the pair.</summary>
    /// <param name="id">The installation.</param>
    /// <param name="a">One version of the pair.</param>
    /// <param name="b">The other version of the pair.</param>
    /// <param name="percent">0–100.</param>
    /// <returns>True when selected.</returns>
    public static bool IsSelected(InstallationId id, VersionKey a, VersionKey b, int percent)
        => percent >= 100 || (percent > 0 && (long)Position(InstallationBucket(id), PairSeed(a, b)) < Threshold(percent));

    /// <summary>
    /// The p % cohort of a pair as a test on the stored bucket:
    /// <c>((bucket × Multiplier + Offset) mod 65 536) &lt; Threshold</c>, the same answer as <see cref="IsSelected"/>.
    /// </summary>
    /// <param name="a">One version of the pair.</param>
    /// <param name="b">The other version of the pair.</param>
    /// <param name="percent">0–100.</param>
    /// <returns>The predicate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside 0–100.</exception>
    public static CohortPredicate Predicate(VersionKey a, VersionKey b, int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var seed = PairSeed(a, b);
        return new CohortPredicate((long)Multiplier(seed), (long)Offset(seed), Threshold(percent));
    }

    /// <summary>Positions below this are in the p % cohort: ⌈p × 65 536 / 100⌉, so a position is selected exactly when its 0–99 bucket is below p.</summary>
    private static long Threshold(int percent) => ((percent * (long)BucketCount) + 99) / 100;

    private static ulong Multiplier(ulong seed) => (seed & 0xFFFF) | 1;

    private static ulong Offset(ulong seed) => (seed >> 16) & 0xFFFF;

    private static ulong Position(int bucket, ulong seed) => (((ulong)bucket * Multiplier(seed)) + Offset(seed)) & 0xFFFF;

    private static ulong PairSeed(VersionKey a, VersionKey b)
    {
        var cache = _lastPair;
        if (cache is not null && cache.A == a && cache.B == b)
        {
            return cache.Seed;
        }

        var (low, high) = a.CompareTo(b) <= 0 ? (a, b) : (b, a);
        var hash = Mix(FnvOffset, low.Value);
        hash = (hash ^ 0xFF) * FnvPrime;
        hash = Finish(Mix(hash, high.Value));
        _lastPair = new PairCache(a, b, hash);
        return hash;
    }

    private static ulong Mix(ulong hash, string text)
    {
        // Each UTF-16 code unit as two bytes, low then high: fixed across platforms and processes.
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }

        return hash;
    }

    private static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }

    private sealed record PairCache(VersionKey A, VersionKey B, ulong Seed);
}
