using Versioning.Core.Integrations;
using Versioning.Core.Aggregates;

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
    /// Loads an integration to run a command on: everything <see cref="FindAsync"/> loads except the stored audit
    /// trail (history), which no rule reads and which grows with every change, so a command costs the same whatever its
    /// length. The copy's <see cref="AggregateRoot.AuditTrail"/> then holds only the entries recorded after the load, and
    /// <see cref="AggregateRoot.AuditTrailStart"/> is the number stored before it; saving the copy appends its new entries
    /// after them, exactly as saving a whole copy does. The services load this way for every command whose result is not
    /// the aggregate itself.
    /// </summary>
    /// <remarks>
    /// Store authors: the default implementation calls <see cref="FindAsync"/> (a whole copy is always a correct answer);
    /// override it to skip reading the trail. The conformance suite checks both ways.
    /// </remarks>
    /// <param name="id">The integration's identifier.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy without its stored audit trail, or null.</returns>
    Task<Integration?> FindWithoutAuditTrailAsync(IntegrationId id, CancellationToken cancellationToken = default) => FindAsync(id, cancellationToken);

    /// <summary>
    /// Loads an integration to run one command on: what <see cref="FindWithoutAuditTrailAsync"/> loads, narrowed to the
    /// versions the command touches (<paramref name="selection"/>, with their content), the Promoted version (without
    /// content unless selected) and the facts the selection asks for (<see cref="ItemSelection.UsedNumbers"/>), so a
    /// command costs the same however many versions, and however much content, the integration holds. The copy's
    /// <see cref="IntegrationSnapshot.Loaded"/> is the selection; saving it writes only what the command changed and keeps
    /// the versions and content it did not load.
    /// </summary>
    /// <remarks>
    /// Store authors: the default implementation calls <see cref="FindWithoutAuditTrailAsync"/> (a whole copy is always a
    /// correct answer); override it to read only the selected rows and never the content of another version. The
    /// conformance suite checks both ways.
    /// </remarks>
    /// <param name="id">The integration's identifier.</param>
    /// <param name="selection">What the command reads; <see cref="ItemSelection.All"/> loads every version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy without its stored audit trail, or null.</returns>
    Task<Integration?> FindForCommandAsync(IntegrationId id, ItemSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return FindWithoutAuditTrailAsync(id, cancellationToken);
    }

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
