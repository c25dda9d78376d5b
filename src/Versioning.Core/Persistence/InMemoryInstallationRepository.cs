using Versioning.Core.Events;
using Versioning.Core.Installations;

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
            return Task.FromResult(_store.Installations.GetValueOrDefault(id));
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
            var exists = _store.Installations.TryGetValue(installation.Id, out var stored);
            if ((installation.Revision == 0 && exists) || (installation.Revision != 0 && stored?.Revision != installation.Revision))
            {
                throw new ConcurrencyConflictException("Installation", installation.Id.ToString(), installation.Revision, stored?.Revision ?? -1);
            }

            var saved = installation with { Revision = installation.Revision + 1 };
            if (stored is not null)
            {
                _store.Count(stored, -1);
            }

            _store.Installations[saved.Id] = saved;
            _store.Count(saved, +1);
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
                .ToDictionary(kv => kv.Key.Pinned, kv => new InstallationCounts(kv.Value[(int)Templates.RunStatus.Running], kv.Value[(int)Templates.RunStatus.Paused]));
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
                ? new InstallationCounts(c[(int)Templates.RunStatus.Running], c[(int)Templates.RunStatus.Paused])
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
            var page = new List<Installation>(Math.Min(take, 256));
            foreach (var installation in _store.Installations.Values)
            {
                if (after is { } a && installation.Id.CompareTo(a) <= 0)
                {
                    continue;
                }

                if (installation.Product == product)
                {
                    page.Add(installation);
                    if (page.Count == take)
                    {
                        break;
                    }
                }
            }

            return Task.FromResult<IReadOnlyList<Installation>>(page);
        }
    }
}
