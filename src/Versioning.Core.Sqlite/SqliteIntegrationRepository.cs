using Versioning.Core.Integrations;
using Versioning.Core.Persistence;

namespace Versioning.Core.Sqlite;

/// <summary>
/// Integrations in SQLite: one row per integration (header as JSON), one per version, history and events as rows. A save
/// writes only the versions that changed, the demoted one before the promoted one, so the partial unique index (one
/// Promoted version per integration) holds at every statement.
/// </summary>
/// <param name="database">The database.</param>
public sealed class SqliteIntegrationRepository(SqliteDatabase database) : IIntegrationRepository
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction(deferred: true);
        var key = id.ToString();
        string name, header;
        long revision;
        await using (var command = SqliteDatabase.Command(connection, tx, "SELECT name, revision, data FROM integrations WHERE id = $id;", ("$id", key)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            name = reader.GetString(0);
            revision = reader.GetInt64(1);
            header = reader.GetString(2);
        }

        var versions = new List<IntegrationVersion>();
        await using (var command = SqliteDatabase.Command(connection, tx, "SELECT data FROM integration_versions WHERE integration_id = $id;", ("$id", key)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                versions.Add(StoreJson.ReadVersion(reader.GetString(0)));
            }
        }

        var history = await SqliteDatabase.ReadAuditAsync(connection, tx, key, cancellationToken).ConfigureAwait(false);
        return Integration.FromSnapshot(StoreJson.ReadIntegration(id, name, revision, header, versions, history));
    }

    /// <inheritdoc />
    public async Task SaveAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = SqliteDatabase.BeginWrite(connection);
        var id = integration.Id.ToString();
        var stored = await SqliteDatabase.ScalarAsync(connection, tx, "SELECT revision FROM integrations WHERE id = $id;", cancellationToken, ("$id", id)).ConfigureAwait(false);
        var actual = stored is null ? -1 : (long)stored;
        if ((integration.Revision == 0 && stored is not null) || (integration.Revision != 0 && actual != integration.Revision))
        {
            throw new ConcurrencyConflictException(integration.AggregateKind, id, integration.Revision, actual);
        }

        var revision = integration.Revision + 1;
        var header = StoreJson.WriteHeader(integration.ToSnapshot());
        await SqliteDatabase.ExecuteAsync(connection, tx, integration.Revision == 0
            ? "INSERT INTO integrations (id, revision, name, data) VALUES ($id, $rev, $name, $data);"
            : "UPDATE integrations SET revision = $rev, name = $name, data = $data WHERE id = $id;",
            cancellationToken, ("$id", id), ("$rev", revision), ("$name", integration.Name), ("$data", header)).ConfigureAwait(false);

        foreach (var removed in integration.RemovedItems)
        {
            await SqliteDatabase.ExecuteAsync(connection, tx, "DELETE FROM integration_versions WHERE integration_id = $id AND number = $n;", cancellationToken,
                ("$id", id), ("$n", removed.Value)).ConfigureAwait(false);
        }

        var changed = integration.ChangedItems.Select(k => integration.GetVersion(k.ToVersionNumber())).OrderBy(v => v.StoredState == VersionState.Promoted).ToList();
        foreach (var version in changed)
        {
            await SqliteDatabase.ExecuteAsync(connection, tx, """
                INSERT INTO integration_versions (integration_id, number, state, data) VALUES ($id, $n, $state, $data)
                ON CONFLICT (integration_id, number) DO UPDATE SET state = excluded.state, data = excluded.data;
                """, cancellationToken, ("$id", id), ("$n", version.Number.ToString()), ("$state", version.StoredState.ToString()), ("$data", StoreJson.Write(version))).ConfigureAwait(false);
        }

        await SqliteDatabase.AppendAuditAsync(connection, tx, integration, cancellationToken).ConfigureAwait(false);
        await SqliteDatabase.AppendEventsAsync(connection, tx, integration.PendingEvents, revision, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        integration.MarkSaved(revision);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IntegrationSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqliteDatabase.Command(connection, null, """
            SELECT i.id, i.name, i.revision,
                   (SELECT number FROM integration_versions v WHERE v.integration_id = i.id AND v.state = 'Promoted'),
                   (SELECT COUNT(*) FROM integration_versions v WHERE v.integration_id = i.id)
            FROM integrations i ORDER BY i.name COLLATE BINARY, i.id;
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<IntegrationSummary>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new IntegrationSummary(IntegrationId.Parse(reader.GetString(0)), reader.GetString(1),
                reader.IsDBNull(3) ? null : VersionNumber.Parse(reader.GetString(3)), reader.GetInt32(4), reader.GetInt64(2)));
        }

        return list;
    }
}
