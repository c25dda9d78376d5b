using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Templates;

namespace Versioning.Core.Persistence;

/// <summary>A thread-safe in-memory <see cref="IInstallationRepository"/>, with counters kept per version.</summary>
/// <param name="store">The shared in-memory state.</param>
public sealed class InMemoryInstallationRepository(InMemoryStore store) : IInstallationRepository
{
    private readonly InMemoryStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc />
    public Task<Installation?> FindAsync(InstallationId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            return Task.FromResult(_store.FindInstallation(id));
        }
    }

    /// <inheritdoc />
    public Task<Installation> SaveAsync(Installation installation, DomainEvent domainEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(installation);
        ArgumentNullException.ThrowIfNull(domainEvent);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            var stored = _store.FindInstallation(installation.Id);
            if (ConcurrencyConflictException.IsStale(installation.Revision, stored?.Revision))
            {
                throw new ConcurrencyConflictException(InstallationEvents.Kind, installation.Id.ToString(), installation.Revision, stored?.Revision ?? -1);
            }

            var saved = installation with { Revision = installation.Revision + 1 };
            _store.Put(saved);
            _store.Append([domainEvent], saved.Revision);
            return Task.FromResult(saved);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<VersionKey, InstallationCounts>> CountByVersionAsync(ProductRef product, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            IReadOnlyDictionary<VersionKey, InstallationCounts> counts = _store.Counts
                .Where(kv => kv.Key.Product == product)
                .ToDictionary(kv => kv.Key.Pinned, kv => new InstallationCounts(kv.Value[(int)RunStatus.Running], kv.Value[(int)RunStatus.Paused]));
            return Task.FromResult(counts);
        }
    }

    /// <inheritdoc />
    public Task<InstallationCounts> CountAsync(ProductRef product, VersionKey pinned, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            return Task.FromResult(_store.Counts.TryGetValue((product, pinned), out var c)
                ? new InstallationCounts(c[(int)RunStatus.Running], c[(int)RunStatus.Paused])
                : default);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Installation>> ListAsync(ProductRef product, InstallationId? after, int take, CancellationToken cancellationToken = default)
    {
        Preconditions.InRange(take, 1, 10_000, nameof(take));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            IReadOnlyList<Installation> page = _store.Page(product, after, take);
            return Task.FromResult<IReadOnlyList<Installation>>(page);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Installation>> ListByVersionAsync(ProductRef product, VersionKey pinned, InstallationId? after, int take, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(pinned, nameof(pinned));
        Preconditions.InRange(take, 1, 10_000, nameof(take));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            IReadOnlyList<Installation> page = _store.PageOnVersion(product, pinned, after, take);
            return Task.FromResult(page);
        }
    }
}
