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

    private async Task<Integration?> LoadAsync(IntegrationId id, bool wholeTrail, CancellationToken cancellationToken)
    {
        var db = _database;
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);

        // One statement, so one snapshot (a concurrent save is seen entirely or not at all) and one round trip without a
        // transaction: the header row with its versions and either its history, oldest first, as arrays, or only the
        // history's length.
        await using var command = Command(connection, null, wholeTrail
            ? db.Statement("integration.load.whole", static db => $"""
                SELECT i.name, i.revision, i.data::text, v.data, a.seq, a.action, a.actor, a.at, a.subject, a.details
                FROM {db.Integrations} AS i
                CROSS JOIN LATERAL (SELECT array_agg(data::text) AS data FROM {db.IntegrationVersions} WHERE integration_id = i.id) AS v
                CROSS JOIN LATERAL (SELECT array_agg(seq) AS seq, array_agg(action) AS action, array_agg(actor) AS actor, array_agg(at) AS at,
                                           array_agg(subject) AS subject, array_agg(details) AS details
                                    FROM (SELECT seq, action, actor, at, subject, details FROM {db.AuditEntries} WHERE aggregate_id = i.id ORDER BY seq) AS o) AS a
                WHERE i.id = @id;
                """)
            : db.Statement("integration.load.without-trail", static db => $"""
                SELECT i.name, i.revision, i.data::text, v.data, {db.AuditTrailLength("i.id")}
                FROM {db.Integrations} AS i
                CROSS JOIN LATERAL (SELECT array_agg(data::text) AS data FROM {db.IntegrationVersions} WHERE integration_id = i.id) AS v
                WHERE i.id = @id;
                """), Param("id", id.Value));
        IntegrationSnapshot snapshot;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var versionRows = reader.IsDBNull(3) ? [] : reader.GetFieldValue<string[]>(3);
            var versions = new List<IntegrationVersion>(versionRows.Length);
            foreach (var json in versionRows)
            {
                versions.Add(StoreJson.ReadVersion(json));
            }

            snapshot = wholeTrail
                ? StoreJson.ReadIntegration(id, reader.GetString(0), reader.GetInt64(1), reader.GetString(2), versions, ReadAuditArrays(reader, 4))
                : StoreJson.ReadIntegration(id, reader.GetString(0), reader.GetInt64(1), reader.GetString(2), versions, []) with { AuditTrailStart = checked((int)reader.GetInt64(4)) };
        }

        return Integration.FromSnapshot(snapshot);
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
        var header = StoreJson.WriteHeader(integration.ToSnapshot());

        // Changed versions in array order: the demoted one before the promoted one, because PostgreSQL checks the
        // partial unique index (one Promoted version per integration) row by row.
        var changed = integration.ChangedItems.Select(k => integration.GetVersion(k.ToVersionNumber())).OrderBy(v => v.StoredState == VersionState.Promoted).ToList();
        var save = BatchCommand(integration.Revision == 0
                ? db.Statement("integration.save.insert", static db => SaveStatement(db, insert: true))
                : db.Statement("integration.save.update", static db => SaveStatement(db, insert: false)),
            Param("id", id), Param("rev", revision), Text("name", integration.Name), Jsonb("data", header), Param("expected", integration.Revision),
            Param("numbers", changed.Select(v => v.Number.ToString()).ToArray()), Param("states", changed.Select(v => v.StoredState.ToString()).ToArray()),
            new NpgsqlParameter("versions", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb) { Value = changed.Select(StoreJson.Write).ToArray() });
        save.Parameters.AddRange(PostgreSqlDatabase.AuditParameters(integration));
        save.Parameters.AddRange(PostgreSqlDatabase.EventParameters([.. integration.PendingEvents.Select(e => (e, revision))]));
        rows.BatchCommands.Add(save);
        foreach (var removed in integration.RemovedItems)
        {
            rows.BatchCommands.Add(BatchCommand($"DELETE FROM {db.IntegrationVersions} WHERE integration_id = @id AND number = @n;",
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
