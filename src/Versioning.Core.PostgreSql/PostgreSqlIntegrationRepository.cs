using System.Data;
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
    public async Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default)
    {
        var db = _database;
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);

        // One snapshot for the three reads, so a concurrent save is seen entirely or not at all.
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(BatchCommand($"SELECT name, revision, data FROM {db.Integrations} WHERE id = @id;", Param("id", id.Value)));
        batch.BatchCommands.Add(BatchCommand($"SELECT data FROM {db.IntegrationVersions} WHERE integration_id = @id;", Param("id", id.Value)));
        batch.BatchCommands.Add(db.ReadAuditCommand(id.Value));
        IntegrationSnapshot snapshot;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var name = reader.GetString(0);
            var revision = reader.GetInt64(1);
            var header = reader.GetString(2);

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var versions = new List<IntegrationVersion>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                versions.Add(StoreJson.ReadVersion(reader.GetString(0)));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var history = await ReadAuditAsync(reader, cancellationToken).ConfigureAwait(false);
            snapshot = StoreJson.ReadIntegration(id, name, revision, header, versions, history);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Integration.FromSnapshot(snapshot);
    }

    /// <inheritdoc />
    public async Task SaveAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        var db = _database;
        var id = integration.Id.Value;
        var revision = integration.Revision + 1;
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            var stale = false;
            PostgresException? failure = null;
            try
            {
                // 1. The revision check; its row lock makes concurrent savers of this integration wait here.
                var header = StoreJson.WriteHeader(integration.ToSnapshot());
                var written = await PostgreSqlDatabase.ExecuteAsync(connection, tx, integration.Revision == 0
                        ? $"INSERT INTO {db.Integrations} (id, revision, name, data) VALUES (@id, @rev, @name, @data) ON CONFLICT (id) DO NOTHING;"
                        : $"UPDATE {db.Integrations} SET revision = @rev, name = @name, data = @data WHERE id = @id AND revision = @expected;",
                        cancellationToken,
                        Param("id", id), Param("rev", revision), Text("name", integration.Name), Jsonb("data", header), Param("expected", integration.Revision))
                    .ConfigureAwait(false);
                stale = written != 1;
                if (!stale)
                {
                    // 2. Versions (demotion before promotion), history, then the events under the outbox lock: one round trip.
                    await using var rows = new NpgsqlBatch(connection, tx);
                    foreach (var removed in integration.RemovedItems)
                    {
                        rows.BatchCommands.Add(BatchCommand($"DELETE FROM {db.IntegrationVersions} WHERE integration_id = @id AND number = @n;",
                            Param("id", id), Text("n", removed.Value)));
                    }

                    var changed = integration.ChangedItems.Select(k => integration.GetVersion(k.ToVersionNumber())).OrderBy(v => v.StoredState == VersionState.Promoted);
                    foreach (var version in changed)
                    {
                        rows.BatchCommands.Add(BatchCommand($"""
                            INSERT INTO {db.IntegrationVersions} (integration_id, number, state, data) VALUES (@id, @n, @state, @data)
                            ON CONFLICT (integration_id, number) DO UPDATE SET state = EXCLUDED.state, data = EXCLUDED.data;
                            """, Param("id", id), Text("n", version.Number.ToString()), Text("state", version.StoredState.ToString()), Jsonb("data", StoreJson.Write(version))));
                    }

                    db.AddAudit(rows, integration, id);
                    db.AddEvents(rows, integration.PendingEvents.Select(e => (e, revision)));
                    await PostgreSqlDatabase.ExecuteAsync(rows, cancellationToken).ConfigureAwait(false);
                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (PostgresException ex) when (IsConflict(ex))
            {
                failure = ex;
            }

            if (stale || failure is not null)
            {
                await RollbackAsync(tx).ConfigureAwait(false);
                var actual = await RevisionAsync(connection, db.Integrations, id, cancellationToken).ConfigureAwait(false);
                throw new ConcurrencyConflictException(integration.AggregateKind, integration.AggregateIdText, integration.Revision, actual, failure);
            }
        }

        integration.MarkSaved(revision);
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
