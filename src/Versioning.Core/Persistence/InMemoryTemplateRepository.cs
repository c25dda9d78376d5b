using Versioning.Core.Templates;

namespace Versioning.Core.Persistence;

/// <summary>A thread-safe in-memory <see cref="ITemplateRepository"/>; the default registration.</summary>
/// <param name="store">The shared in-memory state.</param>
public sealed class InMemoryTemplateRepository(InMemoryStore store) : ITemplateRepository
{
    private readonly InMemoryStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc />
    public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TemplateSnapshot? snapshot;
        lock (_store.Gate)
        {
            _store.Templates.TryGetValue(id, out snapshot);
        }

        return Task.FromResult(snapshot is null ? null : Template.FromSnapshot(snapshot));
    }

    /// <inheritdoc />
    public Task SaveAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(templates);
        cancellationToken.ThrowIfCancellationRequested();
        if (templates.Distinct().Count() != templates.Count || templates.Select(t => t.Id).Distinct().Count() != templates.Count)
        {
            throw new ArgumentException("templates must not contain the same template twice.", nameof(templates));
        }

        lock (_store.Gate)
        {
            foreach (var template in templates)
            {
                var actual = _store.Templates.TryGetValue(template.Id, out var stored) ? stored.Revision : 0;
                var exists = stored is not null;
                if (ConcurrencyConflictException.IsStale(template.Revision, exists ? actual : null))
                {
                    throw new ConcurrencyConflictException(template.AggregateKind, template.AggregateIdText, template.Revision, exists ? actual : -1);
                }

                // A copy loaded without its trail must leave out exactly the stored trail (checked before anything is written).
                if (template.AuditTrailStart > 0 && stored!.AuditTrail.Length != template.AuditTrailStart)
                {
                    throw new ArgumentException($"Template '{template.Id}' was loaded with its audit trail starting at entry {template.AuditTrailStart}, but {stored.AuditTrail.Length} entries are stored.", nameof(templates));
                }
            }

            foreach (var template in templates)
            {
                var revision = template.Revision + 1;
                var snapshot = template.ToSnapshot();
                if (snapshot.AuditTrailStart > 0)
                {
                    // A copy loaded without its trail (another store's FindWithoutAuditTrailAsync): the stored trail, at the
                    // revision just checked, is exactly the part it left out.
                    snapshot = snapshot with { AuditTrail = _store.Templates[template.Id].AuditTrail.AddRange(snapshot.AuditTrail), AuditTrailStart = 0 };
                }

                _store.Templates[template.Id] = snapshot with { Revision = revision };
                _store.Append(template.PendingEvents, revision);
            }

            foreach (var template in templates)
            {
                template.MarkSaved(template.Revision + 1);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<TemplateSnapshot> all;
        lock (_store.Gate)
        {
            all = [.. _store.Templates.Values];
        }

        IReadOnlyList<TemplateSummary> list = all
            .Select(s => new TemplateSummary(s.Id, s.Name, s.Published, s.Releases.FirstOrDefault(r => r.State == ReleaseState.Live)?.Number, s.Releases.Length, s.Revision))
            .OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Id)
            .ToList();
        return Task.FromResult(list);
    }
}
