using NodaTime;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Sqlite;

/// <summary>
/// Templates in SQLite: one row per template, one per release (JSON, without content), one per release's content (apart,
/// so a command that does not read it never reads its bytes, P8), audit entries and events as rows. A command loads only
/// the releases it selects and the Live one; a save writes only the releases that changed (demotions before promotions,
/// so the partial unique index, one Live release per template, holds at every statement) and only the content that
/// changed.
/// </summary>
/// <param name="database">The database.</param>
public sealed class SqliteTemplateRepository(SqliteDatabase database) : ITemplateRepository
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default) => FindAsync(id, ItemSelection.All, wholeTrail: true, cancellationToken);

    /// <inheritdoc />
    public Task<Template?> FindWithoutAuditTrailAsync(TemplateId id, CancellationToken cancellationToken = default) => FindAsync(id, ItemSelection.All, wholeTrail: false, cancellationToken);

    /// <inheritdoc />
    public Task<Template?> FindForCommandAsync(TemplateId id, ItemSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return FindAsync(id, selection, wholeTrail: false, cancellationToken);
    }

    private async Task<Template?> FindAsync(TemplateId id, ItemSelection selection, bool wholeTrail, CancellationToken cancellationToken)
    {
        await using var session = await _database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = await LoadAsync(session, id, selection, wholeTrail, cancellationToken).ConfigureAwait(false);
        return snapshot is null ? null : Template.FromSnapshot(snapshot);
    }

    /// <inheritdoc />
    public Task SaveAsync(Template template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        return SaveAllAsync([template], cancellationToken);
    }

    /// <inheritdoc />
    public async Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(templates);
        if (templates.Select(t => t.Id).Distinct().Count() != templates.Count)
        {
            throw new ArgumentException("templates must not contain the same template twice.", nameof(templates));
        }

        await using (var session = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var template in templates)
            {
                await SaveOneAsync(session, template, cancellationToken).ConfigureAwait(false);
            }

            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var template in templates)
        {
            template.MarkSaved(template.Revision + 1);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command("""
            SELECT t.id, t.name, t.published, t.revision,
                   (SELECT number FROM template_releases r WHERE r.template_id = t.id AND r.state = 'Live'),
                   (SELECT COUNT(*) FROM template_releases r WHERE r.template_id = t.id)
            FROM templates t ORDER BY t.name COLLATE BINARY, t.id;
            """).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<TemplateSummary>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new TemplateSummary(TemplateId.Parse(reader.GetString(0)), reader.GetString(1), reader.GetInt64(2) != 0,
                reader.IsDBNull(4) ? null : new ReleaseNumber(reader.GetInt32(4)), reader.GetInt32(5), reader.GetInt64(3)));
        }

        return list;
    }

    private static async Task SaveOneAsync(SqliteSession session, Template template, CancellationToken cancellationToken)
    {
        var id = template.Id.ToString();
        var revision = template.Revision + 1;

        // The revision check is the write itself (as for integrations): no row written means a conflict.
        var written = await session.ExecuteAsync(template.Revision == 0
            ? "INSERT INTO templates (id, revision, name, published, last_release_number, created_by, created_at, team) VALUES ($id, $rev, $name, $published, $last, $by, $at, $team) ON CONFLICT (id) DO NOTHING;"
            : "UPDATE templates SET revision = $rev, name = $name, published = $published, last_release_number = $last, team = $team WHERE id = $id AND revision = $expected;",
            cancellationToken,
            ("$id", id), ("$rev", revision), ("$name", template.Name), ("$published", template.Published ? 1 : 0), ("$team", StoreJson.WriteTeam(template.Team)),
            ("$last", template.LastReleaseNumber), ("$by", template.CreatedBy.Value), ("$at", template.CreatedAt.ToUnixTimeTicks()),
            ("$expected", template.Revision)).ConfigureAwait(false);
        if (written == 0)
        {
            var stored = await session.ScalarAsync("SELECT revision FROM templates WHERE id = $id;", cancellationToken, ("$id", id)).ConfigureAwait(false);
            throw new ConcurrencyConflictException(template.AggregateKind, id, template.Revision, stored is null ? -1 : (long)stored);
        }

        foreach (var removed in template.RemovedItems)
        {
            await session.ExecuteAsync("DELETE FROM template_releases WHERE template_id = $id AND number = $n;", cancellationToken,
                ("$id", id), ("$n", removed.ToReleaseNumber().Value)).ConfigureAwait(false);
            await session.ExecuteAsync("DELETE FROM template_release_contents WHERE template_id = $id AND number = $n;", cancellationToken,
                ("$id", id), ("$n", removed.ToReleaseNumber().Value)).ConfigureAwait(false);
        }

        // Releases leaving Live first, so the one-Live partial unique index holds after every statement.
        var changed = template.ChangedItems.Select(k => template.GetRelease(k.ToReleaseNumber())).OrderBy(r => r.State == ReleaseState.Live).ToList();
        foreach (var release in changed)
        {
            await session.ExecuteAsync("""
                INSERT INTO template_releases (template_id, number, state, data) VALUES ($id, $n, $state, $data)
                ON CONFLICT (template_id, number) DO UPDATE SET state = excluded.state, data = excluded.data;
                """, cancellationToken, ("$id", id), ("$n", release.Number.Value), ("$state", release.State.ToString()), ("$data", StoreJson.WriteWithoutContent(release))).ConfigureAwait(false);
        }

        // Content only where it was set (new drafts, copies, edits, swaps); every other release keeps what is stored.
        foreach (var number in template.ReleasesWithNewContent)
        {
            await session.ExecuteAsync("""
                INSERT INTO template_release_contents (template_id, number, content) VALUES ($id, $n, $content)
                ON CONFLICT (template_id, number) DO UPDATE SET content = excluded.content;
                """, cancellationToken, ("$id", id), ("$n", number.Value), ("$content", StoreJson.WriteContent(template.GetRelease(number).Content))).ConfigureAwait(false);
        }

        await SqliteDatabase.AppendAuditAsync(session, template, cancellationToken).ConfigureAwait(false);
        await SqliteDatabase.AppendEventsAsync(session, template.PendingEvents, revision, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<TemplateSnapshot?> LoadAsync(SqliteSession session, TemplateId id, ItemSelection selection, bool wholeTrail, CancellationToken cancellationToken)
    {
        var key = id.ToString();
        string name;
        bool published;
        long revision;
        int last;
        ActorId createdBy;
        Instant createdAt;
        System.Collections.Immutable.ImmutableSortedSet<ActorId> team;
        await using (var reader = await session.Command("SELECT name, published, revision, last_release_number, created_by, created_at, team FROM templates WHERE id = $id;", ("$id", key))
            .ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            name = reader.GetString(0);
            published = reader.GetInt64(1) != 0;
            revision = reader.GetInt64(2);
            last = reader.GetInt32(3);
            createdBy = ActorId.FromStored(reader.GetString(4));
            createdAt = Instant.FromUnixTimeTicks(reader.GetInt64(5));
            team = StoreJson.ReadTeam(reader.GetString(6));
        }

        var releases = selection.IsAll
            ? await ReadReleasesAsync(session, AllReleases, cancellationToken, ("$id", key)).ConfigureAwait(false)
            : await ReadSelectedAsync(session, key, selection, cancellationToken).ConfigureAwait(false);

        var audit = wholeTrail ? await SqliteDatabase.ReadAuditAsync(session, key, cancellationToken).ConfigureAwait(false) : [];
        var auditStart = wholeTrail ? 0 : await SqliteDatabase.AuditTrailLengthAsync(session, key, cancellationToken).ConfigureAwait(false);
        return new TemplateSnapshot
        {
            Id = id,
            Name = name,
            Published = published,
            Revision = revision,
            LastReleaseNumber = last,
            CreatedBy = createdBy,
            CreatedAt = createdAt,
            Team = team,
            Releases = [.. releases],
            AuditTrail = [.. audit],
            AuditTrailStart = auditStart,
            Loaded = selection,
        };
    }

    private const string AllReleases = """
        SELECT r.data, c.content FROM template_releases r
        LEFT JOIN template_release_contents c ON c.template_id = r.template_id AND c.number = r.number
        WHERE r.template_id = $id ORDER BY r.number;
        """;

    private const string OneRelease = """
        SELECT r.data, c.content FROM template_releases r
        LEFT JOIN template_release_contents c ON c.template_id = r.template_id AND c.number = r.number
        WHERE r.template_id = $id AND r.number = $n;
        """;

    // The partial unique index (one Live release per template) answers this without touching the other releases.
    private const string LiveRelease = "SELECT data, NULL FROM template_releases WHERE template_id = $id AND state = 'Live';";

    /// <summary>The selected releases that exist (with content) and the Live one (without it unless selected), in number order.</summary>
    private static async Task<List<TemplateRelease>> ReadSelectedAsync(SqliteSession session, string key, ItemSelection selection, CancellationToken cancellationToken)
    {
        var releases = new List<TemplateRelease>(selection.Keys.Count + 1);
        foreach (var selected in selection.Keys)
        {
            if (ReleaseNumber.TryParse(selected.Value, out var number))
            {
                releases.AddRange(await ReadReleasesAsync(session, OneRelease, cancellationToken, ("$id", key), ("$n", number.Value)).ConfigureAwait(false));
            }
        }

        foreach (var live in await ReadReleasesAsync(session, LiveRelease, cancellationToken, ("$id", key)).ConfigureAwait(false))
        {
            if (!releases.Exists(r => r.Number == live.Number))
            {
                releases.Add(live);
            }
        }

        releases.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        return releases;
    }

    private static async Task<List<TemplateRelease>> ReadReleasesAsync(SqliteSession session, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var releases = new List<TemplateRelease>();
        await using var reader = await session.Command(sql, parameters).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var release = StoreJson.ReadRelease(reader.GetString(0));
            releases.Add(reader.IsDBNull(1) ? release : release with { Content = StoreJson.ReadContent(reader.GetString(1)) });
        }

        return releases;
    }
}
