using Npgsql;
using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using static Versioning.Core.PostgreSql.PostgreSqlDatabase;

namespace Versioning.Core.PostgreSql;

/// <summary>
/// Migration jobs in PostgreSQL. A batch is set-based, in one transaction: lock the job row and check its revision, one
/// SELECT of up to a batch of candidates after the checkpoint (<c>id &gt; checkpoint ORDER BY id LIMIT batch</c>), the
/// selection in .NET with <see cref="MigrationJob.Selects"/> (the sticky cohort hash lives in the domain), one UPDATE of
/// the selected ids (passed as arrays, guarded so a row changed meanwhile is not moved on stale facts), then one round
/// trip with the job's new checkpoint and the batch's events. Never one round trip per installation.
/// </summary>
/// <param name="database">The database.</param>
public sealed class PostgreSqlMigrationRepository(PostgreSqlDatabase database) : IMigrationRepository
{
    private readonly PostgreSqlDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<MigrationJob?> FindAsync(MigrationId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT data, revision FROM {_database.MigrationJobs} WHERE id = @id;", Param("id", id.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? StoreJson.ReadJob(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    /// <inheritdoc />
    public async Task<MigrationJob> SaveAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(events);
        return await WriteAsync(job, null, null, null, (_, _, _) => Task.FromResult<(MigrationJob, IReadOnlyList<DomainEvent>)>((job, events)), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<MigrationJob> SaveWithIntegrationAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(integration);
        MigrationJob.CheckProduct(job, integration.Id);
        MigrationJob saved;
        try
        {
            // The integration's save runs inside the job's transaction: a stale integration aborts it (check_saved), and
            // the transaction rolls back with the job unwritten (X9).
            saved = await WriteAsync(job, null, null, null, async (connection, tx, ct) =>
            {
                await using var rows = new NpgsqlBatch(connection, tx);
                PostgreSqlIntegrationRepository.AddSave(_database, rows, integration);
                await rows.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return (job, events);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == StaleSqlState)
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var actual = await RevisionAsync(connection, _database.Integrations, integration.Id.Value, cancellationToken).ConfigureAwait(false);
            throw new ConcurrencyConflictException(integration.AggregateKind, integration.AggregateIdText, integration.Revision, actual);
        }

        integration.MarkSaved(integration.Revision + 1);
        return saved;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MigrationJob>> ListAsync(ProductRef product, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"SELECT data, revision FROM {_database.MigrationJobs} WHERE product_kind = @pk AND product_id = @pid ORDER BY requested_at DESC, id;",
            Param("pk", (int)product.Kind), Param("pid", product.Id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new List<MigrationJob>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(StoreJson.ReadJob(reader.GetString(0), reader.GetInt64(1)));
        }

        return jobs;
    }

    /// <inheritdoc />
    public Task<MigrationJob> RunBatchAsync(MigrationJob job, ActorId by, Instant at, CancellationToken cancellationToken = default)
        => RunBatchAsync(job, by, at, fence: null, cancellationToken);

    /// <summary>Runs one batch; <paramref name="fence"/>, when given, runs first in the batch's transaction and aborts it (see <see cref="PostgreSqlWorkerStateRepository"/>).</summary>
    internal async Task<MigrationJob> RunBatchAsync(MigrationJob job, ActorId by, Instant at, NpgsqlBatchCommand? fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var db = _database;

        if (job.From is { } source && !job.Scope.IsSingleOwner)
        {
            return await RunCohortBatchAsync(job, source, by, at, fence, cancellationToken).ConfigureAwait(false);
        }

        // A job that selects by owner, or from "anything but To" (a template upgrade: the pair, hence the cohort,
        // differs per row), reads its candidates and what its selection depends on, and its UPDATE re-checks it.
        // A percentage job with a known source selects on the id alone: the WHERE clause already says the row is
        // pinned to From, and the cohort hash needs only the id. So it reads only ids and its UPDATE re-checks only the
        // pinned version. A job that selects by owner, or from "anything but To", also reads what its selection
        // depends on and re-checks it.
        var byIdOnly = job.From is not null && !job.Scope.IsSingleOwner;
        var ids = new List<Guid>(job.BatchSize);
        var pins = byIdOnly ? null : new List<string>(job.BatchSize);
        var ownerKinds = byIdOnly ? null : new List<int>(job.BatchSize);
        var ownerIds = byIdOnly ? null : new List<string>(job.BatchSize);
        var scanned = 0;
        InstallationId? last = null;
        var filter = job.From is null ? "pinned <> @to" : "pinned = @from";
        var keyset = job.Checkpoint is null ? string.Empty : "AND id > @after ";
        var columns = byIdOnly ? "id" : "id, owner_kind, owner_id, pinned";
        var scan = BatchCommand($"""
            SELECT {columns} FROM {db.Installations}
            WHERE product_kind = @pk AND product_id = @pid AND {filter} {keyset}
            ORDER BY id LIMIT @n;
            """,
            Param("pk", (int)job.Product.Kind), Param("pid", job.Product.Id), Text("from", job.From?.Value), Text("to", job.To.Value),
            Param("after", job.Checkpoint?.Value ?? Guid.Empty), Param("n", job.BatchSize));

        return await WriteAsync(job, fence, scan, async (reader, ct) =>
        {
            if (!job.IsRunnable)
            {
                // Let the domain raise the M5 refusal with its message.
                job.AfterBatch(0, 0, null, by, at);
            }

            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = new InstallationId(reader.GetGuid(0));
                scanned++;
                last = id;
                if (byIdOnly)
                {
                    // The owner plays no part in a percentage scope.
                    if (job.Selects(id, default, job.From!.Value))
                    {
                        ids.Add(id.Value);
                    }

                    continue;
                }

                var owner = new OwnerRef((OwnerKind)reader.GetInt32(1), reader.GetString(2));
                var pinned = reader.GetString(3);
                if (job.Selects(id, owner, VersionKey.FromStored(pinned)))
                {
                    ids.Add(id.Value);
                    pins!.Add(pinned);
                    ownerKinds!.Add((int)owner.Kind);
                    ownerIds!.Add(owner.Id);
                }
            }
        }, async (connection, tx, ct) =>
        {
            // Each row moves only if what the selection was based on (its pinned version, and its owner when the scope
            // looks at owners) is what it still has: a concurrent save that changed it in the meantime wins, as if it
            // had come after this batch had scanned the row. Anything else a concurrent save changed (status, settings)
            // is kept, since the UPDATE applies to the latest row version. Cheaper than locking every scanned row, and
            // as exact.
            var moved = ids.Count == 0 ? 0 : byIdOnly
                ? await PostgreSqlDatabase.ExecuteAsync(connection, tx, $"""
                    UPDATE {db.Installations} SET pinned = @to, revision = revision + 1, updated_at = @at
                    WHERE id = ANY(@ids) AND pinned = @from;
                    """, ct,
                    Text("to", job.To.Value), Param("at", at.ToUnixTimeTicks()), Param("ids", ids.ToArray()), Text("from", job.From!.Value.Value)).ConfigureAwait(false)
                : await PostgreSqlDatabase.ExecuteAsync(connection, tx, $"""
                    UPDATE {db.Installations} AS i SET pinned = @to, revision = i.revision + 1, updated_at = @at
                    FROM unnest(@ids, @pins, @owner_kinds, @owner_ids) AS s (id, pinned, owner_kind, owner_id)
                    WHERE i.id = s.id AND i.pinned = s.pinned AND i.owner_kind = s.owner_kind AND i.owner_id = s.owner_id;
                    """, ct,
                    Text("to", job.To.Value), Param("at", at.ToUnixTimeTicks()), Param("ids", ids.ToArray()), Param("pins", pins!.ToArray()),
                    Param("owner_kinds", ownerKinds!.ToArray()), Param("owner_ids", ownerIds!.ToArray())).ConfigureAwait(false);
            var (next, events) = job.AfterBatch(scanned, moved, last, by, at);
            if (next.State == MigrationState.Completed)
            {
                await RecordCompletionAsync(connection, tx, next.CompletionRecord(by), ct).ConfigureAwait(false);
            }

            return (next, events);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A percentage batch from a known version, set-based (P10): one statement, in the round trip that locks the job row,
    /// takes the next batch of candidates after the checkpoint (the index (product, id) including cohort_bucket, each
    /// row's pinned version from the table), moves the ones the cohort selects (HOT updates where the page has room: no
    /// index holds a column the move changes) (re-checking the pinned version, so a concurrent save that moved
    /// a row first wins), and returns how many it scanned, the last id and how many it moved. Nothing per installation
    /// crosses the connection. A stale or finished job rolls the whole transaction back.
    /// </summary>
    private async Task<MigrationJob> RunCohortBatchAsync(MigrationJob job, VersionKey from, ActorId by, Instant at, NpgsqlBatchCommand? fence, CancellationToken cancellationToken)
    {
        var db = _database;
        var cohort = Cohort.Predicate(from, job.To, job.Scope.Percent);
        var keyset = job.Checkpoint is null ? string.Empty : "AND id > @after ";
        var statement = BatchCommand($"""
            WITH batch AS (
                SELECT id, cohort_bucket FROM {db.Installations}
                WHERE product_kind = @pk AND product_id = @pid AND pinned = @from {keyset}
                ORDER BY id LIMIT @n),
            moved AS (
                UPDATE {db.Installations} AS i SET pinned = @to, revision = i.revision + 1, updated_at = @at
                FROM batch AS b
                WHERE i.id = b.id AND ((b.cohort_bucket * @m + @s) & 65535) < @t AND i.pinned = @from
                RETURNING 1)
            SELECT (SELECT count(*) FROM batch), (SELECT id FROM batch ORDER BY id DESC LIMIT 1), (SELECT count(*) FROM moved);
            """,
            Param("pk", (int)job.Product.Kind), Param("pid", job.Product.Id), Text("from", from.Value), Param("after", job.Checkpoint?.Value ?? Guid.Empty),
            Param("n", job.BatchSize), Text("to", job.To.Value), Param("at", at.ToUnixTimeTicks()),
            Param("m", cohort.Multiplier), Param("s", cohort.Offset), Param("t", cohort.Threshold));
        var scanned = 0;
        var moved = 0;
        InstallationId? last = null;
        return await WriteAsync(job, fence, statement, async (reader, ct) =>
        {
            if (!job.IsRunnable)
            {
                // Let the domain raise the M5 refusal with its message (the transaction rolls back).
                job.AfterBatch(0, 0, null, by, at);
            }

            await reader.ReadAsync(ct).ConfigureAwait(false);
            scanned = checked((int)reader.GetInt64(0));
            last = reader.IsDBNull(1) ? null : new InstallationId(reader.GetGuid(1));
            moved = checked((int)reader.GetInt64(2));
        }, async (connection, tx, ct) =>
        {
            var (next, events) = job.AfterBatch(scanned, moved, last, by, at);
            if (next.State == MigrationState.Completed)
            {
                await RecordCompletionAsync(connection, tx, next.CompletionRecord(by), ct).ConfigureAwait(false);
            }

            return (next, events);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends a completed job's entry to its template or integration in the batch's transaction (X9): first the product's
    /// revision + 1, whose row lock keeps every other saver of the product out until the commit; then, in a statement of
    /// its own (read committed: a snapshot taken after the lock), the audit entry numbered after the stored ones and the
    /// event.
    /// </summary>
    private async Task RecordCompletionAsync(NpgsqlConnection connection, NpgsqlTransaction tx, DomainEvent completion, CancellationToken cancellationToken)
    {
        var db = _database;
        // The stores hold templates and integrations only; a lifecycle defined elsewhere records its completion itself.
        var table = completion.AggregateKind switch { "Template" => db.Templates, "Integration" => db.Integrations, _ => null };
        if (table is null)
        {
            return;
        }

        var id = Guid.Parse(completion.AggregateId);
        if (await ScalarAsync(connection, tx, $"UPDATE {table} SET revision = revision + 1 WHERE id = @id RETURNING revision;", cancellationToken, Param("id", id))
            .ConfigureAwait(false) is not long revision)
        {
            return;
        }

        var entry = MigrationJob.ToAuditEntry(completion);
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(BatchCommand($"""
            INSERT INTO {db.AuditEntries} (aggregate_id, seq, action, actor, at, subject, details)
            VALUES (@id, {db.AuditTrailLength("@id")}, @action, @actor, @at, @subject, @details);
            """,
            Param("id", id), Text("action", entry.Action.ToString()), Text("actor", entry.Actor.Value), Param("at", entry.At.ToUnixTimeTicks()),
            Text("subject", entry.Subject), Text("details", entry.Details)));
        db.AddEvents(batch, [(completion, revision)]);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One write transaction: lock the job row and check its revision — in the same round trip, run <paramref name="read"/>
    /// if there is one and, unless the job is stale, hand its rows to <paramref name="consume"/> — then run
    /// <paramref name="work"/> (which returns the job to store and its events), write the job row and the events in one
    /// round trip, and commit.
    /// </summary>
    private async Task<MigrationJob> WriteAsync(
        MigrationJob job,
        NpgsqlBatchCommand? fence,
        NpgsqlBatchCommand? read,
        Func<NpgsqlDataReader, CancellationToken, Task>? consume,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<(MigrationJob Job, IReadOnlyList<DomainEvent> Events)>> work,
        CancellationToken cancellationToken)
    {
        var db = _database;
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long actual = -1;
        var stale = false;
        PostgresException? failure = null;
        MigrationJob? saved = null;
        try
        {
            // The job row's lock serialises runners of one job: the second waits, then finds the revision moved on. The
            // read runs after the lock is granted (read committed: a fresh snapshot per statement), so it sees what the
            // previous runner committed.
            await using (var first = new NpgsqlBatch(connection, tx))
            {
                // A fence (a worker lease check) goes first, so its failure surfaces before any row is read.
                if (fence is not null)
                {
                    first.BatchCommands.Add(fence);
                }

                first.BatchCommands.Add(BatchCommand($"SELECT revision FROM {db.MigrationJobs} WHERE id = @id FOR UPDATE;", Param("id", job.Id.Value)));
                if (read is not null)
                {
                    first.BatchCommands.Add(read);
                }

                await using var reader = await first.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (fence is not null)
                {
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                }

                long? stored = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt64(0) : null;
                actual = stored ?? -1;
                stale = ConcurrencyConflictException.IsStale(job.Revision, stored);
                if (!stale && read is not null && consume is not null)
                {
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                    await consume(reader, cancellationToken).ConfigureAwait(false);
                }
            }

            if (!stale)
            {
                var (next, events) = await work(connection, tx, cancellationToken).ConfigureAwait(false);
                saved = next with { Revision = next.Revision + 1 };
                await using var batch = new NpgsqlBatch(connection, tx);

                // A new job is inserted only if no one inserted the same id since the check (there was no row to lock).
                batch.BatchCommands.Add(BatchCommand(job.Revision == 0
                        ? $"INSERT INTO {db.MigrationJobs} (id, product_kind, product_id, revision, requested_at, data) VALUES (@id, @pk, @pid, @rev, @at, @data) ON CONFLICT (id) DO NOTHING;"
                        : $"UPDATE {db.MigrationJobs} SET revision = @rev, data = @data WHERE id = @id;",
                    Param("id", saved.Id.Value), Param("pk", (int)saved.Product.Kind), Param("pid", saved.Product.Id), Param("rev", saved.Revision),
                    Param("at", saved.RequestedAt.ToUnixTimeTicks()), Jsonb("data", StoreJson.Write(saved))));
                db.AddEvents(batch, events.Select(e => (e, saved.Revision)));
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                stale = batch.BatchCommands[0].RecordsAffected != 1;
                if (!stale)
                {
                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (PostgresException ex) when (IsConflict(ex))
        {
            failure = ex;
        }

        if (stale || failure is not null)
        {
            await RollbackAsync(tx).ConfigureAwait(false);
            if (failure is not null || actual < 0)
            {
                actual = await RevisionAsync(connection, db.MigrationJobs, job.Id.Value, cancellationToken).ConfigureAwait(false);
            }

            throw new ConcurrencyConflictException(MigrationJob.Kind, job.Id.ToString(), job.Revision, actual, failure);
        }

        return saved!;
    }
}
