using Versioning.Core.Templates;

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
    /// Saves templates and their pending events atomically: all or none. A template whose <see cref="AggregateRoot.Revision"/>
    /// is 0 is inserted; otherwise the stored revision must equal it. On success each template's revision is incremented
    /// (<see cref="AggregateRoot.MarkSaved"/>).
    /// </summary>
    /// <param name="templates">One or more templates (a copy between templates saves two).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when everything is durable.</returns>
    /// <exception cref="ConcurrencyConflictException">A revision is stale, or a new template's id exists; nothing was written.</exception>
    Task SaveAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default);

    /// <summary>Lists templates, ordered by name then id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A summary of each template.</returns>
    Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default);
}
