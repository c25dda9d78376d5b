using Npgsql;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using static Versioning.Core.PostgreSql.PostgreSqlDatabase;

namespace Versioning.Core.PostgreSql;

/// <summary>
/// Integrations in PostgreSQL: one row per integration (header as jsonb), one per version, history and events as rows.
/// A save checks the revision with <c>UPDATE … WHERE revision = @expected</c>, then writes only the versions that changed
/// — the demoted one before the promoted one, because PostgreSQL checks the partial unique index (one Promoted version
/// per integration) row by row and cannot defer it — and the events last, all in one transaction.
/// </summary>
/// <param name="database">The database.</param>
public sealed class PostgreSqlIntegrationRepository(PostgreSqlDatabase database) : IIntegrationRepository
{
    private readonly PostgreSqlDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default) => LoadAsync(id, wholeTrail: true, cancellationToken);

    /// <inheritdoc />
    public Task<Integration?> FindWithoutAuditTrailAsync(IntegrationId id, CancellationToken cancellationToken = default) => LoadAsync(id, wholeTrail: false, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// One round trip of plain statements (PostgreSqlDatabase.ReadAsync): the header row, the selected version rows with
    /// their content rows, the Promoted row (its content only when asked for), the used numbers only when asked for, the
    /// trail's length, then the revision again. Each statement is simple enough for PostgreSQL to keep one generic plan
    /// (one statement with lateral subqueries was planned again at every call, four times its execution); the cost does
    /// not grow with the number of versions nor with the content of the versions not selected.
    /// </remarks>
    public async Task<Integration?> FindForCommandAsync(IntegrationId id, ItemSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (selection.IsAll)
        {
            return await LoadAsync(id, wholeTrail: false, cancellationToken).ConfigureAwait(false);
        }

        var keys = selection.Keys.Select(k => k.Value).ToArray();

        // Each statement sees what was committed when it started. The header comes first and the revision is read again
        // last: when both agree no save committed in between (every save moves the revision), so the rows are one state;
        // when they differ, read again. (A copy read across a commit could only make its save's revision check fail.)
        for (; ; )
        {
            var (found, snapshot) = await _database.ReadAsync((Id: id.Value, Keys: keys, Selection: selection), static (db, batch, s) =>
            {
                batch.BatchCommands.Add(BatchCommand(db.Statement("integration.command.header", static db => $"SELECT name, revision, data::text FROM {db.Integrations} WHERE id = @id;"), Param("id", s.Id)));
                batch.BatchCommands.Add(BatchCommand(db.Statement("integration.command.versions", static db => $"""
                    SELECT v.data::text, c.data::text FROM {db.IntegrationVersions} AS v
                    LEFT JOIN {db.IntegrationVersionContent} AS c ON c.integration_id = v.integration_id AND c.number = v.number
                    WHERE v.integration_id = @id AND v.number = ANY (@keys);
                    """), Param("id", s.Id), Param("keys", s.Keys)));
                batch.BatchCommands.Add(s.Selection.CurrentContent
                    ? BatchCommand(db.Statement("integration.command.promoted-with-content", static db => $"""
                        SELECT v.data::text, c.data::text FROM {db.IntegrationVersions} AS v
                        LEFT JOIN {db.IntegrationVersionContent} AS c ON c.integration_id = v.integration_id AND c.number = v.number
                        WHERE v.integration_id = @id AND v.state = 'Promoted' AND NOT (v.number = ANY (@keys));
                        """), Param("id", s.Id), Param("keys", s.Keys))
                    : BatchCommand(db.Statement("integration.command.promoted", static db => $"""
                        SELECT data::text, NULL::text FROM {db.IntegrationVersions}
                        WHERE integration_id = @id AND state = 'Promoted' AND NOT (number = ANY (@keys));
                        """), Param("id", s.Id), Param("keys", s.Keys)));
                batch.BatchCommands.Add(s.Selection.UsedNumbers
                    ? BatchCommand(db.Statement("integration.command.used", static db => $"SELECT number FROM {db.IntegrationUsedNumbers} WHERE integration_id = @id;"), Param("id", s.Id))
                    : BatchCommand(db.Statement("integration.command.no-used", static db => "SELECT NULL::text WHERE false;")));
                batch.BatchCommands.Add(BatchCommand(db.Statement("integration.command.trail-length", static db => $"SELECT {db.AuditTrailLength("@id")};"), Param("id", s.Id)));
                batch.BatchCommands.Add(BatchCommand(db.Statement("integration.command.revision", static db => $"SELECT revision FROM {db.Integrations} WHERE id = @id;"), Param("id", s.Id)));
            }, static (reader, s, ct) => ReadCommandCopyAsync(reader, new IntegrationId(s.Id), s.Selection, ct), cancellationToken).ConfigureAwait(false);
            if (!found)
            {
                return null;
            }

            if (snapshot is not null)
            {
                return Integration.FromSnapshot(snapshot);
            }
        }
    }

    /// <summary>
    /// Reads the result sets of a command load: (false, null) when there is no such integration, (true, null) when its
    /// revision moved between the first and the last statement (read again), else the snapshot.
    /// </summary>
    private static async Task<(bool Found, IntegrationSnapshot? Snapshot)> ReadCommandCopyAsync(NpgsqlDataReader reader, IntegrationId id, ItemSelection selection, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return (false, null);
        }

        var name = reader.GetString(0);
        var revision = reader.GetInt64(1);
        var header = reader.GetString(2);
        var versions = new List<IntegrationVersion>();
        for (var set = 0; set < 2; set++)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var version = StoreJson.ReadVersion(reader.GetString(0));
                versions.Add(reader.IsDBNull(1) ? version : version with { Content = StoreJson.ReadContent(reader.GetString(1)) });
            }
        }

        versions.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var used = new List<VersionNumber>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            used.Add(VersionNumber.Parse(reader.GetString(0)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var trailLength = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? checked((int)reader.GetInt64(0)) : 0;
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.GetInt64(0) != revision)
        {
            return (true, null);
        }

        var snapshot = StoreJson.ReadIntegration(id, name, revision, header, versions, []) with { AuditTrailStart = trailLength };
        return (true, snapshot with { UsedNumbers = [.. used], Loaded = selection });
    }

    // A whole copy (every version with its content, the used numbers) in one statement; commands use FindForCommandAsync.
    private async Task<Integration?> LoadAsync(IntegrationId id, bool wholeTrail, CancellationToken cancellationToken)
    {
        var db = _database;
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One statement, so one snapshot (a concurrent save is seen entirely or not at all) and one round trip without a
        // transaction: the header row with its versions (and their content), its used numbers, and either its history,
        // oldest first, as arrays, or only the history's length.
        await using var command = Command(connection, null,
            wholeTrail ? db.Statement("integration.load.whole", static db => LoadStatement(db, wholeTrail: true))
                : db.Statement("integration.load.without-trail", static db => LoadStatement(db, wholeTrail: false)),
            Param("id", id.Value));
        IntegrationSnapshot snapshot;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var versionRows = reader.IsDBNull(3) ? [] : reader.GetFieldValue<string[]>(3);
            var contentRows = reader.IsDBNull(4) ? [] : reader.GetFieldValue<string?[]>(4);
            var list = new List<IntegrationVersion>(versionRows.Length);
            for (var n = 0; n < versionRows.Length; n++)
            {
                var version = StoreJson.ReadVersion(versionRows[n]);
                list.Add(contentRows[n] is { } content ? version with { Content = StoreJson.ReadContent(content) } : version);
            }

            var usedNumbers = reader.IsDBNull(5) ? [] : reader.GetFieldValue<string[]>(5);
            snapshot = wholeTrail
                ? StoreJson.ReadIntegration(id, reader.GetString(0), reader.GetInt64(1), reader.GetString(2), list, ReadAuditArrays(reader, 6))
                : StoreJson.ReadIntegration(id, reader.GetString(0), reader.GetInt64(1), reader.GetString(2), list, []) with { AuditTrailStart = checked((int)reader.GetInt64(6)) };
            snapshot = snapshot with { UsedNumbers = [.. usedNumbers.Select(VersionNumber.Parse)], Loaded = ItemSelection.All };
        }

        return Integration.FromSnapshot(snapshot);
    }

    /// <summary>The statement of <see cref="LoadAsync"/>: built once per database, prepared once.</summary>
    private static string LoadStatement(PostgreSqlDatabase db, bool wholeTrail)
    {
        var contentOf = $"(SELECT c.data::text FROM {db.IntegrationVersionContent} AS c WHERE c.integration_id = v.integration_id AND c.number = v.number)";
        var versions = $"SELECT v.data, {contentOf} AS content FROM {db.IntegrationVersions} AS v WHERE v.integration_id = i.id";
        var used = $"SELECT array_agg(number) AS numbers FROM {db.IntegrationUsedNumbers} WHERE integration_id = i.id";

        return wholeTrail
            ? $"""
                SELECT i.name, i.revision, i.data::text, v.data, v.content, u.numbers, a.seq, a.action, a.actor, a.at, a.subject, a.details
                FROM {db.Integrations} AS i
                CROSS JOIN LATERAL (SELECT array_agg(x.data::text) AS data, array_agg(x.content) AS content FROM ({versions}) AS x) AS v
                CROSS JOIN LATERAL ({used}) AS u
                CROSS JOIN LATERAL (SELECT array_agg(seq) AS seq, array_agg(action) AS action, array_agg(actor) AS actor, array_agg(at) AS at,
                                           array_agg(subject) AS subject, array_agg(details) AS details
                                    FROM (SELECT seq, action, actor, at, subject, details FROM {db.AuditEntries} WHERE aggregate_id = i.id ORDER BY seq) AS o) AS a
                WHERE i.id = @id;
                """
            : $"""
                SELECT i.name, i.revision, i.data::text, v.data, v.content, u.numbers, {db.AuditTrailLength("i.id")}
                FROM {db.Integrations} AS i
                CROSS JOIN LATERAL (SELECT array_agg(x.data::text) AS data, array_agg(x.content) AS content FROM ({versions}) AS x) AS v
                CROSS JOIN LATERAL ({used}) AS u
                WHERE i.id = @id;
                """;
    }

    /// <inheritdoc />
    public async Task SaveAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);

        // One round trip (PostgreSqlDatabase.WriteAsync), one statement in the usual case: its first sub-statement is the
        // revision check, whose row lock makes concurrent savers of this integration wait there; the others write only when
        // it wrote the row (WHERE EXISTS (SELECT FROM saved), evaluated once, before their first row), and check_saved
        // aborts the statement when it did not — so a stale save writes nothing and takes no further locks. Then every
        // changed version, the new history entries and the events, each from parallel arrays (empty when there is
        // nothing), so the text never changes and the statement is prepared once. Removed versions (rare) are deleted by
        // a statement of their own after it, in the same implicit transaction.
        await _database.WriteAsync(integration, static (db, rows, i) => AddSave(db, rows, i),
            static (db, connection, i, failure, ct) => ConflictAsync(connection, db.Integrations, i.Id.Value, i.AggregateKind, i.AggregateIdText, i.Revision, failure, ct),
            cancellationToken).ConfigureAwait(false);
        integration.MarkSaved(integration.Revision + 1);
    }

    /// <summary>
    /// Adds the statements of a save to <paramref name="rows"/> (also used by <see cref="PostgreSqlMigrationRepository"/>
    /// to save an integration with a job in one transaction, X9). A stale revision aborts the batch with
    /// <see cref="PostgreSqlDatabase.StaleSqlState"/>; the caller marks the integration saved at revision + 1 once committed.
    /// </summary>
    internal static void AddSave(PostgreSqlDatabase db, NpgsqlBatch rows, Integration integration)
    {
        var id = integration.Id.Value;
        var revision = integration.Revision + 1;
        // The header no longer holds the used numbers (rows of their own since schema step 6): it stays small.
        var snapshot = integration.ToSnapshot();
        var header = StoreJson.WriteHeader(snapshot with { UsedNumbers = [] });

        // Changed versions in array order: the demoted one before the promoted one, because PostgreSQL checks the
        // partial unique index (one Promoted version per integration) row by row.
        var changed = integration.ChangedItems.Select(k => integration.GetVersion(k.ToVersionNumber())).OrderBy(v => v.StoredState == VersionState.Promoted).ToList();

        // Content only for the versions whose content was set (a version loaded without it keeps the stored one), with
        // their numbers among the used ones (Z1); a new integration stores every used number.
        var contentSet = integration.ContentChangedItems.Select(k => integration.GetVersion(k.ToVersionNumber())).ToList();
        var newNumbers = integration.Revision == 0 ? snapshot.UsedNumbers.Select(n => n.ToString()).ToArray() : contentSet.Select(v => v.Number.ToString()).ToArray();
        var save = BatchCommand(integration.Revision == 0
                ? db.Statement("integration.save.insert", static db => SaveStatement(db, insert: true))
                : db.Statement("integration.save.update", static db => SaveStatement(db, insert: false)),
            Param("id", id), Param("rev", revision), Text("name", integration.Name), Jsonb("data", header), Param("expected", integration.Revision),
            Param("numbers", changed.Select(v => v.Number.ToString()).ToArray()), Param("states", changed.Select(v => v.StoredState.ToString()).ToArray()),
            new NpgsqlParameter("versions", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb) { Value = changed.Select(v => StoreJson.Write(v.WithoutContent())).ToArray() },
            Param("content_numbers", contentSet.Select(v => v.Number.ToString()).ToArray()),
            new NpgsqlParameter("contents", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb) { Value = contentSet.Select(v => StoreJson.WriteContent(v.Content)).ToArray() },
            Param("used_numbers", newNumbers));
        save.Parameters.AddRange(PostgreSqlDatabase.AuditParameters(integration));
        save.Parameters.AddRange(PostgreSqlDatabase.EventParameters([.. integration.PendingEvents.Select(e => (e, revision))]));
        rows.BatchCommands.Add(save);
        foreach (var removed in integration.RemovedItems)
        {
            rows.BatchCommands.Add(BatchCommand($"DELETE FROM {db.IntegrationVersions} WHERE integration_id = @id AND number = @n;",
                Param("id", id), Text("n", removed.Value)));
            rows.BatchCommands.Add(BatchCommand($"DELETE FROM {db.IntegrationVersionContent} WHERE integration_id = @id AND number = @n;",
                Param("id", id), Text("n", removed.Value)));
        }

    }

    /// <summary>The save statement of <see cref="AddSave"/>: the first save of an integration inserts its row, the others update it.</summary>
    private static string SaveStatement(PostgreSqlDatabase db, bool insert)
    {
        const string Guard = "WHERE EXISTS (SELECT FROM saved)";
        return $"""
            WITH saved AS ({(insert
                ? $"INSERT INTO {db.Integrations} (id, revision, name, data) VALUES (@id, @rev, @name, @data) ON CONFLICT (id) DO NOTHING RETURNING 1"
                : $"UPDATE {db.Integrations} SET revision = @rev, name = @name, data = @data WHERE id = @id AND revision = @expected RETURNING 1")}),
            versions AS (
                INSERT INTO {db.IntegrationVersions} (integration_id, number, state, data)
                SELECT @id, number, state, data FROM unnest(@numbers, @states, @versions) WITH ORDINALITY AS v (number, state, data, n)
                {Guard}
                ORDER BY n
                ON CONFLICT (integration_id, number) DO UPDATE SET state = EXCLUDED.state, data = EXCLUDED.data),
            contents AS (
                INSERT INTO {db.IntegrationVersionContent} (integration_id, number, data)
                SELECT @id, number, data FROM unnest(@content_numbers, @contents) AS c (number, data)
                {Guard}
                ON CONFLICT (integration_id, number) DO UPDATE SET data = EXCLUDED.data),
            used AS (
                INSERT INTO {db.IntegrationUsedNumbers} (integration_id, number)
                SELECT @id, number FROM unnest(@used_numbers) AS u (number)
                {Guard}
                ON CONFLICT DO NOTHING),
            history AS ({db.AuditInsert(Guard)}),
            events AS ({db.EventsInsert(Guard)})
            SELECT {db.QuotedSchema}.check_saved(COUNT(*)) FROM saved;
            """;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IntegrationSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var db = _database;
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"""
            SELECT i.id, i.name, i.revision,
                   (SELECT v.number FROM {db.IntegrationVersions} v WHERE v.integration_id = i.id AND v.state = 'Promoted'),
                   (SELECT COUNT(*) FROM {db.IntegrationVersions} v WHERE v.integration_id = i.id)
            FROM {db.Integrations} i ORDER BY i.name COLLATE "C", i.id;
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<IntegrationSummary>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new IntegrationSummary(new IntegrationId(reader.GetGuid(0)), reader.GetString(1),
                reader.IsDBNull(3) ? null : VersionNumber.Parse(reader.GetString(3)), (int)reader.GetInt64(4), reader.GetInt64(2)));
        }

        return list;
    }
}
