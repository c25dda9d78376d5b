using Microsoft.Data.Sqlite;
using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Sqlite;

/// <summary>
/// Installations in SQLite, clustered by id and indexed by (product, id, cohort bucket) for listings, keyset paging and
/// migration batches. The pinned version is in no index (P10), so a count or page by version reads the product's rows.
/// </summary>
/// <param name="database">The database.</param>
public sealed class SqliteInstallationRepository(SqliteDatabase database) : IInstallationRepository
{
    internal const string Columns = "id, product_kind, product_id, owner_kind, owner_id, pinned, status, settings, created_at, updated_at, revision";

    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<Installation?> FindAsync(InstallationId id, CancellationToken cancellationToken = default)
    {
        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command( $"SELECT {Columns} FROM installations WHERE id = $id;", ("$id", id.ToString())).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <inheritdoc />
    public async Task<Installation> SaveAsync(Installation installation, DomainEvent domainEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(installation);
        ArgumentNullException.ThrowIfNull(domainEvent);
        await using var session = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var id = installation.Id.ToString();
        var stored = await session.ScalarAsync("SELECT revision FROM installations WHERE id = $id;", cancellationToken, ("$id", id)).ConfigureAwait(false);
        var actual = stored is null ? -1 : (long)stored;
        if (ConcurrencyConflictException.IsStale(installation.Revision, stored is null ? null : actual))
        {
            throw new ConcurrencyConflictException(InstallationEvents.Kind, id, installation.Revision, actual);
        }

        var saved = installation with { Revision = installation.Revision + 1 };
        await session.ExecuteAsync($"""
            INSERT INTO installations ({Columns}) VALUES ($id, $pk, $pid, $ok, $oid, $pinned, $status, $settings, $created, $updated, $rev)
            ON CONFLICT (id) DO UPDATE SET owner_kind = excluded.owner_kind, owner_id = excluded.owner_id, pinned = excluded.pinned, status = excluded.status,
                settings = excluded.settings, updated_at = excluded.updated_at, revision = excluded.revision;
            """, cancellationToken,
            ("$id", id), ("$pk", (int)saved.Product.Kind), ("$pid", saved.Product.Id.ToString("D")), ("$ok", (int)saved.Owner.Kind), ("$oid", saved.Owner.Id),
            ("$pinned", saved.Pinned.Value), ("$status", (int)saved.Status), ("$settings", StoreJson.WriteSettings(saved.Settings)),
            ("$created", saved.CreatedAt.ToUnixTimeTicks()), ("$updated", saved.UpdatedAt.ToUnixTimeTicks()), ("$rev", saved.Revision)).ConfigureAwait(false);
        await SqliteDatabase.AppendEventsAsync(session, [domainEvent], saved.Revision, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return saved;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<VersionKey, InstallationCounts>> CountByVersionAsync(ProductRef product, CancellationToken cancellationToken = default)
    {
        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command(
            "SELECT pinned, SUM(status = 1), SUM(status = 0) FROM installations WHERE product_kind = $pk AND product_id = $pid GROUP BY pinned;",
            ("$pk", (int)product.Kind), ("$pid", product.Id.ToString("D"))).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command(
            "SELECT COALESCE(SUM(status = 1), 0), COALESCE(SUM(status = 0), 0) FROM installations WHERE product_kind = $pk AND product_id = $pid AND pinned = $pinned;",
            ("$pk", (int)product.Kind), ("$pid", product.Id.ToString("D")), ("$pinned", pinned.Value)).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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

        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command(
            $"SELECT {Columns} FROM installations WHERE product_kind = $pk AND product_id = $pid AND id > $after ORDER BY id LIMIT $take;",
            ("$pk", (int)product.Kind), ("$pid", product.Id.ToString("D")), ("$after", after?.ToString() ?? string.Empty), ("$take", take)).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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

        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command(
            $"SELECT {Columns} FROM installations WHERE product_kind = $pk AND product_id = $pid AND pinned = $pinned AND id > $after ORDER BY id LIMIT $take;",
            ("$pk", (int)product.Kind), ("$pid", product.Id.ToString("D")), ("$pinned", pinned.Value), ("$after", after?.ToString() ?? string.Empty), ("$take", take)).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<Installation>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(Read(reader));
        }

        return page;
    }

    internal static Installation Read(SqliteDataReader reader) => new()
    {
        Id = InstallationId.Parse(reader.GetString(0)),
        Product = new ProductRef((ProductKind)reader.GetInt32(1), Guid.Parse(reader.GetString(2))),
        Owner = new OwnerRef((OwnerKind)reader.GetInt32(3), reader.GetString(4)),
        Pinned = VersionKey.FromStored(reader.GetString(5)),
        Status = (RunStatus)reader.GetInt32(6),
        Settings = StoreJson.ReadSettings(reader.GetString(7)),
        CreatedAt = Instant.FromUnixTimeTicks(reader.GetInt64(8)),
        UpdatedAt = Instant.FromUnixTimeTicks(reader.GetInt64(9)),
        Revision = reader.GetInt64(10),
    };
}
