using Versioning.Core.Integrations;

namespace Versioning.Core.Persistence;

/// <summary>A thread-safe in-memory <see cref="IIntegrationRepository"/>; the default registration.</summary>
/// <param name="store">The shared in-memory state.</param>
public sealed class InMemoryIntegrationRepository(InMemoryStore store) : IIntegrationRepository
{
    private readonly InMemoryStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc />
    public Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default) => Load(id, wholeTrail: true, cancellationToken);

    /// <inheritdoc />
    public Task<Integration?> FindWithoutAuditTrailAsync(IntegrationId id, CancellationToken cancellationToken = default) => Load(id, wholeTrail: false, ItemSelection.All, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Reads only the selected versions and the Promoted one (a lookup each), so the cost does not grow with the integration.</remarks>
    public Task<Integration?> FindForCommandAsync(IntegrationId id, ItemSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return Load(id, wholeTrail: false, selection, cancellationToken);
    }

    private Task<Integration?> Load(IntegrationId id, bool wholeTrail, CancellationToken cancellationToken) => Load(id, wholeTrail, ItemSelection.All, cancellationToken);

    private Task<Integration?> Load(IntegrationId id, bool wholeTrail, ItemSelection selection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IntegrationSnapshot? snapshot = null;
        lock (_store.Gate)
        {
            if (_store.Integrations.TryGetValue(id, out var stored))
            {
                snapshot = stored.Load(selection);
                snapshot = wholeTrail
                    ? snapshot with { AuditTrail = _store.TrailOf(id.Value) }
                    : snapshot with { AuditTrailStart = _store.TrailLength(id.Value) };
            }
        }

        return Task.FromResult(snapshot is null ? null : Integration.FromSnapshot(snapshot));
    }

    /// <inheritdoc />
    public Task SaveAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = Prepare(integration);
        lock (_store.Gate)
        {
            Check(_store, integration);
            Apply(_store, integration, snapshot);
        }

        integration.MarkSaved(integration.Revision + 1);
        return Task.CompletedTask;
    }

    /// <summary>The snapshot to store, refused when it breaks what the durable stores enforce in their schema.</summary>
    internal static IntegrationSnapshot Prepare(Integration integration)
    {
        var snapshot = integration.ToSnapshot();
        if (snapshot.Versions.Count(v => v.StoredState == VersionState.Promoted) > 1)
        {
            throw new InvalidOperationException($"Integration '{integration.Id}' would hold two Promoted versions; the store refuses it.");
        }

        if (integration.Revision == 0 && !snapshot.Loaded.IsAll)
        {
            throw new ArgumentException($"Integration '{integration.Id}' is new but was built from a partial selection ({snapshot.Loaded}); insert a whole integration.", nameof(integration));
        }

        return snapshot;
    }

    /// <summary>The revision and trail checks of a save (under the store's gate); writes nothing.</summary>
    internal static void Check(InMemoryStore store, Integration integration)
    {
        store.Integrations.TryGetValue(integration.Id, out var stored);
        if (ConcurrencyConflictException.IsStale(integration.Revision, stored?.Revision))
        {
            throw new ConcurrencyConflictException(integration.AggregateKind, integration.AggregateIdText, integration.Revision, stored?.Revision ?? -1);
        }

        if (InMemoryStore.TrailMismatch(integration, store.Trails.GetValueOrDefault(integration.Id.Value)) is { } mismatch)
        {
            throw new ArgumentException(mismatch, nameof(integration));
        }

        if (stored is not null && integration.Revision != 0 && stored.Refusal(integration) is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }
    }

    /// <summary>The writes of a checked save (under the store's gate); the caller marks the integration saved.</summary>
    internal static void Apply(InMemoryStore store, Integration integration, IntegrationSnapshot snapshot)
    {
        // The history is kept beside the snapshot (InMemoryStore.Trails): only the new entries are appended.
        var revision = integration.Revision + 1;
        // A new integration is stored whole; a saved one merges only the versions the command changed or removed.
        store.Integrations[integration.Id] = integration.Revision == 0
            ? InMemoryStoredIntegration.From(snapshot, revision)
            : store.Integrations[integration.Id].Merge(integration, snapshot, revision);
        store.AppendTrail(integration.Id.Value, integration);
        store.Append(integration.PendingEvents, revision);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IntegrationSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<InMemoryStoredIntegration> all;
        lock (_store.Gate)
        {
            all = [.. _store.Integrations.Values];
        }

        IReadOnlyList<IntegrationSummary> list = all
            .Select(s => new IntegrationSummary(s.Header.Id, s.Header.Name, s.Promoted, s.Versions.Count, s.Revision))
            .OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Id)
            .ToList();
        return Task.FromResult(list);
    }
}
