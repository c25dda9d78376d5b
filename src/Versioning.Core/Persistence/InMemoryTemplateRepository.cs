using Versioning.Core.Templates;

namespace Versioning.Core.Persistence;

/// <summary>A thread-safe in-memory <see cref="ITemplateRepository"/>; the default registration.</summary>
/// <param name="store">The shared in-memory state.</param>
public sealed class InMemoryTemplateRepository(InMemoryStore store) : ITemplateRepository
{
    private readonly InMemoryStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc />
    public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default) => Load(id, wholeTrail: true, cancellationToken);

    /// <inheritdoc />
    public Task<Template?> FindWithoutAuditTrailAsync(TemplateId id, CancellationToken cancellationToken = default) => Load(id, wholeTrail: false, cancellationToken);

    private Task<Template?> Load(TemplateId id, bool wholeTrail, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TemplateSnapshot? snapshot;
        lock (_store.Gate)
        {
            if (_store.Templates.TryGetValue(id, out snapshot))
            {
                snapshot = wholeTrail
                    ? snapshot with { AuditTrail = _store.TrailOf(id.Value) }
                    : snapshot with { AuditTrailStart = _store.TrailLength(id.Value) };
            }
        }

        return Task.FromResult(snapshot is null ? null : Template.FromSnapshot(snapshot));
    }

    /// <inheritdoc />
    public Task SaveAsync(Template template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        return SaveAllAsync([template], cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default)
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

                if (InMemoryStore.TrailMismatch(template, _store.Trails.GetValueOrDefault(template.Id.Value)) is { } mismatch)
                {
                    throw new ArgumentException(mismatch, nameof(templates));
                }
            }

            foreach (var template in templates)
            {
                var revision = template.Revision + 1;
                // The trail is kept beside the snapshot (InMemoryStore.Trails): only the new entries are appended.
                _store.Templates[template.Id] = template.ToSnapshot() with { Revision = revision, AuditTrail = [], AuditTrailStart = 0 };
                _store.AppendTrail(template.Id.Value, template);
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
