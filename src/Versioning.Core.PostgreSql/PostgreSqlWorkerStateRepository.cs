using Npgsql;
using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using static Versioning.Core.PostgreSql.PostgreSqlDatabase;

namespace Versioning.Core.PostgreSql;

/// <summary>
/// The background worker's shared state in PostgreSQL, for many host instances on one database. A lease is one row of
/// <c>worker_leases</c>: acquired by an upsert whose conflict branch takes the row lock and re-checks the expiry under
/// it, so two instances racing for a lapsed lease never both win; every acquisition by a new holder raises the
/// generation. A fenced write (a migration batch, a checkpoint) first locks the lease row <c>FOR SHARE</c> where it is
/// still held at its generation and unexpired: a takeover's upsert waits for the write to commit, and a write that
/// comes after a takeover finds no row and aborts (<c>check_lease</c>), writing nothing. Instants are the worker's
/// clock's (stored as unix ticks).
/// </summary>
/// <param name="database">The database.</param>
public sealed class PostgreSqlWorkerStateRepository(PostgreSqlDatabase database) : IWorkerStateRepository
{
    private readonly PostgreSqlDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<WorkerLease?> TryAcquireLeaseAsync(string resource, string holder, Instant at, Duration duration, CancellationToken cancellationToken = default)
    {
        WorkerLease.CheckName(resource, nameof(resource));
        WorkerLease.CheckName(holder, nameof(holder));
        WorkerStateChecks.CheckDuration(duration);
        var expires = at + duration;
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var generation = await ScalarAsync(connection, null, $"""
            INSERT INTO {_database.WorkerLeases} AS l (resource, holder, generation, expires_at) VALUES (@r, @h, 1, @exp)
            ON CONFLICT (resource) DO UPDATE SET
                holder = EXCLUDED.holder,
                generation = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > @at THEN l.generation ELSE l.generation + 1 END,
                expires_at = EXCLUDED.expires_at
            WHERE l.expires_at <= @at OR l.holder = EXCLUDED.holder
            RETURNING generation;
            """, cancellationToken, Text("r", resource), Text("h", holder), Param("exp", expires.ToUnixTimeTicks()), Param("at", at.ToUnixTimeTicks())).ConfigureAwait(false);
        return generation is long g ? new WorkerLease(resource, holder, g, expires) : null;
    }

