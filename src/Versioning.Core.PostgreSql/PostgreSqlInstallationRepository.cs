using Npgsql;
using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using static Versioning.Core.PostgreSql.PostgreSqlDatabase;

namespace Versioning.Core.PostgreSql;

/// <summary>
/// Installations in PostgreSQL, indexed by (product, id) including the cohort bucket for listings, keyset paging and
/// migration batches. The pinned version is in no index (P10: a migration's moves are HOT updates), so a count or page
/// by version reads the product's rows.
/// Ids are uuid, which PostgreSQL orders exactly as <see cref="InstallationId.CompareTo"/> does, so pages and migration
/// checkpoints agree with the other stores.
/// </summary>
/// <param name="database">The database.</param>
public sealed class PostgreSqlInstallationRepository(PostgreSqlDatabase database) : IInstallationRepository
{
    internal const string Columns = "id, product_kind, product_id, owner_kind, owner_id, pinned, status, settings, created_at, updated_at, revision";

    private readonly PostgreSqlDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<Installation?> FindAsync(InstallationId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {Columns} FROM {_database.Installations} WHERE id = @id;", Param("id", id.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <inheritdoc />
    public async Task<Installation> SaveAsync(Installation installation, DomainEvent domainEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(installation);
        ArgumentNullException.ThrowIfNull(domainEvent);
        var saved = installation with { Revision = installation.Revision + 1 };

        // One round trip (PostgreSqlDatabase.WriteAsync), one implicit transaction: the revision-checked row, which raises
        // when it wrote nothing (so the event after it never runs), then the event.
        await _database.WriteAsync((Installation: installation, Saved: saved, Event: domainEvent), static (db, rows, s) =>
        {
            var (installation, saved, domainEvent) = s;
            NpgsqlParameter[] values =
            [
                Param("id", saved.Id.Value), Param("pk", (int)saved.Product.Kind), Param("pid", saved.Product.Id), Param("ok", (int)saved.Owner.Kind),
                Text("oid", saved.Owner.Id), Text("pinned", saved.Pinned.Value), Param("status", (int)saved.Status),
                Jsonb("settings", StoreJson.WriteSettings(saved.Settings)), Param("created", saved.CreatedAt.ToUnixTimeTicks()),
                Param("updated", saved.UpdatedAt.ToUnixTimeTicks()), Param("rev", saved.Revision), Param("expected", installation.Revision),
            ];
            rows.BatchCommands.Add(BatchCommand(installation.Revision == 0
                ? db.Statement("installation.save.insert", static db => db.CheckedWrite(
                    $"INSERT INTO {db.Installations} ({Columns}) VALUES (@id, @pk, @pid, @ok, @oid, @pinned, @status, @settings, @created, @updated, @rev) ON CONFLICT (id) DO NOTHING"))
                : db.Statement("installation.save.update", static db => db.CheckedWrite($"""
                    UPDATE {db.Installations} SET owner_kind = @ok, owner_id = @oid, pinned = @pinned, status = @status, settings = @settings,
                        updated_at = @updated, revision = @rev
                    WHERE id = @id AND revision = @expected
                    """)),
                values));
            db.AddEvents(rows, [(domainEvent, saved.Revision)]);
        }, static (db, connection, s, failure, ct) => ConflictAsync(connection, db.Installations, s.Installation.Id.Value, InstallationEvents.Kind,
            s.Installation.Id.ToString(), s.Installation.Revision, failure, ct), cancellationToken).ConfigureAwait(false);
        return saved;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<VersionKey, InstallationCounts>> CountByVersionAsync(ProductRef product, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"""
            SELECT pinned, COUNT(*) FILTER (WHERE status = @running), COUNT(*) FILTER (WHERE status = @paused)
            FROM {_database.Installations} WHERE product_kind = @pk AND product_id = @pid GROUP BY pinned;
            """,
            Param("running", (int)RunStatus.Running), Param("paused", (int)RunStatus.Paused), Param("pk", (int)product.Kind), Param("pid", product.Id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<VersionKey, InstallationCounts>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[VersionKey.FromStored(reader.GetString(0))] = new InstallationCounts(reader.GetInt64(1), reader.GetInt64(2));
        }

        return counts;
    }

    /// <inheritdoc />
    public async Task<InstallationCounts> CountAsync(ProductRef product, VersionKey pinned, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"""
            SELECT COUNT(*) FILTER (WHERE status = @running), COUNT(*) FILTER (WHERE status = @paused)
            FROM {_database.Installations} WHERE product_kind = @pk AND product_id = @pid AND pinned = @pinned;
            """,
            Param("running", (int)RunStatus.Running), Param("paused", (int)RunStatus.Paused), Param("pk", (int)product.Kind), Param("pid", product.Id),
            Text("pinned", pinned.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new InstallationCounts(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Installation>> ListAsync(ProductRef product, InstallationId? after, int take, CancellationToken cancellationToken = default)
    {
        if (take is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(take), take, "take must be between 1 and 10000.");
        }

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var keyset = after is null ? string.Empty : "AND id > @after ";
        await using var command = Command(connection, null,
            $"SELECT {Columns} FROM {_database.Installations} WHERE product_kind = @pk AND product_id = @pid {keyset}ORDER BY id LIMIT @take;",
            Param("pk", (int)product.Kind), Param("pid", product.Id), Param("after", after?.Value ?? Guid.Empty), Param("take", take));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<Installation>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(Read(reader));
        }

        return page;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Installation>> ListByVersionAsync(ProductRef product, VersionKey pinned, InstallationId? after, int take, CancellationToken cancellationToken = default)
    {
        if (pinned == default)
        {
            throw new ArgumentException("pinned must not be the default (empty) value.", nameof(pinned));
        }

        if (take is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(take), take, "take must be between 1 and 10000.");
        }

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var keyset = after is null ? string.Empty : "AND id > @after ";
        await using var command = Command(connection, null,
            $"SELECT {Columns} FROM {_database.Installations} WHERE product_kind = @pk AND product_id = @pid AND pinned = @pinned {keyset}ORDER BY id LIMIT @take;",
            Param("pk", (int)product.Kind), Param("pid", product.Id), Text("pinned", pinned.Value), Param("after", after?.Value ?? Guid.Empty), Param("take", take));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<Installation>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(Read(reader));
        }

        return page;
    }

    internal static Installation Read(NpgsqlDataReader reader) => new()
    {
        Id = new InstallationId(reader.GetGuid(0)),
        Product = new ProductRef((ProductKind)reader.GetInt32(1), reader.GetGuid(2)),
        Owner = new OwnerRef((OwnerKind)reader.GetInt32(3), reader.GetString(4)),
        Pinned = VersionKey.FromStored(reader.GetString(5)),
        Status = (RunStatus)reader.GetInt32(6),
        Settings = StoreJson.ReadSettings(reader.GetString(7)),
        CreatedAt = Instant.FromUnixTimeTicks(reader.GetInt64(8)),
        UpdatedAt = Instant.FromUnixTimeTicks(reader.GetInt64(9)),
        Revision = reader.GetInt64(10),
    };
}
