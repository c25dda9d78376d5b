using Npgsql;
using NodaTime;
using Versioning.Core.Events;
using static Versioning.Core.PostgreSql.PostgreSqlDatabase;

namespace Versioning.Core.PostgreSql;

/// <summary>
/// Reads the PostgreSQL outbox in position order. Writers insert events without a position (only <c>seq</c>, their
/// insertion order) and take no lock; a read first <em>stamps</em> positions on the events committed so far, then reads.
/// </summary>
/// <remarks>
/// <para>
/// Stamping runs in a transaction of its own that takes the schema's outbox advisory lock (taken by readers only, never
/// by writers), then, in one statement whose snapshot is taken after the lock, numbers every visible (that is, committed)
/// event without a position in <c>seq</c> order from the position sequence, and commits before the lock is released.
/// So a stamp sees every earlier stamp, positions become visible strictly in increasing order, and the set of visible
/// positions only ever grows at the top: a reader paging with "after the last position I read" never skips an event,
/// however late its writer commits (it is simply numbered by a later read). Saves of one aggregate are serialised by its
/// row lock, so a later save's events have larger <c>seq</c> values, commit later, and get larger positions.
/// </para>
/// <para>
/// Positions therefore follow commit order, not insertion order, and may have gaps (a stamp that rolls back has used
/// sequence values). Writers on different aggregates never wait for each other, so their commits share WAL flushes.
/// </para>
/// </remarks>
/// <param name="database">The database.</param>
public sealed class PostgreSqlEventReader(PostgreSqlDatabase database) : IEventReader
{
    /// <summary>At most this many events are numbered by one read; the rest by the next ones.</summary>
    internal const int StampLimit = 10_000;

    private readonly PostgreSqlDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<IReadOnlyList<DomainEvent>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        if (maxCount is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "maxCount must be between 1 and 10000.");
        }

        var db = _database;
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await StampAsync(db, connection, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"SELECT position, aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details FROM {db.Events} WHERE position > @after ORDER BY position LIMIT @max;",
            Param("after", afterPosition), Param("max", maxCount));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<DomainEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new DomainEvent(reader.GetString(1), reader.GetString(2), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                ActorId.FromStored(reader.GetString(6)), Instant.FromUnixTimeTicks(reader.GetInt64(7)), reader.GetString(8))
            {
                Position = reader.GetInt64(0),
                AggregateRevision = reader.GetInt64(3),
            });
        }

        return events;
    }

    /// <summary>
    /// Numbers the committed events that have no position yet, in insertion order, under the readers' lock, and commits.
    /// One round trip: a batch without an explicit transaction runs as one implicit transaction, committed at its end.
    /// </summary>
    private static async Task StampAsync(PostgreSqlDatabase db, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(db.StampLockCommand());

        // Read committed: this statement's snapshot is taken after the lock is granted, so it sees the previous stamp's
        // commit. The inner ORDER BY (a sorted subquery is never flattened) makes nextval follow seq order.
        batch.BatchCommands.Add(BatchCommand($"""
            UPDATE {db.Events} AS e SET position = s.position
            FROM (SELECT o.seq, nextval('{db.QuotedSchema}.events_position_seq') AS position
                  FROM (SELECT seq FROM {db.Events} WHERE position IS NULL ORDER BY seq LIMIT {StampLimit}) AS o) AS s
            WHERE e.seq = s.seq;
            """));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
