using BenchmarkDotNet.Attributes;
using Versioning.Core.Integrations;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P2: promoting on an <see cref="Integration"/> aggregate must cost the same with 10 000 versions as with 10 (target:
/// within 2×). Each operation promotes the Available one of the last two versions, which demotes the other: the
/// aggregate's shape never changes, only its history grows.
/// </summary>
/// <remarks>
/// Promote appends two audit entries and two pending events per call, so an aggregate promoted millions of times in one
/// process would grow without bound and the figure would depend on how long the run lasted. Instead, every
/// <see cref="ResetEvery"/> operations the aggregate is rebuilt from a snapshot taken in the setup (no
/// <c>[IterationSetup]</c>, which would distort a sub-microsecond figure). The rebuild copies the version list and the
/// history once (O(n)); spread over <see cref="ResetEvery"/> promotions it is part of the measured mean, and the
/// 10-vs-10 000 comparison shows that it stays small.
/// </remarks>
[MemoryDiagnoser]
public class IntegrationPromoteBenchmarks
{
    /// <summary>Promotions between two rebuilds of the aggregate (even, so the rebuild always finds the same state).</summary>
    public const int ResetEvery = 4096;

    private static readonly IPromotionCheck[] NoChecks = [];

    private IntegrationSnapshot _snapshot = null!;
    private Integration _integration = null!;
    private VersionNumber _available;
    private VersionNumber _promoted;
    private int _sinceReset;

    /// <summary>How many versions the integration has.</summary>
    [Params(10, 1_000, 10_000)]
    public int Versions { get; set; }

    /// <summary>Builds the integration and keeps its snapshot for the periodic rebuild.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var built = BenchmarkData.IntegrationWithVersions(Versions);
        _snapshot = built.ToSnapshot();
        _available = BenchmarkData.Number(Versions - 2);
        _promoted = BenchmarkData.Number(Versions - 1);
        Reset();
    }

    /// <summary>One promotion (Available → Promoted, Promoted → Available) on the in-memory aggregate.</summary>
    /// <returns>The warnings (none).</returns>
    [Benchmark]
    public IReadOnlyList<PromotionFinding> Promote()
    {
        if (++_sinceReset > ResetEvery)
        {
            Reset();
            _sinceReset = 1;
        }

        var next = _available;
        _available = _promoted;
        _promoted = next;
        return _integration.Promote(next, NoChecks, BenchmarkData.Owner, BenchmarkData.At);
    }

    private void Reset()
    {
        _integration = Integration.FromSnapshot(_snapshot);
        _available = BenchmarkData.Number(Versions - 2);
        _promoted = BenchmarkData.Number(Versions - 1);
    }
}
