using System.Collections.Concurrent;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;

namespace Versioning.Core.Hosting.Tests;

/// <summary>What every host of a fleet did with the shared worker state: lease grants and releases, committed and refused batches.</summary>
internal sealed class FleetLog
{
    public ConcurrentQueue<(int Host, WorkerLease Lease, Instant At, string What)> Leases { get; } = new();

    public ConcurrentQueue<(int Host, long Generation, int Batch, long Moved)> Batches { get; } = new();

    public ConcurrentQueue<(int Host, WorkerLease Lease)> RefusedBatches { get; } = new();

    /// <summary>
    /// Checks that the holders of <paramref name="resource"/> never overlapped: generations were granted in order, and
    /// each new generation only once the previous one had expired or been released (H3).
    /// </summary>
    public void AssertNeverTwoHolders(string resource)
    {
        var grants = Leases.Where(l => l.Lease.Resource == resource).ToList();
        var byGeneration = grants.GroupBy(g => g.Lease.Generation).OrderBy(g => g.Key).ToList();
        Assert.Equal(Enumerable.Range(1, byGeneration.Count).Select(i => (long)i), byGeneration.Select(g => g.Key));
        for (var i = 1; i < byGeneration.Count; i++)
        {
            var previous = byGeneration[i - 1];
            Assert.Single(previous.Select(p => p.Lease.Holder).Distinct());
            var end = previous.Where(p => p.What != "release").Max(p => p.Lease.ExpiresAt);
            var released = previous.Where(p => p.What == "release").Select(p => p.At).DefaultIfEmpty(end).Min();
            var acquired = byGeneration[i].Where(p => p.What == "acquire").Min(p => p.At);
            Assert.True(acquired >= Instant.Min(end, released), $"Generation {byGeneration[i].Key} of {resource} was granted at {acquired}, before generation {previous.Key} ended ({Instant.Min(end, released)}).");
        }
    }
}

/// <summary>
/// The worker state of one host, recording into a <see cref="FleetLog"/>; optionally stalls the host's Nth batch until
/// <see cref="StallUntil"/> holds (a host that stopped renewing its lease mid-job and then woke up).
/// </summary>
internal sealed class RecordingWorkerState(IWorkerStateRepository inner, int host, FleetLog log) : IWorkerStateRepository
{
    private int _batchCalls;

    public int? StallAtBatchCall { get; set; }

    public Func<bool>? StallUntil { get; set; }

    public TaskCompletionSource StallDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<WorkerLease?> TryAcquireLeaseAsync(string resource, string holder, Instant at, Duration duration, CancellationToken cancellationToken = default)
    {
        var lease = await inner.TryAcquireLeaseAsync(resource, holder, at, duration, cancellationToken);
        if (lease is not null)
        {
            log.Leases.Enqueue((host, lease, at, "acquire"));
        }

        return lease;
    }

    public async Task<WorkerLease?> RenewLeaseAsync(WorkerLease lease, Instant at, Duration duration, CancellationToken cancellationToken = default)
    {
        var renewed = await inner.RenewLeaseAsync(lease, at, duration, cancellationToken);
        if (renewed is not null)
        {
            log.Leases.Enqueue((host, renewed, at, "renew"));
        }

        return renewed;
    }

    public async Task ReleaseLeaseAsync(WorkerLease lease, Instant at, CancellationToken cancellationToken = default)
    {
        await inner.ReleaseLeaseAsync(lease, at, cancellationToken);
        log.Leases.Enqueue((host, lease, at, "release"));
    }

    public Task<IReadOnlyList<WorkerLease>> ListLeasesAsync(CancellationToken cancellationToken = default) => inner.ListLeasesAsync(cancellationToken);

    public Task<IReadOnlyList<MigrationJob>> ListRunnableJobsAsync(CancellationToken cancellationToken = default) => inner.ListRunnableJobsAsync(cancellationToken);

    public async Task<MigrationJob> RunJobBatchAsync(WorkerLease lease, MigrationJob job, ActorId by, Instant at, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _batchCalls) == StallAtBatchCall && StallUntil is { } until)
        {
            // The host stops renewing while it waits; its lease runs out and another host takes the job over. Then it
            // tries to commit the batch it had started, with the instant it had taken before the stall.
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (!until() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, CancellationToken.None);
            }

            try
            {
                var stale = await inner.RunJobBatchAsync(lease, job, by, at, cancellationToken);
                log.Batches.Enqueue((host, lease.Generation, stale.Batches, stale.Moved - job.Moved));
                return stale;
            }
            catch (LeaseLostException)
            {
                log.RefusedBatches.Enqueue((host, lease));
                throw;
            }
            finally
            {
                StallDone.TrySetResult();
            }
        }

        var next = await inner.RunJobBatchAsync(lease, job, by, at, cancellationToken);
        log.Batches.Enqueue((host, lease.Generation, next.Batches, next.Moved - job.Moved));
        return next;
    }

    public Task<long> GetCheckpointAsync(string consumer, CancellationToken cancellationToken = default) => inner.GetCheckpointAsync(consumer, cancellationToken);

    public Task SaveCheckpointAsync(WorkerLease lease, string consumer, long position, ParkedEvent? parked, Instant at, CancellationToken cancellationToken = default)
        => inner.SaveCheckpointAsync(lease, consumer, position, parked, at, cancellationToken);

    public Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string consumer, CancellationToken cancellationToken = default) => inner.ListParkedAsync(consumer, cancellationToken);

    public Task<bool> TryClaimNoticeAsync(string noticeKey, DomainEvent raised, CancellationToken cancellationToken = default) => inner.TryClaimNoticeAsync(noticeKey, raised, cancellationToken);
}
