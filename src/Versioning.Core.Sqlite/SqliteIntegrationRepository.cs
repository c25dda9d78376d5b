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
    public Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default) => LoadAsync(id, wholeTrail: true, cancellationToken);

    /// <inheritdoc />
    public Task<Integration?> FindWithoutAuditTrailAsync(IntegrationId id, CancellationToken cancellationToken = default) => LoadAsync(id, wholeTrail: false, cancellationToken);

    private async Task<Integration?> LoadAsync(IntegrationId id, bool wholeTrail, CancellationToken cancellationToken)
    {
        await using var session = await _database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var key = id.ToString();
        string name, header;
        long revision;
        await using (var reader = await session.Command("SELECT name, revision, data FROM integrations WHERE id = $id;", ("$id", key)).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
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
        await using (var reader = await session.Command("SELECT data FROM integration_versions WHERE integration_id = $id;", ("$id", key)).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                versions.Add(StoreJson.ReadVersion(reader.GetString(0)));
            }
        }

        if (!wholeTrail)
        {
            var start = await SqliteDatabase.AuditTrailLengthAsync(session, key, cancellationToken).ConfigureAwait(false);
            return Integration.FromSnapshot(StoreJson.ReadIntegration(id, name, revision, header, versions, []) with { AuditTrailStart = start });
        }

        var history = await SqliteDatabase.ReadAuditAsync(session, key, cancellationToken).ConfigureAwait(false);
        return Integration.FromSnapshot(StoreJson.ReadIntegration(id, name, revision, header, versions, history));
    }

    /// <inheritdoc />
    public async Task SaveAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        await using var session = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var revision = await WriteAsync(session, integration, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        integration.MarkSaved(revision);
    }

    /// <summary>
    /// The writes of a save inside an open write transaction (also used by <see cref="SqliteMigrationRepository"/> to save
    /// an integration with a job, X9); the caller commits and marks the integration saved with the returned revision.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The stored revision differs; the caller's transaction must roll back.</exception>
    internal static async Task<long> WriteAsync(SqliteSession session, Integration integration, CancellationToken cancellationToken)
    {
        var id = integration.Id.ToString();
        var revision = integration.Revision + 1;
        var header = StoreJson.WriteHeader(integration.ToSnapshot());

        // The revision check is the write itself: the INSERT of a new integration does nothing if the id exists, the
        // UPDATE matches only the expected revision; a write that changed no row is a conflict.
        var written = await session.ExecuteAsync(integration.Revision == 0
            ? "INSERT INTO integrations (id, revision, name, data) VALUES ($id, $rev, $name, $data) ON CONFLICT (id) DO NOTHING;"
            : "UPDATE integrations SET revision = $rev, name = $name, data = $data WHERE id = $id AND revision = $expected;",
            cancellationToken, ("$id", id), ("$rev", revision), ("$name", integration.Name), ("$data", header), ("$expected", integration.Revision)).ConfigureAwait(false);
        if (written == 0)
        {
            var stored = await session.ScalarAsync("SELECT revision FROM integrations WHERE id = $id;", cancellationToken, ("$id", id)).ConfigureAwait(false);
            throw new ConcurrencyConflictException(integration.AggregateKind, id, integration.Revision, stored is null ? -1 : (long)stored);
        }

        foreach (var removed in integration.RemovedItems)
        {
            await session.ExecuteAsync("DELETE FROM integration_versions WHERE integration_id = $id AND number = $n;", cancellationToken,
                ("$id", id), ("$n", removed.Value)).ConfigureAwait(false);
        }

        var changed = integration.ChangedItems.Select(k => integration.GetVersion(k.ToVersionNumber())).OrderBy(v => v.StoredState == VersionState.Promoted).ToList();
        foreach (var version in changed)
        {
            await session.ExecuteAsync("""
                INSERT INTO integration_versions (integration_id, number, state, data) VALUES ($id, $n, $state, $data)
                ON CONFLICT (integration_id, number) DO UPDATE SET state = excluded.state, data = excluded.data;
                """, cancellationToken, ("$id", id), ("$n", version.Number.ToString()), ("$state", version.StoredState.ToString()), ("$data", StoreJson.Write(version))).ConfigureAwait(false);
        }

        await SqliteDatabase.AppendAuditAsync(session, integration, cancellationToken).ConfigureAwait(false);
        await SqliteDatabase.AppendEventsAsync(session, integration.PendingEvents, revision, cancellationToken).ConfigureAwait(false);
        return revision;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IntegrationSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command("""
            SELECT i.id, i.name, i.revision,
                   (SELECT number FROM integration_versions v WHERE v.integration_id = i.id AND v.state = 'Promoted'),
                   (SELECT COUNT(*) FROM integration_versions v WHERE v.integration_id = i.id)
            FROM integrations i ORDER BY i.name COLLATE BINARY, i.id;
            """).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<IntegrationSummary>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new IntegrationSummary(IntegrationId.Parse(reader.GetString(0)), reader.GetString(1),
                reader.IsDBNull(3) ? null : VersionNumber.Parse(reader.GetString(3)), reader.GetInt32(4), reader.GetInt64(2)));
        }

        return list;
    }
}
