using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;

namespace Versioning.Core.Persistence;

/// <summary>
/// The in-memory <see cref="IWorkerStateRepository"/>: the worker state of one <see cref="InMemoryStore"/>, shared by
/// every worker in the process that uses that store. Every operation runs under the store's lock, and a fenced batch
/// checks its lease under the same lock as the batch itself, so the contract holds as in the database stores.
/// </summary>
/// <param name="store">The shared in-memory state.</param>
public sealed class InMemoryWorkerStateRepository(InMemoryStore store) : IWorkerStateRepository
{
    private readonly InMemoryStore _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly InMemoryMigrationRepository _migrations = new(store);

    private InMemoryStore.WorkerState State => _store.Worker;

    /// <inheritdoc />
    public Task<WorkerLease?> TryAcquireLeaseAsync(string resource, string holder, Instant at, Duration duration, CancellationToken cancellationToken = default)
    {
        WorkerLease.CheckName(resource, nameof(resource));
        WorkerLease.CheckName(holder, nameof(holder));
        WorkerStateChecks.CheckDuration(duration);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            State.Leases.TryGetValue(resource, out var current);
            WorkerLease? acquired = null;
            if (current is null || current.ExpiresAt <= at)
            {
                acquired = new WorkerLease(resource, holder, (current?.Generation ?? 0) + 1, at + duration);
            }
            else if (current.Holder == holder)
            {
                acquired = current with { ExpiresAt = at + duration };
            }

            if (acquired is not null)
            {
                State.Leases[resource] = acquired;
            }

            return Task.FromResult(acquired);
        }
    }

    /// <inheritdoc />
    public Task<WorkerLease?> RenewLeaseAsync(WorkerLease lease, Instant at, Duration duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        WorkerStateChecks.CheckDuration(duration);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            if (!IsHeld(lease) || State.Leases[lease.Resource].ExpiresAt <= at)
            {
                return Task.FromResult<WorkerLease?>(null);
            }

            var renewed = lease with { ExpiresAt = at + duration };
            State.Leases[lease.Resource] = renewed;
            return Task.FromResult<WorkerLease?>(renewed);
        }
    }

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(WorkerLease lease, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            if (IsHeld(lease))
            {
                State.Leases[lease.Resource] = lease with { ExpiresAt = Instant.Min(at, State.Leases[lease.Resource].ExpiresAt) };
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkerLease>> ListLeasesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            IReadOnlyList<WorkerLease> leases = State.Leases.Values.OrderBy(l => l.Resource, StringComparer.Ordinal).ToList();
            return Task.FromResult(leases);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MigrationJob>> ListRunnableJobsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            IReadOnlyList<MigrationJob> jobs = _store.Jobs.Values.Where(j => j.IsRunnable).OrderBy(j => j.RequestedAt).ThenBy(j => j.Id).ToList();
            return Task.FromResult(jobs);
        }
    }

    /// <inheritdoc />
    public Task<MigrationJob> RunJobBatchAsync(WorkerLease lease, MigrationJob job, ActorId by, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(job);
        WorkerStateChecks.CheckResource(lease, WorkerLease.ForJob(job.Id));
        cancellationToken.ThrowIfCancellationRequested();

        // The store's lock is re-entrant: the lease check and the batch are one atomic step.
        lock (_store.Gate)
        {
            Fence(lease, at);
            return _migrations.RunBatchAsync(job, by, at, cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task<long> GetCheckpointAsync(string consumer, CancellationToken cancellationToken = default)
    {
        WorkerLease.CheckName(consumer, nameof(consumer));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            return Task.FromResult(State.Checkpoints.GetValueOrDefault(consumer));
        }
    }

    /// <inheritdoc />
    public Task SaveCheckpointAsync(WorkerLease lease, string consumer, long position, ParkedEvent? parked, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        WorkerStateChecks.CheckCheckpoint(lease, consumer, position, parked);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            Fence(lease, at);
            if (position > State.Checkpoints.GetValueOrDefault(consumer))
            {
                State.Checkpoints[consumer] = position;
            }

            if (parked is not null)
            {
                State.Parked[(consumer, parked.Position)] = parked;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string consumer, CancellationToken cancellationToken = default)
    {
        WorkerLease.CheckName(consumer, nameof(consumer));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            IReadOnlyList<ParkedEvent> parked = State.Parked.Values.Where(p => p.Consumer == consumer).OrderBy(p => p.Position).ToList();
            return Task.FromResult(parked);
        }
    }

    /// <inheritdoc />
    public Task<bool> TryClaimNoticeAsync(string noticeKey, DomainEvent raised, CancellationToken cancellationToken = default)
    {
        WorkerLease.CheckName(noticeKey, nameof(noticeKey));
        ArgumentNullException.ThrowIfNull(raised);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            if (!State.NoticeClaims.Add(noticeKey))
            {
                return Task.FromResult(false);
            }

            _store.Append([raised], 1);
            return Task.FromResult(true);
        }
    }

    private bool IsHeld(WorkerLease lease)
        => State.Leases.TryGetValue(lease.Resource, out var current) && current.Holder == lease.Holder && current.Generation == lease.Generation;

    private void Fence(WorkerLease lease, Instant at)
    {
        if (!IsHeld(lease) || State.Leases[lease.Resource].ExpiresAt <= at)
        {
            throw new LeaseLostException(lease);
        }
    }
}
