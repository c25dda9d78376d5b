using Microsoft.Data.Sqlite;
using NodaTime;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Sqlite;

/// <summary>
/// Templates in SQLite: one row per template, one per release (content as JSON), audit entries and events as rows.
/// A save writes only the releases that changed, demotions before promotions, so the partial unique index
/// (one Live release per template) holds at every statement.
/// </summary>
/// <param name="database">The database.</param>
public sealed class SqliteTemplateRepository(SqliteDatabase database) : ITemplateRepository
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction(deferred: true);
        var snapshot = await LoadAsync(connection, tx, id, cancellationToken).ConfigureAwait(false);
        return snapshot is null ? null : Template.FromSnapshot(snapshot);
    }

    /// <inheritdoc />
    public async Task SaveAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(templates);
        if (templates.Select(t => t.Id).Distinct().Count() != templates.Count)
        {
            throw new ArgumentException("templates must not contain the same template twice.", nameof(templates));
        }

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = SqliteDatabase.BeginWrite(connection);
        foreach (var template in templates)
        {
            await SaveOneAsync(connection, tx, template, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var template in templates)
        {
            template.MarkSaved(template.Revision + 1);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqliteDatabase.Command(connection, null, """
            SELECT t.id, t.name, t.published, t.revision,
                   (SELECT number FROM template_releases r WHERE r.template_id = t.id AND r.state = 'Live'),
                   (SELECT COUNT(*) FROM template_releases r WHERE r.template_id = t.id)
            FROM templates t ORDER BY t.name COLLATE BINARY, t.id;
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<TemplateSummary>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new TemplateSummary(TemplateId.Parse(reader.GetString(0)), reader.GetString(1), reader.GetInt64(2) != 0,
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetInt32(5), reader.GetInt64(3)));
        }

        return list;
    }

    private static async Task SaveOneAsync(SqliteConnection connection, SqliteTransaction tx, Template template, CancellationToken cancellationToken)
    {
        var id = template.Id.ToString();
        var stored = await SqliteDatabase.ScalarAsync(connection, tx, "SELECT revision FROM templates WHERE id = $id;", cancellationToken, ("$id", id)).ConfigureAwait(false);
        var actual = stored is null ? -1 : (long)stored;
        if ((template.Revision == 0 && stored is not null) || (template.Revision != 0 && actual != template.Revision))
        {
            throw new ConcurrencyConflictException(template.AggregateKind, id, template.Revision, actual);
        }

        var revision = template.Revision + 1;
        (string, object?)[] columns =
        [
            ("$id", id), ("$rev", revision), ("$name", template.Name), ("$published", template.Published ? 1 : 0),
            ("$last", template.LastReleaseNumber), ("$by", template.CreatedBy.Value), ("$at", template.CreatedAt.ToUnixTimeTicks()),
        ];
        await SqliteDatabase.ExecuteAsync(connection, tx, template.Revision == 0
            ? "INSERT INTO templates (id, revision, name, published, last_release_number, created_by, created_at) VALUES ($id, $rev, $name, $published, $last, $by, $at);"
            : "UPDATE templates SET revision = $rev, name = $name, published = $published, last_release_number = $last WHERE id = $id;",
            cancellationToken, columns).ConfigureAwait(false);

        foreach (var removed in template.RemovedItems)
        {
            await SqliteDatabase.ExecuteAsync(connection, tx, "DELETE FROM template_releases WHERE template_id = $id AND number = $n;", cancellationToken,
                ("$id", id), ("$n", removed.ToReleaseNumber())).ConfigureAwait(false);
        }

        // Releases leaving Live first, so the one-Live partial unique index holds after every statement.
        var changed = template.ChangedItems.Select(k => template.GetRelease(k.ToReleaseNumber())).OrderBy(r => r.State == ReleaseState.Live).ToList();
        foreach (var release in changed)
        {
            await SqliteDatabase.ExecuteAsync(connection, tx, """
                INSERT INTO template_releases (template_id, number, state, data) VALUES ($id, $n, $state, $data)
                ON CONFLICT (template_id, number) DO UPDATE SET state = excluded.state, data = excluded.data;
                """, cancellationToken, ("$id", id), ("$n", release.Number), ("$state", release.State.ToString()), ("$data", StoreJson.Write(release))).ConfigureAwait(false);
        }

        await SqliteDatabase.AppendAuditAsync(connection, tx, template, cancellationToken).ConfigureAwait(false);
        await SqliteDatabase.AppendEventsAsync(connection, tx, template.PendingEvents, revision, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<TemplateSnapshot?> LoadAsync(SqliteConnection connection, SqliteTransaction tx, TemplateId id, CancellationToken cancellationToken)
    {
        var key = id.ToString();
        string name;
        bool published;
        long revision;
        int last;
        ActorId createdBy;
        Instant createdAt;
        await using (var command = SqliteDatabase.Command(connection, tx, "SELECT name, published, revision, last_release_number, created_by, created_at FROM templates WHERE id = $id;", ("$id", key)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            name = reader.GetString(0);
            published = reader.GetInt64(1) != 0;
            revision = reader.GetInt64(2);
            last = reader.GetInt32(3);
            createdBy = new ActorId(reader.GetString(4));
            createdAt = Instant.FromUnixTimeTicks(reader.GetInt64(5));
        }

        var releases = new List<TemplateRelease>();
        await using (var command = SqliteDatabase.Command(connection, tx, "SELECT data FROM template_releases WHERE template_id = $id ORDER BY number;", ("$id", key)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                releases.Add(StoreJson.ReadRelease(reader.GetString(0)));
            }
        }

        var audit = await SqliteDatabase.ReadAuditAsync(connection, tx, key, cancellationToken).ConfigureAwait(false);
        return new TemplateSnapshot
        {
            Id = id,
            Name = name,
            Published = published,
            Revision = revision,
            LastReleaseNumber = last,
            CreatedBy = createdBy,
            CreatedAt = createdAt,
            Releases = [.. releases],
            AuditTrail = [.. audit],
        };
    }
}
