using System.Collections.Immutable;
using Versioning.Core.Aggregates;
using Versioning.Core.Auditing;
using Versioning.Core.Events;
using Versioning.Core.Installations;

namespace Versioning.Core.Persistence;

/// <summary>
/// A thread-safe in-memory store for the products of a lifecycle defined outside the library (A2), in the same
/// <see cref="InMemoryStore"/> as the templates, integrations, installations, jobs and events: saves check the revision
/// (X3), append the new audit entries and pending events atomically (X4, A3), and a completed migration records itself
/// on the product (X9) as it does on templates and integrations. Register it as the <see cref="IProductRepository"/>
/// of its kind; the installation and migration services then handle its products with no other change.
/// </summary>
/// <typeparam name="TProduct">The product type.</typeparam>
/// <typeparam name="TSnapshot">An immutable snapshot of its state, without the audit trail (kept apart, append-only).</typeparam>
public sealed class InMemoryProductRepository<TProduct, TSnapshot> : IProductRepository
    where TProduct : AggregateRoot, IProduct
    where TSnapshot : class
{
    private readonly InMemoryStore _store;
    private readonly Func<TProduct, TSnapshot> _toSnapshot;
    private readonly Func<TSnapshot, long, ImmutableArray<AuditEntry>, int, TProduct> _fromSnapshot;

    /// <summary>Creates the repository.</summary>
    /// <param name="store">The shared in-memory state.</param>
    /// <param name="kind">The products' kind (from <see cref="ProductKind.FirstCustom"/> on).</param>
    /// <param name="toSnapshot">Captures a product's state (its trail is stored apart and may be left out).</param>
    /// <param name="fromSnapshot">Rebuilds a private copy from a snapshot, the stored revision, the audit trail and the trail's start (0 with the whole trail, else the number of stored entries left out).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is one of the library's own kinds.</exception>
    public InMemoryProductRepository(InMemoryStore store, ProductKind kind, Func<TProduct, TSnapshot> toSnapshot, Func<TSnapshot, long, ImmutableArray<AuditEntry>, int, TProduct> fromSnapshot)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        if (kind < ProductKind.FirstCustom)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Kinds below {(int)ProductKind.FirstCustom} are the library's own; templates and integrations have their own repositories.");
        }

        Kind = kind;
        _toSnapshot = toSnapshot ?? throw new ArgumentNullException(nameof(toSnapshot));
        _fromSnapshot = fromSnapshot ?? throw new ArgumentNullException(nameof(fromSnapshot));
    }

    /// <inheritdoc />
    public ProductKind Kind { get; }

    /// <summary>Loads a product with its whole audit trail, or returns null.</summary>
    /// <param name="id">The product's identifier.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy, or null.</returns>
    public Task<TProduct?> FindAsync(Guid id, CancellationToken cancellationToken = default) => Load(id, wholeTrail: true, cancellationToken);

    /// <summary>Loads a product without its stored audit trail (for commands), or returns null.</summary>
    /// <param name="id">The product's identifier.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy, or null.</returns>
    public Task<TProduct?> FindWithoutAuditTrailAsync(Guid id, CancellationToken cancellationToken = default) => Load(id, wholeTrail: false, cancellationToken);

    /// <inheritdoc />
    async Task<IProduct?> IProductRepository.FindAsync(Guid id, CancellationToken cancellationToken)
        => await Load(id, wholeTrail: false, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Saves a product and its pending events atomically: revision 0 inserts; otherwise the stored revision must equal the
    /// product's (X3). On success the product is marked saved.
    /// </summary>
    /// <param name="product">The product.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is stored.</returns>
    /// <exception cref="ArgumentException">The product is of another kind, or its trail does not continue the stored one.</exception>
    /// <exception cref="ConcurrencyConflictException">The revision is stale, or the id exists on insert; nothing was written.</exception>
    public Task SaveAsync(TProduct product, CancellationToken cancellationToken = default)
    {
        var snapshot = Prepare(product);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            Check(product);
            Apply(product, snapshot);
        }

        product.MarkSaved(product.Revision + 1);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<MigrationJob> SaveWithJobAsync(IProduct product, MigrationJob job, IReadOnlyList<DomainEvent> events, IMigrationRepository migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(events);
        if (migrations is not InMemoryMigrationRepository inMemory || !ReferenceEquals(inMemory.SharedStore, _store))
        {
            throw new ArgumentException("The job must be saved in the same in-memory store as the product (one transaction, X9).", nameof(migrations));
        }

        var typed = product as TProduct ?? throw new ArgumentException($"product must be a {typeof(TProduct).Name}.", nameof(product));
        if (job.Product != typed.Product)
        {
            throw new ArgumentException($"{typed.Product} is not the product of migration {job.Id} ({job.Product}).", nameof(product));
        }

        var snapshot = Prepare(typed);
        cancellationToken.ThrowIfCancellationRequested();
        var saved = inMemory.SaveWithProduct(job, events, () => Check(typed), () => Apply(typed, snapshot));
        typed.MarkSaved(typed.Revision + 1);
        return Task.FromResult(saved);
    }

    private Task<TProduct?> Load(Guid id, bool wholeTrail, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        InMemoryStore.StoredProduct? stored;
        ImmutableArray<AuditEntry> trail;
        int trailStart;
        lock (_store.Gate)
        {
            if (!_store.Products.TryGetValue(new ProductRef(Kind, id), out stored))
            {
                return Task.FromResult<TProduct?>(null);
            }

            (trail, trailStart) = wholeTrail ? (_store.TrailOf(id), 0) : ([], _store.TrailLength(id));
        }

        return Task.FromResult<TProduct?>(_fromSnapshot((TSnapshot)stored.Snapshot, stored.Revision, trail, trailStart));
    }

    private TSnapshot Prepare(TProduct product)
    {
        ArgumentNullException.ThrowIfNull(product);
        if (product.Product.Kind != Kind)
        {
            throw new ArgumentException($"{product.Product} is not a product of kind {Kind}.", nameof(product));
        }

        return _toSnapshot(product) ?? throw new InvalidOperationException("toSnapshot returned null.");
    }

    // The revision and trail checks of a save (under the store's gate); writes nothing.
    private void Check(TProduct product)
    {
        var stored = _store.Products.GetValueOrDefault(product.Product);
        if (ConcurrencyConflictException.IsStale(product.Revision, stored?.Revision))
        {
            throw new ConcurrencyConflictException(product.AggregateKind, product.AggregateIdText, product.Revision, stored?.Revision ?? -1);
        }

        if (InMemoryStore.TrailMismatch(product, _store.Trails.GetValueOrDefault(product.Product.Id)) is { } mismatch)
        {
            throw new ArgumentException(mismatch, nameof(product));
        }
    }

    // The writes of a checked save (under the store's gate): the snapshot, the new audit entries and the pending events.
    private void Apply(TProduct product, TSnapshot snapshot)
    {
        var revision = product.Revision + 1;
        _store.Products[product.Product] = new InMemoryStore.StoredProduct(snapshot, revision, product.AggregateKind);
        _store.AppendTrail(product.Product.Id, product);
        _store.Append(product.PendingEvents, revision);
    }
}
