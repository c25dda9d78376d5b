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
    public Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default) => LoadAsync(id, wholeTrail: true, ItemSelection.All, cancellationToken);

    /// <inheritdoc />
    public Task<Integration?> FindWithoutAuditTrailAsync(IntegrationId id, CancellationToken cancellationToken = default) => LoadAsync(id, wholeTrail: false, ItemSelection.All, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Reads the header row, the selected version rows and the Promoted one through their keys (the primary key and the
    /// one-Promoted index), each selected version's content row, and the used-number rows only when asked for: the cost
    /// does not grow with the number of versions nor with the content of the versions not selected.
    /// </remarks>
    public Task<Integration?> FindForCommandAsync(IntegrationId id, ItemSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return LoadAsync(id, wholeTrail: false, selection, cancellationToken);
    }

    private const string ContentOf = "(SELECT c.data FROM integration_version_content AS c WHERE c.integration_id = v.integration_id AND c.number = v.number)";

    private async Task<Integration?> LoadAsync(IntegrationId id, bool wholeTrail, ItemSelection selection, CancellationToken cancellationToken)
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
        var command = selection.IsAll
            ? session.Command($"SELECT v.data, {ContentOf} FROM integration_versions AS v WHERE v.integration_id = $id;", ("$id", key))
            : session.Command($"""
                SELECT v.data, {ContentOf} FROM integration_versions AS v
                WHERE v.integration_id = $id AND v.number IN (SELECT value FROM json_each($keys))
                UNION ALL
                SELECT v.data, CASE WHEN $current THEN {ContentOf} END FROM integration_versions AS v
                WHERE v.integration_id = $id AND v.state = 'Promoted' AND v.number NOT IN (SELECT value FROM json_each($keys));
                """, ("$id", key), ("$keys", KeysJson(selection)), ("$current", selection.CurrentContent));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var version = StoreJson.ReadVersion(reader.GetString(0));
                versions.Add(reader.IsDBNull(1) ? version : version with { Content = StoreJson.ReadContent(reader.GetString(1)) });
            }
        }

        var used = new List<VersionNumber>();
        if (selection.UsedNumbers)
        {
            await using var reader = await session.Command("SELECT number FROM integration_used_numbers WHERE integration_id = $id;", ("$id", key)).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                used.Add(VersionNumber.Parse(reader.GetString(0)));
            }
        }

        var trail = wholeTrail ? await SqliteDatabase.ReadAuditAsync(session, key, cancellationToken).ConfigureAwait(false) : [];
        var snapshot = StoreJson.ReadIntegration(id, name, revision, header, versions, trail) with { UsedNumbers = [.. used], Loaded = selection };
        if (!wholeTrail)
        {
            snapshot = snapshot with { AuditTrailStart = await SqliteDatabase.AuditTrailLengthAsync(session, key, cancellationToken).ConfigureAwait(false) };
        }

        return Integration.FromSnapshot(snapshot);
    }

    // The selected keys as a JSON array of strings (one statement text whatever their number, so it is prepared once).
    private static string KeysJson(ItemSelection selection)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var key in selection.Keys)
            {
                writer.WriteStringValue(key.Value);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
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
        // The header no longer holds the used numbers (rows of their own since schema step 6): it stays small.
        var snapshot = integration.ToSnapshot();
        var header = StoreJson.WriteHeader(snapshot with { UsedNumbers = [] });

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
            await session.ExecuteAsync("DELETE FROM integration_version_content WHERE integration_id = $id AND number = $n;", cancellationToken,
                ("$id", id), ("$n", removed.Value)).ConfigureAwait(false);
        }

        // Each changed version's row, without its content (a version loaded without it keeps the stored one); the content
        // row only for the versions whose content was set, with their number among the used ones (Z1).
        var changed = integration.ChangedItems.Select(k => integration.GetVersion(k.ToVersionNumber())).OrderBy(v => v.StoredState == VersionState.Promoted).ToList();
        foreach (var version in changed)
        {
            await session.ExecuteAsync("""
                INSERT INTO integration_versions (integration_id, number, state, data) VALUES ($id, $n, $state, $data)
                ON CONFLICT (integration_id, number) DO UPDATE SET state = excluded.state, data = excluded.data;
                """, cancellationToken, ("$id", id), ("$n", version.Number.ToString()), ("$state", version.StoredState.ToString()), ("$data", StoreJson.Write(version.WithoutContent()))).ConfigureAwait(false);
        }

        foreach (var key in integration.ContentChangedItems)
        {
            var version = integration.GetVersion(key.ToVersionNumber());
            await session.ExecuteAsync("""
                INSERT INTO integration_version_content (integration_id, number, data) VALUES ($id, $n, $data)
                ON CONFLICT (integration_id, number) DO UPDATE SET data = excluded.data;
                """, cancellationToken, ("$id", id), ("$n", key.Value), ("$data", StoreJson.WriteContent(version.Content))).ConfigureAwait(false);
        }

        var newNumbers = integration.Revision == 0 ? snapshot.UsedNumbers.Select(n => n.ToString()) : integration.ContentChangedItems.Select(k => k.Value);
        foreach (var number in newNumbers)
        {
            await session.ExecuteAsync("INSERT INTO integration_used_numbers (integration_id, number) VALUES ($id, $n) ON CONFLICT DO NOTHING;", cancellationToken,
                ("$id", id), ("$n", number)).ConfigureAwait(false);
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
