using System.Buffers;
using Microsoft.Data.Sqlite;
using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;

namespace Versioning.Core.Sqlite;

/// <summary>
/// Migration jobs in SQLite. A batch is set-based: one SELECT of up to a batch of candidates after the checkpoint, one
/// UPDATE of the selected ones (ids passed as one JSON array), the job's new checkpoint and the batch's events — in one
/// <c>BEGIN IMMEDIATE</c> transaction, never a round trip per installation.
/// </summary>
/// <param name="database">The database.</param>
public sealed class SqliteMigrationRepository(SqliteDatabase database) : IMigrationRepository
{
    /// <summary>The WAL auto-checkpoint threshold (pages) while a batch commits, and SQLite's default restored after it.</summary>
    private const string MigrationCheckpointPragma = "PRAGMA wal_autocheckpoint=10000;";
    private const string DefaultCheckpointPragma = "PRAGMA wal_autocheckpoint=1000;";

    /// <summary>A quoted "D" GUID and its separator in the JSON array of ids.</summary>
    private const int IdJsonLength = 39;

    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<MigrationJob?> FindAsync(MigrationId id, CancellationToken cancellationToken = default)
    {
        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command("SELECT data, revision FROM migration_jobs WHERE id = $id;", ("$id", id.ToString()))
            .ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? StoreJson.ReadJob(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    /// <inheritdoc />
    public async Task<MigrationJob> SaveAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(events);
        await using var session = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await CheckRevisionAsync(session, job, cancellationToken).ConfigureAwait(false);
        var saved = await StoreAsync(session, job, events, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return saved;
    }

    /// <inheritdoc />
    public async Task<MigrationJob> SaveWithIntegrationAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(integration);
        MigrationJob.CheckProduct(job, integration.Id);
        long revision;
        MigrationJob saved;
        await using (var session = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false))
        {
            await CheckRevisionAsync(session, job, cancellationToken).ConfigureAwait(false);
            revision = await SqliteIntegrationRepository.WriteAsync(session, integration, cancellationToken).ConfigureAwait(false);
            saved = await StoreAsync(session, job, events, cancellationToken).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        integration.MarkSaved(revision);
        return saved;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MigrationJob>> ListAsync(ProductRef product, CancellationToken cancellationToken = default)
    {
        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command(
            "SELECT data, revision FROM migration_jobs WHERE product_kind = $pk AND product_id = $pid ORDER BY requested_at DESC, id;",
            ("$pk", (int)product.Kind), ("$pid", product.Id.ToString("D"))).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>Runs one batch; <paramref name="fence"/>, when given, runs first in the batch's transaction and throws to abort it (see <see cref="SqliteWorkerStateRepository"/>).</summary>
    internal async Task<MigrationJob> RunBatchAsync(MigrationJob job, ActorId by, Instant at, Func<SqliteSession, CancellationToken, Task>? fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var session = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        if (fence is not null)
        {
            await fence(session, cancellationToken).ConfigureAwait(false);
        }

        await CheckRevisionAsync(session, job, cancellationToken).ConfigureAwait(false);
        if (!job.IsRunnable)
        {
            job.AfterBatch(0, 0, null, by, at);
        }

        var (scanned, selected, last) = job.From is { } from && !job.Scope.IsSingleOwner
            ? await MoveCohortBatchAsync(session, job, from, at, cancellationToken).ConfigureAwait(false)
            : await MoveScannedBatchAsync(session, job, at, cancellationToken).ConfigureAwait(false);
        var (next, events) = job.AfterBatch(scanned, selected, last, by, at);
        var saved = await StoreAsync(session, next, events, cancellationToken).ConfigureAwait(false);
        if (next.State == MigrationState.Completed)
        {
            await RecordCompletionAsync(session, next.CompletionRecord(by), cancellationToken).ConfigureAwait(false);
        }

        // SQLite checkpoints the WAL on the commit that takes it past this connection's threshold (1 000 pages by
        // default, about every 14 batches of 1 000 here), each time with two fsyncs, rewriting pages the next batches
        // dirty again (the job row, the outbox, the pages of rows moved by the next batches). Batches commit with a
        // higher threshold, so a running migration checkpoints a tenth as often; the connection goes back to the
        // default for whatever it runs next. Measured ~16 % faster over 300 000 installations (docs/perf-notes/sqlite-p5-p6.md).
        await session.ExecuteAsync(MigrationCheckpointPragma, cancellationToken).ConfigureAwait(false);
        try
        {
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await RestoreCheckpointThresholdAsync(session).ConfigureAwait(false);
        }

        return saved;
    }

    /// <summary>
    /// A percentage batch from a known version, set-based (P10): the database counts the next batch of candidates after
    /// the checkpoint and how many of them the cohort selects (walking the product's installations in id order: the
    /// table itself, clustered by id, or the index (product, id, cohort_bucket)), then one UPDATE moves the selected
    /// ones of that id range. The pinned version is in no index, so a moved installation is one row rewritten in place,
    /// no index entry moved. Nothing per installation enters the process.
    /// </summary>
    private static async Task<(int Scanned, int Moved, InstallationId? Last)> MoveCohortBatchAsync(
        SqliteSession session, MigrationJob job, VersionKey from, Instant at, CancellationToken cancellationToken)
    {
        var cohort = Cohort.Predicate(from, job.To, job.Scope.Percent);
        const string Candidates = "product_kind = $pk AND product_id = $pid AND pinned = $from AND id > $after";
        const string InCohort = "((cohort_bucket * $m + $s) & 65535) < $t";
        (string, object?)[] parameters =
        [
            ("$pk", (int)job.Product.Kind), ("$pid", job.Product.Id.ToString("D")), ("$from", from.Value), ("$after", job.Checkpoint?.ToString() ?? string.Empty),
            ("$n", job.BatchSize), ("$m", cohort.Multiplier), ("$s", cohort.Offset), ("$t", cohort.Threshold),
        ];
        int scanned;
        long selected;
        string? last;
        await using (var reader = await session.Command(
            $"SELECT count(*), max(id), coalesce(sum({InCohort}), 0) FROM (SELECT id, cohort_bucket FROM installations WHERE {Candidates} ORDER BY id LIMIT $n);",
            parameters).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            scanned = reader.GetInt32(0);
            last = reader.IsDBNull(1) ? null : reader.GetString(1);
            selected = reader.GetInt64(2);
        }

        var moved = selected == 0 || last is null ? 0 : await session.ExecuteAsync(
            $"UPDATE installations SET pinned = $to, revision = revision + 1, updated_at = $at WHERE {Candidates} AND id <= $last AND {InCohort};",
            cancellationToken, [.. parameters, ("$to", job.To.Value), ("$at", at.ToUnixTimeTicks()), ("$last", last)]).ConfigureAwait(false);
        return (scanned, moved, last is null ? null : new InstallationId(Guid.ParseExact(last, "D")));
    }

    /// <summary>
    /// A batch that reads its candidates: an owner scope (the owner decides) or a template upgrade (every release but
    /// the target: the pair, hence the cohort, differs per row). One SELECT of up to a batch of candidates after the
    /// checkpoint, one UPDATE of the selected ones (ids passed as one JSON array).
    /// </summary>
    private static async Task<(int Scanned, int Moved, InstallationId? Last)> MoveScannedBatchAsync(
        SqliteSession session, MigrationJob job, Instant at, CancellationToken cancellationToken)
    {
        var owner = job.Scope.Owner;
        var columns = owner is not null ? "id, owner_kind, owner_id" : job.From is null ? "id, pinned" : "id";
        var filter = job.From is null ? "pinned <> $to" : "pinned = $from";
        // The selected ids, written straight into a pooled buffer as a JSON array of strings: one string per batch
        // instead of a list and a serializer. Every id is parsed as a "D" GUID first (36 characters, nothing to escape).
        var selected = 0;
        var scanned = 0;
        InstallationId? last = null;
        string idsJson;
        var ids = ArrayPool<char>.Shared.Rent(2 + (IdJsonLength * job.BatchSize));
        try
        {
            var length = 0;
            ids[length++] = '[';
            await using (var reader = await session.Command(
                $"SELECT {columns} FROM installations WHERE product_kind = $pk AND product_id = $pid AND {filter} AND id > $after ORDER BY id LIMIT $n;",
                ("$pk", (int)job.Product.Kind), ("$pid", job.Product.Id.ToString("D")), ("$from", job.From?.Value), ("$to", job.To.Value),
                ("$after", job.Checkpoint?.ToString() ?? string.Empty), ("$n", job.BatchSize)).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    // The WHERE clause already keeps candidates only (MigrationJob.IsCandidate); what is left of
                    // MigrationJob.Selects is the scope, read without building an OwnerRef or a key per row.
                    var idText = reader.GetString(0);
                    var id = new InstallationId(Guid.ParseExact(idText, "D"));
                    scanned++;
                    last = id;
                    var isSelected = owner is { } o
                        ? (int)o.Kind == reader.GetInt32(1) && string.Equals(o.Id, reader.GetString(2), StringComparison.Ordinal)
                        : Cohort.IsSelected(id, job.From ?? VersionKey.FromStored(reader.GetString(1)), job.To, job.Scope.Percent);
                    if (isSelected)
                    {
                        if (selected++ > 0)
                        {
                            ids[length++] = ',';
                        }

                        ids[length++] = '"';
                        idText.CopyTo(ids.AsSpan(length));
                        length += idText.Length;
                        ids[length++] = '"';
                    }
                }
            }

            ids[length++] = ']';
            idsJson = selected > 0 ? new string(ids, 0, length) : "[]";
        }
        finally
        {
            ArrayPool<char>.Shared.Return(ids);
        }

        if (selected > 0)
        {
            await session.ExecuteAsync(
                "UPDATE installations SET pinned = $to, revision = revision + 1, updated_at = $at WHERE id IN (SELECT value FROM json_each($ids));",
                cancellationToken, ("$to", job.To.Value), ("$at", at.ToUnixTimeTicks()), ("$ids", idsJson)).ConfigureAwait(false);
        }

        return (scanned, selected, last);
    }

    private static async Task RestoreCheckpointThresholdAsync(SqliteSession session)
    {
        try
        {
            await session.ExecuteAsync(DefaultCheckpointPragma, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SqliteException)
        {
            // Never hide the commit's own exception; the worst left behind is a higher threshold on one connection.
        }
    }

    /// <summary>
    /// Appends a completed job's entry to its template or integration in the batch's transaction (X9): the product's
    /// revision + 1 (the write lock of <c>BEGIN IMMEDIATE</c> is already held, so nothing can come between), one audit
    /// entry numbered after the stored ones, and the event.
    /// </summary>
    private static async Task RecordCompletionAsync(SqliteSession session, DomainEvent completion, CancellationToken cancellationToken)
    {
        // The stores hold templates and integrations only; a lifecycle defined elsewhere records its completion itself.
        var table = completion.AggregateKind switch { "Template" => "templates", "Integration" => "integrations", _ => null };
        if (table is null)
        {
            return;
        }

        var revision = await session.ScalarAsync($"UPDATE {table} SET revision = revision + 1 WHERE id = $id RETURNING revision;", cancellationToken,
            ("$id", completion.AggregateId)).ConfigureAwait(false);
        if (revision is not long stored)
        {
            return;
        }

        var seq = await SqliteDatabase.AuditTrailLengthAsync(session, completion.AggregateId, cancellationToken).ConfigureAwait(false);
        await SqliteDatabase.InsertAuditEntryAsync(session, completion.AggregateId, seq, MigrationJob.ToAuditEntry(completion), cancellationToken).ConfigureAwait(false);
        await SqliteDatabase.AppendEventsAsync(session, [completion], stored, cancellationToken).ConfigureAwait(false);
    }

    private static async Task CheckRevisionAsync(SqliteSession session, MigrationJob job, CancellationToken cancellationToken)
    {
        var stored = await session.ScalarAsync("SELECT revision FROM migration_jobs WHERE id = $id;", cancellationToken, ("$id", job.Id.ToString())).ConfigureAwait(false);
        var actual = stored is null ? -1 : (long)stored;
        if (ConcurrencyConflictException.IsStale(job.Revision, stored is null ? null : actual))
        {
            throw new ConcurrencyConflictException(MigrationJob.Kind, job.Id.ToString(), job.Revision, actual);
        }
    }

    private static async Task<MigrationJob> StoreAsync(SqliteSession session, MigrationJob job, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken)
    {
        var saved = job with { Revision = job.Revision + 1 };
        await session.ExecuteAsync("""
            INSERT INTO migration_jobs (id, product_kind, product_id, revision, requested_at, data) VALUES ($id, $pk, $pid, $rev, $at, $data)
            ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, data = excluded.data;
            """, cancellationToken,
            ("$id", saved.Id.ToString()), ("$pk", (int)saved.Product.Kind), ("$pid", saved.Product.Id.ToString("D")), ("$rev", saved.Revision),
            ("$at", saved.RequestedAt.ToUnixTimeTicks()), ("$data", StoreJson.Write(saved))).ConfigureAwait(false);
        await SqliteDatabase.AppendEventsAsync(session, events, saved.Revision, cancellationToken).ConfigureAwait(false);
        return saved;
    }
}