    /// <inheritdoc />
    public async Task<WorkerLease?> RenewLeaseAsync(WorkerLease lease, Instant at, Duration duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        WorkerStateChecks.CheckDuration(duration);
        var expires = at + duration;
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await ExecuteAsync(connection, null,
            $"UPDATE {_database.WorkerLeases} SET expires_at = @exp WHERE resource = @r AND holder = @h AND generation = @g AND expires_at > @at;",
            cancellationToken, Param("exp", expires.ToUnixTimeTicks()), Text("r", lease.Resource), Text("h", lease.Holder), Param("g", lease.Generation), Param("at", at.ToUnixTimeTicks()))
            .ConfigureAwait(false);
        return rows == 1 ? lease with { ExpiresAt = expires } : null;
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(WorkerLease lease, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null,
            $"UPDATE {_database.WorkerLeases} SET expires_at = LEAST(expires_at, @at) WHERE resource = @r AND holder = @h AND generation = @g;",
            cancellationToken, Param("at", at.ToUnixTimeTicks()), Text("r", lease.Resource), Text("h", lease.Holder), Param("g", lease.Generation)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WorkerLease>> ListLeasesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT resource, holder, generation, expires_at FROM {_database.WorkerLeases} ORDER BY resource COLLATE \"C\";");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var leases = new List<WorkerLease>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(new WorkerLease(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), Instant.FromUnixTimeTicks(reader.GetInt64(3))));
        }

        return leases;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MigrationJob>> ListRunnableJobsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"SELECT data, revision FROM {_database.MigrationJobs} WHERE data->>'state' IN ('Requested', 'InProgress') ORDER BY requested_at, id;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new List<MigrationJob>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(StoreJson.ReadJob(reader.GetString(0), reader.GetInt64(1)));
        }

        return jobs;
    }

    /// <inheritdoc />
    public async Task<MigrationJob> RunJobBatchAsync(WorkerLease lease, MigrationJob job, ActorId by, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(job);
        WorkerStateChecks.CheckResource(lease, WorkerLease.ForJob(job.Id));
        try
        {
            return await new PostgreSqlMigrationRepository(_database).RunBatchAsync(job, by, at, Fence(lease, at), cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == LeaseLostSqlState)
        {
            throw new LeaseLostException(lease);
        }
    }

    /// <inheritdoc />
    public async Task<long> GetCheckpointAsync(string consumer, CancellationToken cancellationToken = default)
    {
        WorkerLease.CheckName(consumer, nameof(consumer));
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ScalarAsync(connection, null, $"SELECT position FROM {_database.ConsumerCheckpoints} WHERE consumer = @c;", cancellationToken, Text("c", consumer))
            .ConfigureAwait(false) is long position ? position : 0;
    }

    /// <inheritdoc />
    public async Task SaveCheckpointAsync(WorkerLease lease, string consumer, long position, ParkedEvent? parked, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        WorkerStateChecks.CheckCheckpoint(lease, consumer, position, parked);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // One batch without an explicit transaction runs as one implicit transaction: the fence aborts all of it.
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Fence(lease, at));
        batch.BatchCommands.Add(BatchCommand($"""
            INSERT INTO {_database.ConsumerCheckpoints} AS c (consumer, position) VALUES (@c, @p)
            ON CONFLICT (consumer) DO UPDATE SET position = GREATEST(c.position, EXCLUDED.position);
            """, Text("c", consumer), Param("p", position)));
        if (parked is not null)
        {
            batch.BatchCommands.Add(BatchCommand($"""
                INSERT INTO {_database.ParkedEvents} (consumer, position, attempts, error, parked_at) VALUES (@c, @p, @n, @e, @at)
                ON CONFLICT (consumer, position) DO NOTHING;
                """, Text("c", consumer), Param("p", parked.Position), Param("n", parked.Attempts), Text("e", parked.Error), Param("at", parked.ParkedAt.ToUnixTimeTicks())));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == LeaseLostSqlState)
        {
            throw new LeaseLostException(lease);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string consumer, CancellationToken cancellationToken = default)
    {
        WorkerLease.CheckName(consumer, nameof(consumer));
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"SELECT position, attempts, error, parked_at FROM {_database.ParkedEvents} WHERE consumer = @c ORDER BY position;", Text("c", consumer));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var parked = new List<ParkedEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            parked.Add(new ParkedEvent(consumer, reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), Instant.FromUnixTimeTicks(reader.GetInt64(3))));
        }

        return parked;
    }

    /// <inheritdoc />
    public async Task<bool> TryClaimNoticeAsync(string noticeKey, DomainEvent raised, CancellationToken cancellationToken = default)
    {
        WorkerLease.CheckName(noticeKey, nameof(noticeKey));
        ArgumentNullException.ThrowIfNull(raised);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // A second claimer's INSERT waits on the first's uncommitted key, then inserts nothing.
        var claimed = await ExecuteAsync(connection, tx, $"INSERT INTO {_database.NoticeClaims} (notice_key, claimed_at) VALUES (@k, @at) ON CONFLICT (notice_key) DO NOTHING;",
            cancellationToken, Text("k", noticeKey), Param("at", raised.At.ToUnixTimeTicks())).ConfigureAwait(false) == 1;
        if (claimed)
        {
            await using var batch = new NpgsqlBatch(connection, tx);
            _database.AddEvents(batch, [(raised, 1L)]);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    /// <summary>The statement that aborts its transaction unless <paramref name="lease"/> is held and unexpired at <paramref name="at"/>, locking the lease row until the commit.</summary>
    private NpgsqlBatchCommand Fence(WorkerLease lease, Instant at) => BatchCommand($"""
        SELECT {_database.QuotedSchema}.check_lease(count(*)) FROM (
            SELECT 1 FROM {_database.WorkerLeases} WHERE resource = @l_r AND holder = @l_h AND generation = @l_g AND expires_at > @l_at FOR SHARE) AS l;
        """, Text("l_r", lease.Resource), Text("l_h", lease.Holder), Param("l_g", lease.Generation), Param("l_at", at.ToUnixTimeTicks()));
}
