using NodaTime;
using Versioning.Core.Integrations;

namespace Versioning.Core.Benchmarks;

/// <summary>Builds the aggregates the suites measure, the way an application would (through the domain's own commands).</summary>
internal static class BenchmarkData
{
    /// <summary>The team member every suite acts as.</summary>
    public static readonly ActorId Owner = new("owner@example.com");

    /// <summary>The instant every suite acts at.</summary>
    public static readonly Instant At = Instant.FromUtc(2025, 1, 15, 12, 0);

    /// <summary>The number of the <paramref name="index"/>th version: 0.0.0, 0.1.0 … 0.999.0, 1.0.0 … (unique, ascending).</summary>
    /// <param name="index">0 to 999 999.</param>
    /// <returns>The version number.</returns>
    public static VersionNumber Number(int index) => new(index / 1000, index % 1000, 0);

    /// <summary>
    /// An integration with <paramref name="versionCount"/> Private versions created one by one (sequential numbering off),
    /// so its history has one entry per version; then the last two are promoted in turn, leaving the last Promoted and the
    /// one before it Available.
    /// </summary>
    /// <param name="versionCount">At least 2.</param>
    /// <returns>The integration, with its creation still pending (not saved).</returns>
    public static Integration IntegrationWithVersions(int versionCount)
    {
        var integration = Integration.Create(IntegrationId.New(), $"Benchmark integration with {versionCount} versions", Owner, At);
        for (var i = 0; i < versionCount; i++)
        {
            integration.CreateVersion(Number(i), null, null, sequentialNumbering: false, Owner, At);
        }

        integration.Promote(Number(versionCount - 2), [], Owner, At);
        integration.Promote(Number(versionCount - 1), [], Owner, At);
        return integration;
    }
}
