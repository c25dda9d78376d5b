using Npgsql;
using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using static Versioning.Core.PostgreSql.PostgreSqlDatabase;

namespace Versioning.Core.PostgreSql;

/// <summary>
/// Templates in PostgreSQL: one row per template, one per release (jsonb, without content), one per release's content
/// (apart, so a command that does not read it never reads its bytes, P8), audit entries and events as rows. A command
/// loads only the releases it selects and the Live one, in the same round trip as the header; a save writes only the
/// content that changed.
/// A save checks revisions with <c>UPDATE … WHERE revision = @expected</c> (the row lock it takes serialises writers of
/// one template), then writes only the releases that changed — demotions before promotions, because PostgreSQL checks
/// the partial unique index (one Live release per template) row by row and cannot defer it — and the events last.
/// </summary>
/// <param name="database">The database.</param>
public sealed class PostgreSqlTemplateRepository(PostgreSqlDatabase database) : ITemplateRepository
{
    private readonly PostgreSqlDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default) => LoadAsync(id, ItemSelection.All, wholeTrail: true, cancellationToken);

    /// <inheritdoc />
    public Task<Template?> FindWithoutAuditTrailAsync(TemplateId id, CancellationToken cancellationToken = default) => LoadAsync(id, ItemSelection.All, wholeTrail: false, cancellationToken);

    /// <inheritdoc />
    public Task<Template?> FindForCommandAsync(TemplateId id, ItemSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return LoadAsync(id, selection, wholeTrail: false, cancellationToken);
    }

    private async Task<Template?> LoadAsync(TemplateId id, ItemSelection selection, bool wholeTrail, CancellationToken cancellationToken)
    {
        // One round trip (PostgreSqlDatabase.ReadAsync): the template row first, then its releases and its trail (or the
        // trail's length), then the revision again. Each statement sees what was committed when it started; when the two
        // revisions agree no save committed in between (every save moves the revision), so the rows are one state. When
        // they differ, read again.
        for (; ; )
        {
            var (found, snapshot) = await _database.ReadAsync((Id: id, WholeTrail: wholeTrail, Selection: selection), static (db, batch, s) =>
            {
                batch.BatchCommands.Add(BatchCommand(db.Statement("template.load.header", static db => $"SELECT name, published, revision, last_release_number, created_by, created_at, team::text FROM {db.Templates} WHERE id = @id;"), Param("id", s.Id.Value)));
                batch.BatchCommands.Add(s.Selection.IsAll
                    ? BatchCommand(db.Statement("template.load.releases", static db => $"""
                        SELECT r.data::text, c.content::text FROM {db.TemplateReleases} r
                        LEFT JOIN {db.TemplateReleaseContents} c ON c.template_id = r.template_id AND c.number = r.number
                        WHERE r.template_id = @id ORDER BY r.number;
                        """), Param("id", s.Id.Value))
                    // The selected releases with their content, then the Live one (found by the one-Live partial index) without.
                    : BatchCommand(db.Statement("template.load.selected-releases", static db => $"""
                        SELECT r.data::text, c.content::text FROM {db.TemplateReleases} r
                        LEFT JOIN {db.TemplateReleaseContents} c ON c.template_id = r.template_id AND c.number = r.number
                        WHERE r.template_id = @id AND r.number = ANY(@numbers)
                        UNION ALL
                        SELECT data::text, NULL FROM {db.TemplateReleases} WHERE template_id = @id AND state = 'Live' AND NOT (number = ANY(@numbers));
                        """), Param("id", s.Id.Value), Param("numbers", s.Selection.Keys.Select(k => ReleaseNumber.TryParse(k.Value, out var n) ? n.Value : 0).Where(n => n > 0).ToArray())));
                batch.BatchCommands.Add(s.WholeTrail
                    ? db.ReadAuditCommand(s.Id.Value)
                    : BatchCommand(db.Statement("template.load.trail-length", static db => $"SELECT {db.AuditTrailLength("@id")};"), Param("id", s.Id.Value)));
                batch.BatchCommands.Add(BatchCommand(db.Statement("template.load.revision", static db => $"SELECT revision FROM {db.Templates} WHERE id = @id;"), Param("id", s.Id.Value)));
            }, static (reader, s, ct) => ReadAsync(reader, s.Id, s.WholeTrail, s.Selection, ct), cancellationToken).ConfigureAwait(false);
            if (!found)
            {
                return null;
            }

            if (snapshot is not null)
            {
                return Template.FromSnapshot(snapshot);
            }
        }
    }

    /// <summary>
    /// Reads the result sets of a load: (false, null) when there is no such template, (true, null) when the template's
    /// revision moved between the first and the last statement (read again), else the snapshot.
    /// </summary>
    private static async Task<(bool Found, TemplateSnapshot? Snapshot)> ReadAsync(NpgsqlDataReader reader, TemplateId id, bool wholeTrail, ItemSelection selection, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return (false, null);
        }

        var name = reader.GetString(0);
        var published = reader.GetBoolean(1);
        var revision = reader.GetInt64(2);
        var last = reader.GetInt32(3);
        var createdBy = ActorId.FromStored(reader.GetString(4));
        var createdAt = Instant.FromUnixTimeTicks(reader.GetInt64(5));
        var team = StoreJson.ReadTeam(reader.GetString(6));

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var releases = new List<TemplateRelease>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var release = StoreJson.ReadRelease(reader.GetString(0));
            releases.Add(reader.IsDBNull(1) ? release : release with { Content = StoreJson.ReadContent(reader.GetString(1)) });
        }

        releases.Sort(static (a, b) => a.Number.CompareTo(b.Number));

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        List<Auditing.AuditEntry> audit = [];
        var auditStart = 0;
        if (wholeTrail)
        {
            audit = await ReadAuditAsync(reader, cancellationToken).ConfigureAwait(false);
        }
        else if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            auditStart = checked((int)reader.GetInt64(0));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.GetInt64(0) != revision)
        {
            return (true, null);
        }

        return (true, new TemplateSnapshot
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
        });
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

        if (templates.Count == 0)
        {
            return;
        }

        // One round trip (PostgreSqlDatabase.WriteAsync), one implicit transaction, so several templates are saved all or
        // nothing: first the revision checks, one statement per template in id order (so two saves of overlapping sets
        // lock the rows in the same order and cannot deadlock), each raising when its template is stale, so nothing after
        // it runs and nothing commits; then the releases and audit entries, then the events.
        await _database.WriteAsync(templates, static (db, rows, templates) =>
        {
            foreach (var template in templates.OrderBy(t => t.Id.Value))
            {
                rows.BatchCommands.Add(Header(db, template));
            }

            foreach (var template in templates)
            {
                AddRows(db, rows, template);
            }

            db.AddEvents(rows, templates.SelectMany(t => t.PendingEvents.Select(e => (e, t.Revision + 1))));
        }, static (db, connection, templates, failure, ct) => ConflictAsync(db, connection, templates, failure, ct), cancellationToken).ConfigureAwait(false);

        foreach (var template in templates)
        {
            template.MarkSaved(template.Revision + 1);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var db = _database;
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"""
            SELECT t.id, t.name, t.published, t.revision,
                   (SELECT r.number FROM {db.TemplateReleases} r WHERE r.template_id = t.id AND r.state = 'Live'),
                   (SELECT COUNT(*) FROM {db.TemplateReleases} r WHERE r.template_id = t.id)
            FROM {db.Templates} t ORDER BY t.name COLLATE "C", t.id;
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<TemplateSummary>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new TemplateSummary(new TemplateId(reader.GetGuid(0)), reader.GetString(1), reader.GetBoolean(2),
                reader.IsDBNull(4) ? null : new ReleaseNumber(reader.GetInt32(4)), (int)reader.GetInt64(5), reader.GetInt64(3)));
        }

        return list;
    }

    /// <summary>
    /// The insert (revision 0; does nothing when the id exists) or revision-checked update of a template row, raising
    /// <see cref="PostgreSqlDatabase.StaleSqlState"/> when it wrote nothing (<see cref="PostgreSqlDatabase.CheckedWrite"/>).
    /// </summary>
    private static NpgsqlBatchCommand Header(PostgreSqlDatabase db, Template template)
    {
        NpgsqlParameter[] columns =
        [
            Param("id", template.Id.Value), Param("rev", template.Revision + 1), Text("name", template.Name), Param("published", template.Published),
            Param("last", template.LastReleaseNumber), Text("by", template.CreatedBy.Value), Param("at", template.CreatedAt.ToUnixTimeTicks()),
            Param("expected", template.Revision), Jsonb("team", StoreJson.WriteTeam(template.Team)),
        ];
        return BatchCommand(template.Revision == 0
            ? db.Statement("template.save.insert", static db => db.CheckedWrite($"INSERT INTO {db.Templates} (id, revision, name, published, last_release_number, created_by, created_at, team) VALUES (@id, @rev, @name, @published, @last, @by, @at, @team) ON CONFLICT (id) DO NOTHING"))
            : db.Statement("template.save.update", static db => db.CheckedWrite($"UPDATE {db.Templates} SET revision = @rev, name = @name, published = @published, last_release_number = @last, team = @team WHERE id = @id AND revision = @expected")),
            columns);
    }

    private static void AddRows(PostgreSqlDatabase db, NpgsqlBatch batch, Template template)
    {
        var id = template.Id.Value;
        foreach (var removed in template.RemovedItems)
        {
            batch.BatchCommands.Add(BatchCommand(db.Statement("template.save.delete-release", static db => $"DELETE FROM {db.TemplateReleases} WHERE template_id = @id AND number = @n;"),
                Param("id", id), Param("n", removed.ToReleaseNumber().Value)));
            batch.BatchCommands.Add(BatchCommand(db.Statement("template.save.delete-content", static db => $"DELETE FROM {db.TemplateReleaseContents} WHERE template_id = @id AND number = @n;"),
                Param("id", id), Param("n", removed.ToReleaseNumber().Value)));
        }

        // Releases leaving Live first, so the one-Live partial unique index holds after every statement.
        foreach (var release in template.ChangedItems.Select(k => template.GetRelease(k.ToReleaseNumber())).OrderBy(r => r.State == ReleaseState.Live))
        {
            batch.BatchCommands.Add(BatchCommand(db.Statement("template.save.release", static db => $"""
                INSERT INTO {db.TemplateReleases} (template_id, number, state, data) VALUES (@id, @n, @state, @data)
                ON CONFLICT (template_id, number) DO UPDATE SET state = EXCLUDED.state, data = EXCLUDED.data;
                """), Param("id", id), Param("n", release.Number.Value), Text("state", release.State.ToString()), Jsonb("data", StoreJson.WriteWithoutContent(release))));
        }

        // Content only where it was set (new drafts, copies, edits, swaps); every other release keeps what is stored.
        foreach (var number in template.ReleasesWithNewContent)
        {
            batch.BatchCommands.Add(BatchCommand(db.Statement("template.save.content", static db => $"""
                INSERT INTO {db.TemplateReleaseContents} (template_id, number, content) VALUES (@id, @n, @content)
                ON CONFLICT (template_id, number) DO UPDATE SET content = EXCLUDED.content;
                """), Param("id", id), Param("n", number.Value), Jsonb("content", StoreJson.WriteContent(template.GetRelease(number).Content))));
        }

        db.AddAudit(batch, template, id);
    }

    /// <summary>
    /// The conflict to report when a save of <paramref name="templates"/> failed with <paramref name="failure"/>: the first
    /// template (in id order, the order of the revision checks) whose stored revision is not the one it was loaded at, else
    /// the first template. The stored revisions are read here, on this path only.
    /// </summary>
    private static async Task<ConcurrencyConflictException> ConflictAsync(PostgreSqlDatabase db, NpgsqlConnection connection, IReadOnlyList<Template> templates, PostgresException failure, CancellationToken cancellationToken)
    {
        (Template Template, long Actual)? first = null;
        foreach (var template in templates.OrderBy(t => t.Id.Value))
        {
            var actual = await RevisionAsync(connection, db.Templates, template.Id.Value, cancellationToken).ConfigureAwait(false);
            first ??= (template, actual);
            if (ConcurrencyConflictException.IsStale(template.Revision, actual >= 0 ? actual : null))
            {
                first = (template, actual);
                break;
            }
        }

        var (t, a) = first!.Value;
        return new ConcurrencyConflictException(t.AggregateKind, t.AggregateIdText, t.Revision, a, IsStale(failure) ? null : failure);
    }
}
