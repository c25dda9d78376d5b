using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;

namespace Versioning.Core.Persistence;

/// <summary>
/// Stores migration jobs and runs their batches set-based: one call scans one batch of candidates in identifier order,
/// moves the selected ones, and saves the job's new checkpoint and events — all in one transaction, so a job stopped at
/// any point and resumed moves every selected installation exactly once (M5).
/// </summary>
public interface IMigrationRepository
{
    /// <summary>Loads a job, or returns null.</summary>
    /// <param name="id">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job, or null.</returns>
    Task<MigrationJob?> FindAsync(MigrationId id, CancellationToken cancellationToken = default);

    /// <summary>Inserts (revision 0) or updates a job with a revision check, with its events, atomically.</summary>
    /// <param name="job">The job.</param>
    /// <param name="events">Events to store with it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored job (revision incremented).</returns>
    /// <exception cref="ConcurrencyConflictException">The stored revision differs; nothing was written.</exception>
    Task<MigrationJob> SaveAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Lists a product's jobs, newest first.</summary>
    /// <param name="product">The template or integration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The jobs.</returns>
    Task<IReadOnlyList<MigrationJob>> ListAsync(ProductRef product, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs one batch: scans up to <see cref="MigrationJob.BatchSize"/> candidates (<see cref="MigrationJob.IsCandidate"/>) after
    /// the checkpoint in identifier order, moves those <see cref="MigrationJob.Selects"/> selects to <see cref="MigrationJob.To"/>
    /// (settings kept, revision incremented), and saves <see cref="MigrationJob.AfterBatch"/> with its events, atomically.
    /// </summary>
    /// <param name="job">The job as loaded; its revision must be the stored one.</param>
    /// <param name="by">The actor running the job.</param>
    /// <param name="at">The current instant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored job after the batch.</returns>
    /// <exception cref="ConcurrencyConflictException">Another runner advanced the job; nothing was written.</exception>
    /// <exception cref="VersioningRuleException">M5: the job is not runnable.</exception>
    Task<MigrationJob> RunBatchAsync(MigrationJob job, ActorId by, Instant at, CancellationToken cancellationToken = default);
}
