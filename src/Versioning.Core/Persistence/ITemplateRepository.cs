using Versioning.Core.Templates;
using Versioning.Core.Aggregates;

namespace Versioning.Core.Persistence;

/// <summary>Stores templates with optimistic concurrency (X3) and their events in the same transaction (X4).</summary>
public interface ITemplateRepository
{
    /// <summary>Loads a template, or returns null when there is none with that id.</summary>
    /// <param name="id">The template's identifier.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy: changing it changes nothing stored until it is saved.</returns>
    Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads a template to run a command on: everything <see cref="FindAsync"/> loads except the stored audit
    /// trail, which no rule reads and which grows with every change, so a command costs the same whatever its
    /// length. The copy's <see cref="AggregateRoot.AuditTrail"/> then holds only the entries recorded after the load, and
    /// <see cref="AggregateRoot.AuditTrailStart"/> is the number stored before it; saving the copy appends its new entries
    /// after them, exactly as saving a whole copy does. The services load this way for every command whose result is not
    /// the aggregate itself.
    /// </summary>
    /// <remarks>
    /// Store authors: the default implementation calls <see cref="FindAsync"/> (a whole copy is always a correct answer);
    /// override it to skip reading the trail. The conformance suite checks both ways.
    /// </remarks>
    /// <param name="id">The template's identifier.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy without its stored audit trail, or null.</returns>
    Task<Template?> FindWithoutAuditTrailAsync(TemplateId id, CancellationToken cancellationToken = default) => FindAsync(id, cancellationToken);

    /// <summary>
    /// Loads a template to run one command on (P8): like <see cref="FindWithoutAuditTrailAsync"/>, but holding only what
    /// <paramref name="selection"/> names: the selected releases with their content, and the Live release (without its
    /// content unless selected), so a command costs the same whatever the number of releases and the size of the content
    /// it does not read. Selected releases that do not exist are simply absent. The header (name, published flag, team,
    /// the highest release number used) is always loaded: it is what the rules read beyond the selected releases. The
    /// copy's <see cref="Template.Loaded"/> is the selection; reading a release it does not hold throws
    /// <see cref="InvalidOperationException"/>, and saving it writes only what changed: releases not loaded, and the
    /// content of releases loaded without it, stay as stored.
    /// </summary>
    /// <remarks>
    /// Store authors: the default implementation calls <see cref="FindWithoutAuditTrailAsync"/> (a whole copy is always a
    /// correct answer); override it to read only the selected rows, and keep content apart from the release rows so that
    /// a command that does not read it never reads its bytes. The conformance suite checks both ways.
    /// </remarks>
    /// <param name="id">The template's identifier.</param>
    /// <param name="selection">What the command reads; <see cref="ItemSelection.All"/> for everything.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy without its stored audit trail, holding at least the selection, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="selection"/> is null.</exception>
    Task<Template?> FindForCommandAsync(TemplateId id, ItemSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return FindWithoutAuditTrailAsync(id, cancellationToken);
    }

    /// <summary>
    /// Saves a template and its pending events atomically, with the same shape as <see cref="IIntegrationRepository.SaveAsync"/>.
    /// A template whose <see cref="AggregateRoot.Revision"/> is 0 is inserted; otherwise the stored revision must equal it.
    /// On success its revision is incremented (<see cref="AggregateRoot.MarkSaved"/>).
    /// </summary>
    /// <remarks>Store authors: the default implementation calls <see cref="SaveAllAsync"/> with the one template.</remarks>
    /// <param name="template">The template.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when everything is durable.</returns>
    /// <exception cref="ConcurrencyConflictException">The revision is stale, or a new template's id exists; nothing was written.</exception>
    Task SaveAsync(Template template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        return SaveAllAsync([template], cancellationToken);
    }

    /// <summary>
    /// Saves several templates and their pending events in one transaction: all or none (copying a release to another
    /// template saves both). A template whose <see cref="AggregateRoot.Revision"/> is 0 is inserted; otherwise the stored
    /// revision must equal it. On success each template's revision is incremented (<see cref="AggregateRoot.MarkSaved"/>).
    /// </summary>
    /// <param name="templates">One or more templates, each at most once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when everything is durable.</returns>
    /// <exception cref="ConcurrencyConflictException">A revision is stale, or a new template's id exists; nothing was written.</exception>
    Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default);

    /// <summary>Lists templates, ordered by name then id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A summary of each template.</returns>
    Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default);
}
