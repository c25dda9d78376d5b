using BenchmarkDotNet.Attributes;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P13: the canary routing query (<see cref="Integration.Route(Installation, ReadOnlySpan{char}, NodaTime.Instant)"/>)
/// with an active canary, in memory: target ≤ 50 ns and 0 B per execution. Beside P3 (<see cref="NewInstallationBenchmarks"/>).
/// </summary>
/// <remarks>
/// Each invocation routes <see cref="Executions"/> precomputed executions (a run id of 36 characters, the length of a
/// GUID, and an installation) and reports the time per execution. <c>Covered</c>: every installation is pinned to the
/// canary's source version, so every execution is hashed (the worst case, and the P13 row). <c>Mixed</c>: a quarter
/// pinned elsewhere, a user-within-account scope covering half of the rest. <c>NoCanary</c>: the same integration with
/// no canary, the baseline.
/// </remarks>
[MemoryDiagnoser]
public class CanaryRoutingBenchmarks
{
    /// <summary>Executions routed per invocation.</summary>
    public const int Executions = 16;

    private Integration _covered = null!;
    private Integration _mixed = null!;
    private Integration _none = null!;
    private Installation[] _coveredInstallations = [];
    private Installation[] _mixedInstallations = [];
    private Installation[] _noneInstallations = [];
    private string[] _keys = [];

    /// <summary>Builds the integrations (10 versions; 0.8.0 Available, 0.9.0 Promoted), the canaries and the executions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (from, to) = (BenchmarkData.Number(8), BenchmarkData.Number(9));
        _covered = BenchmarkData.IntegrationWithVersions(10);
        _covered.StartCanary(from, to, 10, NodaTime.Duration.FromHours(1), CanaryScope.All, true, BenchmarkData.Owner, BenchmarkData.At);
        _mixed = BenchmarkData.IntegrationWithVersions(10);
        _mixed.StartCanary(from, to, 50, NodaTime.Duration.FromHours(1), CanaryScope.ForUserInAccount("user-1", "account-1"), true, BenchmarkData.Owner, BenchmarkData.At);
        _none = BenchmarkData.IntegrationWithVersions(10);

        _coveredInstallations = [.. Enumerable.Range(0, Executions).Select(i => NewInstallation(_covered.Id, from, OwnerRef.Account($"account-{i}")))];
        _mixedInstallations = [.. Enumerable.Range(0, Executions).Select(i => NewInstallation(_mixed.Id, i % 4 == 0 ? to : from, i % 2 == 0 ? OwnerRef.User("user-1") : OwnerRef.Account("account-1")))];
        _noneInstallations = [.. Enumerable.Range(0, Executions).Select(i => NewInstallation(_none.Id, from, OwnerRef.Account($"account-{i}")))];

        // Run ids of 36 characters (a GUID's length). The canary ids are random, so draw keys until both versions are
        // chosen among the covered executions: both branches of the routing answer are then exercised.
        var random = new Random(13);
        do
        {
            _keys = [.. Enumerable.Range(0, Executions).Select(_ => new Guid(random.NextBytes(16)).ToString("D"))];
        }
        while (Covered() is 0 or Executions || Mixed() == 0);
    }

    /// <summary>Baseline: no canary, so every execution runs its pinned version.</summary>
    /// <returns>How many executions were diverted (0).</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Executions)]
    public int NoCanary() => Route(_none, _noneInstallations, default);

    /// <summary>P13: an active canary (10 %) covering every installation: each execution is hashed.</summary>
    /// <returns>How many executions were diverted.</returns>
    [Benchmark(OperationsPerInvoke = Executions)]
    public int Covered() => Route(_covered, _coveredInstallations, default);

    /// <summary>An active user-within-account canary (50 %): some installations pinned elsewhere, some outside the scope.</summary>
    /// <returns>How many executions were diverted.</returns>
    [Benchmark(OperationsPerInvoke = Executions)]
    public int Mixed() => Route(_mixed, _mixedInstallations, "account-1");

    private int Route(Integration integration, Installation[] installations, ReadOnlySpan<char> account)
    {
        var diverted = 0;
        var keys = _keys;
        for (var i = 0; i < installations.Length; i++)
        {
            var installation = installations[i];
            if (integration.Route(installation, keys[i], account, BenchmarkData.At) != installation.Pinned)
            {
                diverted++;
            }
        }

        return diverted;
    }

    private static Installation NewInstallation(IntegrationId id, VersionNumber pinned, OwnerRef owner) => new()
    {
        Id = InstallationId.New(),
        Product = ProductRef.Of(id),
        Owner = owner,
        Pinned = VersionKey.ForVersion(pinned),
        Status = RunStatus.Running,
        CreatedAt = BenchmarkData.At,
        UpdatedAt = BenchmarkData.At,
    };
}

file static class RandomExtensions
{
    public static byte[] NextBytes(this Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
