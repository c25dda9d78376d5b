using Versioning.Core.Integrations;

namespace Versioning.Core.Persistence;

/// <summary>Stores integrations with optimistic concurrency (X3) and their events in the same transaction (X4).</summary>
public interface IIntegrationRepository
{
    /// <summary>Loads an integration, or returns null.</summary>
    /// <param name="id">The integration's identifier.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy, or null.</returns>
    Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves an integration and its pending events atomically. Revision 0 inserts; otherwise the stored revision must
    /// equal <see cref="AggregateRoot.Revision"/>. On success the revision is incremented (<see cref="AggregateRoot.MarkSaved"/>).
    /// A store must also refuse to hold two Promoted versions of one integration.
    /// </summary>
    /// <param name="integration">The integration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when everything is durable.</returns>
    /// <exception cref="ConcurrencyConflictException">The revision is stale or the id exists on insert; nothing was written.</exception>
    Task SaveAsync(Integration integration, CancellationToken cancellationToken = default);

    /// <summary>Lists integrations, ordered by name then id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A summary of each integration.</returns>
    Task<IReadOnlyList<IntegrationSummary>> ListAsync(CancellationToken cancellationToken = default);
}
