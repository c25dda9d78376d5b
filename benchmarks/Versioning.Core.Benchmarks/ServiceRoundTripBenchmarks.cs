using NodaTime.Testing;
using BenchmarkDotNet.Attributes;
using Versioning.Core.Authorization;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P4: one service command end to end on the in-memory store: <see cref="IntegrationService.PromoteAsync"/> loads the
/// integration (a private copy rebuilt from the stored snapshot), checks the access policy, promotes, and saves with
/// the loaded revision (snapshot, revision check, events appended), inside the command runner (activity, counters,
/// conflict retry). Target ≤ 2 µs.
/// </summary>
/// <remarks>
/// Each promotion appends two audit entries to the stored history and two events to the store's stream, so every
/// <see cref="ResetEvery"/> operations the stored integration is put back to the snapshot taken in the setup and the
/// event stream is emptied (no <c>[IterationSetup]</c>). The integration therefore keeps the size the parameters say:
/// <see cref="Versions"/> versions and a history of about <see cref="History"/> entries.
/// </remarks>
[MemoryDiagnoser]
public class ServiceRoundTripBenchmarks
{
    /// <summary>Promotions between two resets of the store (even, so the reset always finds the same state).</summary>
    public const int ResetEvery = 32;

    private InMemoryStore _store = null!;
    private IntegrationService _service = null!;
    private IntegrationSnapshot _snapshot = null!;
    private InMemoryStoredIntegration? _stored;
    private VersionNumber _available;
    private VersionNumber _promoted;
    private int _sinceReset;

    /// <summary>How many versions the integration has.</summary>
    [Params(10, 1_000)]
    public int Versions { get; set; }

    /// <summary>About how many audit entries the integration's history holds.</summary>
    [Params(100, 10_000)]
    public int History { get; set; }

    /// <summary>Builds the store, the service and the integration.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var integration = BenchmarkData.IntegrationWithVersions(Versions);
        var notes = BenchmarkData.Number(0);
        for (var i = integration.AuditTrail.Count; i < History; i++)
        {
            integration.SetNotes(notes, $"Notes revision {i}.", BenchmarkData.Owner, BenchmarkData.At);
        }

        _store = new InMemoryStore();
        var repository = new InMemoryIntegrationRepository(_store);
        repository.SaveAsync(integration).GetAwaiter().GetResult();
        _snapshot = integration.ToSnapshot();
        _service = new IntegrationService(
            repository,
            new InMemoryInstallationRepository(_store),
            [],
            new DefaultAccessPolicy(),
            new FakeClock(BenchmarkData.At),
            new VersioningOptions());
        Reset();
    }

    /// <summary>Load, promote (Available → Promoted, Promoted → Available), save.</summary>
    /// <returns>The promotion result.</returns>
    [Benchmark]
    public Task<PromotionResult> PromoteRoundTrip()
    {
        if (++_sinceReset > ResetEvery)
        {
            Reset();
            _sinceReset = 1;
        }

        var next = _available;
        _available = _promoted;
        _promoted = next;
        return _service.PromoteAsync(_snapshot.Id, next, BenchmarkData.Owner);
    }

    private void Reset()
    {
        lock (_store.Gate)
        {
            // The store keeps the history beside the snapshot (InMemoryStore.Trails): cut it back to the setup's length.
            // The stored form is immutable: the one built in the setup is put back as it is, so a reset costs the same
            // whatever the version count (rebuilding it every 32 operations made 1 000 versions look 2.4x slower).
            _store.Integrations[_snapshot.Id] = _stored ??= InMemoryStoredIntegration.From(_snapshot, _snapshot.Revision);
            var trail = _store.Trails[_snapshot.Id.Value];
            trail.RemoveRange(_snapshot.AuditTrail.Length, trail.Count - _snapshot.AuditTrail.Length);
            _store.Events.Clear();
        }

        _available = BenchmarkData.Number(Versions - 2);
        _promoted = BenchmarkData.Number(Versions - 1);
    }
}
