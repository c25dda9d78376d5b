using NodaTime;
using Versioning.Core.Events;

namespace Versioning.Core.Sqlite;

/// <summary>Reads the SQLite outbox in position order. SQLite serialises writers, so positions commit in order.</summary>
/// <param name="database">The database.</param>
public sealed class SqliteEventReader(SqliteDatabase database) : IEventReader
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<IReadOnlyList<DomainEvent>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        if (maxCount is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "maxCount must be between 1 and 10000.");
        }

        await using var session = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await session.Command(
            "SELECT position, aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details FROM events WHERE position > $after ORDER BY position LIMIT $max;",
            ("$after", afterPosition), ("$max", maxCount)).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
}
