using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;

namespace Versioning.Core.Persistence;

/// <summary>
/// What the background worker's instances share through the database (H1–H5): leases on jobs and consumers, fenced
/// migration batches, consumer checkpoints and parked events, and claims on deprecation notices. Every store implements
/// the same contract, checked by the conformance kit: PostgreSQL with row locks, SQLite in its one write transaction,
/// the in-memory store under its lock. Instants come from the worker's clock; host instances sharing a database must keep
/// their clocks within a small fraction of the lease duration of each other.
/// </summary>
public interface IWorkerStateRepository
{
    /// <summary>
    /// Acquires the lease on <paramref name="resource"/> when nobody holds it, when its lease expired at or before
    /// <paramref name="at"/>, or when it was released. Acquiring raises the generation by one. A holder asking again for
    /// a lease it still holds gets it back renewed, at the same generation.
    /// </summary>
    /// <param name="resource">The resource (<see cref="WorkerLease.ForJob"/>, <see cref="WorkerLease.ForConsumer"/>).</param>
    /// <param name="holder">The worker instance asking.</param>
    /// <param name="at">Now.</param>
    /// <param name="duration">How long the lease lasts unless renewed (positive).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease, or null when another holder's lease is still current.</returns>
    /// <exception cref="ArgumentException">A name is invalid (<see cref="WorkerLease.CheckName"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not positive.</exception>
    Task<WorkerLease?> TryAcquireLeaseAsync(string resource, string holder, Instant at, Duration duration, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease its holder still holds at its generation and that has not expired at <paramref name="at"/> (a lapsed lease is acquired again, at a new generation).</summary>
    /// <param name="lease">The lease as last acquired or renewed.</param>
    /// <param name="at">Now.</param>
    /// <param name="duration">How long from <paramref name="at"/> (positive).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renewed lease, or null when it expired, was taken over or was released.</returns>
    Task<WorkerLease?> RenewLeaseAsync(WorkerLease lease, Instant at, Duration duration, CancellationToken cancellationToken = default);

    /// <summary>Releases a lease still held at its generation, so another instance can take the resource at once. A lost lease is left alone.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="at">Now: the released lease counts as expired from this instant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task ReleaseLeaseAsync(WorkerLease lease, Instant at, CancellationToken cancellationToken = default);

    /// <summary>The stored leases (current, expired and released), by resource, for health checks and operators.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The leases.</returns>
    Task<IReadOnlyList<WorkerLease>> ListLeasesAsync(CancellationToken cancellationToken = default);

    /// <summary>The jobs that still have batches to run (Requested or InProgress), oldest request first (H1).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The jobs.</returns>
    Task<IReadOnlyList<MigrationJob>> ListRunnableJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs one batch of a job exactly as <see cref="IMigrationRepository.RunBatchAsync"/> does, fenced by
    /// <paramref name="lease"/>: the lease is checked — held by its holder, at its generation, not expired at
    /// <paramref name="at"/> — inside the batch's transaction, which keeps it from being taken over until the batch
    /// commits. So a batch of a holder that lost its lease never commits, and no batch runs twice (H3).
    /// </summary>
    /// <param name="lease">The lease on <see cref="WorkerLease.ForJob"/> of the job.</param>
    /// <param name="job">The job as loaded; its revision must be the stored one.</param>
    /// <param name="by">The actor running the job.</param>
    /// <param name="at">Now.</param>
    /// <param name="cancellationToken">Cancels the call; a cancelled batch writes nothing.</param>
    /// <returns>The stored job after the batch.</returns>
    /// <exception cref="LeaseLostException">The lease is no longer held; nothing was written.</exception>
    /// <exception cref="ConcurrencyConflictException">The job was advanced by someone else; nothing was written.</exception>
    /// <exception cref="ArgumentException">The lease is not the job's.</exception>
    Task<MigrationJob> RunJobBatchAsync(WorkerLease lease, MigrationJob job, ActorId by, Instant at, CancellationToken cancellationToken = default);

    /// <summary>The position of the last event a consumer has dealt with (handled or parked); 0 when it has none yet.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkpoint.</returns>
    Task<long> GetCheckpointAsync(string consumer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a consumer's checkpoint forward to <paramref name="position"/> and, in the same transaction, stores
    /// <paramref name="parked"/> if given, fenced by the consumer's lease (H4). A checkpoint never moves backwards: a
    /// position at or below the stored one changes nothing.
    /// </summary>
    /// <param name="lease">The lease on <see cref="WorkerLease.ForConsumer"/> of the consumer.</param>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="position">The last event dealt with.</param>
    /// <param name="parked">An event parked on the way, or null.</param>
    /// <param name="at">Now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="LeaseLostException">The lease is no longer held; nothing was written.</exception>
    /// <exception cref="ArgumentException">The lease is not the consumer's, or <paramref name="parked"/> is another consumer's or lies beyond <paramref name="position"/>.</exception>
    Task SaveCheckpointAsync(WorkerLease lease, string consumer, long position, ParkedEvent? parked, Instant at, CancellationToken cancellationToken = default);

    /// <summary>A consumer's parked events, by position.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The parked events.</returns>
    Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string consumer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a deprecation notice and, in the same transaction, stores <paramref name="raised"/> in the outbox (H5): the
    /// first claim of a key wins, every later one (from any instance) changes nothing.
    /// </summary>
    /// <param name="noticeKey">The notice's key (<see cref="Integrations.DeprecationNoticeEvents.Key"/>).</param>
    /// <param name="raised">The event announcing the notice (stored at aggregate revision 1).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when this call claimed it; false when it was claimed before.</returns>
    Task<bool> TryClaimNoticeAsync(string noticeKey, DomainEvent raised, CancellationToken cancellationToken = default);
}
