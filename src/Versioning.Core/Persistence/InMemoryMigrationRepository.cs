using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;

namespace Versioning.Core.Persistence;

/// <summary>A thread-safe in-memory <see cref="IMigrationRepository"/>: each batch runs under the store's lock.</summary>
/// <param name="store">The shared in-memory state.</param>
public sealed class InMemoryMigrationRepository(InMemoryStore store) : IMigrationRepository
{
    private readonly InMemoryStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc />
    public Task<MigrationJob?> FindAsync(MigrationId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            return Task.FromResult(_store.Jobs.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public Task<MigrationJob> SaveAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(events);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            CheckRevision(job);
            return Task.FromResult(Store(job, events));
        }
    }

    /// <inheritdoc />
    public Task<MigrationJob> SaveWithIntegrationAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(integration);
        cancellationToken.ThrowIfCancellationRequested();
        MigrationJob.CheckProduct(job, integration.Id);
        var snapshot = InMemoryIntegrationRepository.Prepare(integration);
        var saved = SaveWithProduct(job, events, () => InMemoryIntegrationRepository.Check(_store, integration), () => InMemoryIntegrationRepository.Apply(_store, integration, snapshot));
        integration.MarkSaved(integration.Revision + 1);
        return Task.FromResult(saved);
    }

    /// <summary>
    /// Saves a job with its events and, under the same lock, a product: every check (the job's, then
    /// <paramref name="checkProduct"/>) before the first write, so both or neither are stored (X9). The caller marks the
    /// product saved.
    /// </summary>
    internal MigrationJob SaveWithProduct(MigrationJob job, IReadOnlyList<DomainEvent> events, Action checkProduct, Action applyProduct)
    {
        lock (_store.Gate)
        {
            CheckRevision(job);
            checkProduct();
            applyProduct();
            return Store(job, events);
        }
    }

    /// <summary>The store this repository writes to (a product saved with a job must be in the same one).</summary>
    internal InMemoryStore SharedStore => _store;

    /// <inheritdoc />
    public Task<IReadOnlyList<MigrationJob>> ListAsync(ProductRef product, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            IReadOnlyList<MigrationJob> jobs = _store.Jobs.Values.Where(j => j.Product == product)
                .OrderByDescending(j => j.RequestedAt).ThenBy(j => j.Id).ToList();
            return Task.FromResult(jobs);
        }
    }

    /// <inheritdoc />
    public Task<MigrationJob> RunBatchAsync(MigrationJob job, ActorId by, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            CheckRevision(job);
            if (!job.IsRunnable)
            {
                // Let the domain raise the M5 refusal with its message.
                job.AfterBatch(0, 0, null, by, at);
            }

            var (scanned, moved, last) = _store.MoveBatch(job, at);
            var (next, events) = job.AfterBatch(scanned, moved, last, by, at);
            var saved = Store(next, events);
            if (next.State == MigrationState.Completed)
            {
                RecordCompletion(next.Product, next.CompletionRecord(by));
            }

            return Task.FromResult(saved);
        }
    }

    /// <summary>Appends a completed job's entry to its product (X9): revision + 1, one trail entry, one event.</summary>
    private void RecordCompletion(ProductRef product, DomainEvent completion)
    {
        var id = Guid.Parse(completion.AggregateId);
        long revision;
        if (completion.AggregateKind == "Template" && _store.Templates.TryGetValue(new TemplateId(id), out var template))
        {
            revision = template.Header.Revision + 1;
            template.Header = template.Header with { Revision = revision };
        }
        else if (completion.AggregateKind == "Integration" && _store.Integrations.TryGetValue(new IntegrationId(id), out var integration))
        {
            revision = integration.Revision + 1;
            _store.Integrations[integration.Header.Id] = integration with { Header = integration.Header with { Revision = revision } };
        }
        else if (_store.Products.TryGetValue(product, out var other))
        {
            // A lifecycle defined outside the library: the event is named after the product's own aggregate kind.
            revision = other.Revision + 1;
            _store.Products[product] = other with { Revision = revision };
            completion = completion with { AggregateKind = other.AggregateKind };
        }
        else
        {
            return;
        }

        if (!_store.Trails.TryGetValue(id, out var trail))
        {
            _store.Trails[id] = trail = [];
        }

        trail.Add(MigrationJob.ToAuditEntry(completion));
        _store.Append([completion], revision);
    }

    private void CheckRevision(MigrationJob job)
    {
        _store.Jobs.TryGetValue(job.Id, out var stored);
        if (ConcurrencyConflictException.IsStale(job.Revision, stored?.Revision))
        {
            throw new ConcurrencyConflictException(MigrationJob.Kind, job.Id.ToString(), job.Revision, stored?.Revision ?? -1);
        }
    }

    private MigrationJob Store(MigrationJob job, IReadOnlyList<DomainEvent> events)
    {
        var saved = job with { Revision = job.Revision + 1 };
        _store.Jobs[saved.Id] = saved;
        _store.Append(events, saved.Revision);
        return saved;
    }
}
