using System.Collections.Immutable;
using Versioning.Core.Templates;

namespace Versioning.Core.Persistence;

/// <summary>
/// A thread-safe in-memory <see cref="ITemplateRepository"/>; the default registration. Each template is kept as its
/// header and its releases by number, so a command loads only the releases it selects and a save writes only the
/// releases that changed, keeping the stored content of those it loaded without content (P8).
/// </summary>
/// <param name="store">The shared in-memory state.</param>
public sealed class InMemoryTemplateRepository(InMemoryStore store) : ITemplateRepository
{
    private readonly InMemoryStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc />
    public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default) => Load(id, ItemSelection.All, wholeTrail: true, cancellationToken);

    /// <inheritdoc />
    public Task<Template?> FindWithoutAuditTrailAsync(TemplateId id, CancellationToken cancellationToken = default) => Load(id, ItemSelection.All, wholeTrail: false, cancellationToken);

    /// <inheritdoc />
    public Task<Template?> FindForCommandAsync(TemplateId id, ItemSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return Load(id, selection, wholeTrail: false, cancellationToken);
    }

    private Task<Template?> Load(TemplateId id, ItemSelection selection, bool wholeTrail, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TemplateSnapshot? snapshot = null;
        lock (_store.Gate)
        {
            if (_store.Templates.TryGetValue(id, out var stored))
            {
                snapshot = stored.Header with
                {
                    Releases = selection.IsAll ? [.. stored.Releases.Values] : stored.Select(selection),
                    Loaded = selection,
                    AuditTrail = wholeTrail ? _store.TrailOf(id.Value) : [],
                    AuditTrailStart = wholeTrail ? 0 : _store.TrailLength(id.Value),
                };
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
                var actual = _store.Templates.TryGetValue(template.Id, out var stored) ? stored.Header.Revision : 0;
                var exists = stored is not null;
                if (ConcurrencyConflictException.IsStale(template.Revision, exists ? actual : null))
                {
                    throw new ConcurrencyConflictException(template.AggregateKind, template.AggregateIdText, template.Revision, exists ? actual : -1);
                }

                if (InMemoryStore.TrailMismatch(template, _store.Trails.GetValueOrDefault(template.Id.Value)) is { } mismatch)
                {
                    throw new ArgumentException(mismatch, nameof(templates));
                }

                if (exists && MissingContent(template, stored!) is { } missing)
                {
                    throw new ArgumentException(missing, nameof(templates));
                }
            }

            foreach (var template in templates)
            {
                var revision = template.Revision + 1;
                if (!_store.Templates.TryGetValue(template.Id, out var stored))
                {
                    _store.Templates[template.Id] = stored = new Stored();
                }

                // The trail is kept beside the header (InMemoryStore.Trails): only the new entries are appended.
                stored.Header = Header(template, revision);
                stored.Apply(template);
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
        List<TemplateSummary> all;
        lock (_store.Gate)
        {
            all = [.. _store.Templates.Values.Select(s => new TemplateSummary(s.Header.Id, s.Header.Name, s.Header.Published, s.Live?.Number, s.Releases.Count, s.Header.Revision))];
        }

        IReadOnlyList<TemplateSummary> list = all.OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Id).ToList();
        return Task.FromResult(list);
    }

    private static TemplateSnapshot Header(Template template, long revision) => new()
    {
        Id = template.Id,
        Name = template.Name,
        Published = template.Published,
        Revision = revision,
        LastReleaseNumber = template.LastReleaseNumber,
        CreatedBy = template.CreatedBy,
        CreatedAt = template.CreatedAt,
        Team = [.. template.Team],
        Releases = [],
        AuditTrail = [],
    };

    // A changed release loaded without its content keeps the stored content; it must then be stored (a release a
    // command created always has its content). Checked before anything is written.
    private static string? MissingContent(Template template, Stored stored)
    {
        foreach (var key in template.ChangedItems)
        {
            var number = key.ToReleaseNumber();
            if (!template.GetRelease(number).HasContent && !stored.Releases.ContainsKey(number.Value))
            {
                return $"Release {number} of template '{template.Name}' ({template.Id}) has no content loaded and none is stored.";
            }
        }

        return null;
    }

    /// <summary>One stored template: its header (no releases, no trail) and its releases by number.</summary>
    internal sealed class Stored
    {
        public TemplateSnapshot Header { get; set; } = null!;

        public SortedList<int, TemplateRelease> Releases { get; } = [];

        public TemplateRelease? Live { get; private set; }

        /// <summary>The selected releases that exist, with their content, and the Live one, without it unless selected; in number order.</summary>
        public ImmutableArray<TemplateRelease> Select(ItemSelection selection)
        {
            var builder = ImmutableArray.CreateBuilder<TemplateRelease>(selection.Keys.Count + 1);
            foreach (var key in selection.Keys)
            {
                if (ReleaseNumber.TryParse(key.Value, out var number) && Releases.TryGetValue(number.Value, out var release))
                {
                    builder.Add(release);
                }
            }

            if (Live is { } live && !builder.Contains(live))
            {
                builder.Add(live.WithoutContent());
            }

            builder.Sort(static (a, b) => a.Number.CompareTo(b.Number));
            return builder.ToImmutable();
        }

        /// <summary>Writes a template's removed and changed releases; a release loaded without content keeps the stored content.</summary>
        public void Apply(Template template)
        {
            foreach (var key in template.RemovedItems)
            {
                var number = key.ToReleaseNumber().Value;
                Releases.Remove(number);
                if (Live?.Number.Value == number)
                {
                    Live = null;
                }
            }

            foreach (var key in template.ChangedItems)
            {
                var release = template.GetRelease(key.ToReleaseNumber());
                var number = release.Number.Value;
                if (!release.HasContent)
                {
                    release = release with { Content = Releases[number].Content };
                }

                Releases[number] = release;
                if (release.State == ReleaseState.Live)
                {
                    Live = release;
                }
                else if (Live?.Number.Value == number)
                {
                    Live = null;
                }
            }

            // The Live release may have been saved before the one it replaced was demoted: find it once more.
            if (Live is null || Live.State != ReleaseState.Live || !ReferenceEquals(Releases.GetValueOrDefault(Live.Number.Value), Live))
            {
                Live = template.LiveRelease is { } live && Releases.TryGetValue(live.Number.Value, out var stored) ? stored : null;
            }
        }
    }
}
