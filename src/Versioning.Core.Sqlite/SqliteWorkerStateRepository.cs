using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;

namespace Versioning.Core.Sqlite;

/// <summary>
/// The background worker's shared state in SQLite: the same contract as the PostgreSQL store, in one file. Every write
/// runs under <c>BEGIN IMMEDIATE</c> (SQLite's single writer lock), so a lease check and the write it fences — a
/// migration batch, a checkpoint — are one atomic step that no takeover can come between; processes sharing the file
/// agree through that lock.
/// </summary>
/// <param name="database">The database.</param>
public sealed class SqliteWorkerStateRepository(SqliteDatabase database) : IWorkerStateRepository
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<WorkerLease?> TryAcquireLeaseAsync(string resource, string holder, Instant at, Duration duration, CancellationToken cancellationToken = default)
    {
        WorkerLease.CheckName(resource, nameof(resource));
        WorkerLease.CheckName(holder, nameof(holder));
        WorkerStateChecks.CheckDuration(duration);
        var expires = at + duration;
        await using var session = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var generation = await session.ScalarAsync("""
            INSERT INTO worker_leases (resource, holder, generation, expires_at) VALUES ($r, $h, 1, $exp)
            ON CONFLICT (resource) DO UPDATE SET
                holder = excluded.holder,
                generation = CASE WHEN worker_leases.holder = excluded.holder AND worker_leases.expires_at > $at THEN worker_leases.generation ELSE worker_leases.generation + 1 END,
                expires_at = excluded.expires_at
            WHERE worker_leases.expires_at <= $at OR worker_leases.holder = excluded.holder
            RETURNING generation;
            """, cancellationToken, ("$r", resource), ("$h", holder), ("$exp", expires.ToUnixTimeTicks()), ("$at", at.ToUnixTimeTicks())).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return generation is long g ? new WorkerLease(resource, holder, g, expires) : null;
    }

    /// <inheritdoc />
    public async Task<WorkerLease?> RenewLeaseAsync(WorkerLease lease, Instant at, Duration duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        WorkerStateChecks.CheckDuration(duration);
        var expires = at + duration;
        await using var session = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var rows = await session.ExecuteAsync("UPDATE worker_leases SET expires_at = $exp WHERE resource = $r AND holder = $h AND generation = $g AND expires_at > $at;",
            cancellationToken, ("$exp", expires.ToUnixTimeTicks()), ("$r", lease.Resource), ("$h", lease.Holder), ("$g", lease.Generation), ("$at", at.ToUnixTimeTicks()))
            .ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows == 1 ? lease with { ExpiresAt = expires } : null;
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(WorkerLease lease, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var session = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync("UPDATE worker_leases SET expires_at = min(expires_at, $at) WHERE resource = $r AND holder = $h AND generation = $g;",
            cancellationToken, ("$at", at.ToUnixTimeTicks()), ("$r", lease.Resource), ("$h", lease.Holder), ("$g", lease.Generation)).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WorkerLease>> ListLeasesAsync(CancellationToken cancellationToken = default)
    {
        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command("SELECT resource, holder, generation, expires_at FROM worker_leases ORDER BY resource;")
            .ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command(
            "SELECT data, revision FROM migration_jobs WHERE json_extract(data, '$.state') IN ('Requested', 'InProgress') ORDER BY requested_at, id;")
            .ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new List<MigrationJob>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(StoreJson.ReadJob(reader.GetString(0), reader.GetInt64(1)));
        }

        return jobs;
    }

    /// <inheritdoc />
    public Task<MigrationJob> RunJobBatchAsync(WorkerLease lease, MigrationJob job, ActorId by, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(job);
        WorkerStateChecks.CheckResource(lease, WorkerLease.ForJob(job.Id));
        return new SqliteMigrationRepository(_database).RunBatchAsync(job, by, at, (session, ct) => FenceAsync(session, lease, at, ct), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> GetCheckpointAsync(string consumer, CancellationToken cancellationToken = default)
    {
        WorkerLease.CheckName(consumer, nameof(consumer));
        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        return await session.ScalarAsync("SELECT position FROM consumer_checkpoints WHERE consumer = $c;", cancellationToken, ("$c", consumer)).ConfigureAwait(false) is long p ? p : 0;
    }

    /// <inheritdoc />
    public async Task SaveCheckpointAsync(WorkerLease lease, string consumer, long position, ParkedEvent? parked, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        WorkerStateChecks.CheckCheckpoint(lease, consumer, position, parked);
        await using var session = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await FenceAsync(session, lease, at, cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync("""
            INSERT INTO consumer_checkpoints (consumer, position) VALUES ($c, $p)
            ON CONFLICT (consumer) DO UPDATE SET position = max(consumer_checkpoints.position, excluded.position);
            """, cancellationToken, ("$c", consumer), ("$p", position)).ConfigureAwait(false);
        if (parked is not null)
        {
            await session.ExecuteAsync("INSERT INTO parked_events (consumer, position, attempts, error, parked_at) VALUES ($c, $p, $n, $e, $at) ON CONFLICT DO NOTHING;",
                cancellationToken, ("$c", consumer), ("$p", parked.Position), ("$n", parked.Attempts), ("$e", parked.Error), ("$at", parked.ParkedAt.ToUnixTimeTicks()))
                .ConfigureAwait(false);
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string consumer, CancellationToken cancellationToken = default)
    {
        WorkerLease.CheckName(consumer, nameof(consumer));
        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command("SELECT position, attempts, error, parked_at FROM parked_events WHERE consumer = $c ORDER BY position;", ("$c", consumer))
            .ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
        await using var session = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var claimed = await session.ExecuteAsync("INSERT INTO notice_claims (notice_key, claimed_at) VALUES ($k, $at) ON CONFLICT DO NOTHING;",
            cancellationToken, ("$k", noticeKey), ("$at", raised.At.ToUnixTimeTicks())).ConfigureAwait(false) == 1;
        if (claimed)
        {
            await SqliteDatabase.AppendEventsAsync(session, [raised], 1, cancellationToken).ConfigureAwait(false);
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    /// <summary>Throws <see cref="LeaseLostException"/> unless the lease is held and unexpired; runs inside the write transaction it fences.</summary>
    private static async Task FenceAsync(SqliteSession session, WorkerLease lease, Instant at, CancellationToken cancellationToken)
    {
        var held = await session.ScalarAsync("SELECT count(*) FROM worker_leases WHERE resource = $r AND holder = $h AND generation = $g AND expires_at > $at;",
            cancellationToken, ("$r", lease.Resource), ("$h", lease.Holder), ("$g", lease.Generation), ("$at", at.ToUnixTimeTicks())).ConfigureAwait(false);
        if (held is not 1L)
        {
            throw new LeaseLostException(lease);
        }
    }
}
