using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Aggregates;

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

    /// <summary>
    /// Saves a new or changed job with its events and, in the same transaction, the integration it belongs to (with the
    /// integration's own revision check, audit entries and events): both or neither (X9). <c>StartMigrationAsync</c>
    /// uses it when starting a migration shares a Private target version with the migrated owner (M3). Every store must
    /// implement it in one transaction; there is no default, because two saves cannot be made atomic from outside.
    /// </summary>
    /// <param name="job">The job (revision 0 for a new one).</param>
    /// <param name="events">The job's events.</param>
    /// <param name="integration">The changed integration; marked saved (<see cref="AggregateRoot.MarkSaved"/>) once committed.</param>
    /// <param name="cancellationToken">Cancels the call; a cancelled call writes nothing.</param>
    /// <returns>The stored job (revision incremented).</returns>
    /// <exception cref="ConcurrencyConflictException">The job's or the integration's stored revision differs; nothing was written.</exception>
    /// <exception cref="ArgumentException">The integration is not the job's product (<see cref="MigrationJob.CheckProduct"/>); nothing was written.</exception>
    Task<MigrationJob> SaveWithIntegrationAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, Integration integration, CancellationToken cancellationToken = default);

    /// <summary>Lists a product's jobs, newest first.</summary>
    /// <param name="product">The template or integration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The jobs.</returns>
    Task<IReadOnlyList<MigrationJob>> ListAsync(ProductRef product, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs one batch: scans up to <see cref="MigrationJob.BatchSize"/> candidates (<see cref="MigrationJob.IsCandidate"/>) after
    /// the checkpoint in identifier order, moves those <see cref="MigrationJob.Selects"/> selects to <see cref="MigrationJob.To"/>
    /// (settings kept, revision incremented), and saves <see cref="MigrationJob.AfterBatch"/> with its events, atomically.
    /// When the batch completes the job, the same transaction also records the completion on the template or integration
    /// (X9): it raises the product's revision by one, appends <see cref="MigrationJob.ToAuditEntry"/> of
    /// <see cref="MigrationJob.CompletionRecord"/> to its audit trail and the event itself to its events. That append
    /// commutes with every other change of the product, so it needs no revision check of its own; concurrent savers of the
    /// product holding the older revision get a conflict and retry. A product that no longer exists gets no entry.
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
