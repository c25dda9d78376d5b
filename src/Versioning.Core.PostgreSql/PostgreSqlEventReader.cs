using NodaTime;
using Versioning.Core.Events;
using static Versioning.Core.PostgreSql.PostgreSqlDatabase;

namespace Versioning.Core.PostgreSql;

/// <summary>
/// Reads the PostgreSQL outbox in position order. Positions come from a sequence, which hands out values before the
/// transactions holding them commit; every write transaction therefore takes the schema's outbox advisory lock just
/// before inserting its events and holds it until it commits, so positions become visible strictly in order and a
/// reader that pages with "after the last position I read" never skips an event that commits late.
/// </summary>
/// <param name="database">The database.</param>
public sealed class PostgreSqlEventReader(PostgreSqlDatabase database) : IEventReader
{
    private readonly PostgreSqlDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<IReadOnlyList<DomainEvent>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        if (maxCount is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "maxCount must be between 1 and 10000.");
        }

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"SELECT position, aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details FROM {_database.Events} WHERE position > @after ORDER BY position LIMIT @max;",
            Param("after", afterPosition), Param("max", maxCount));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<DomainEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new DomainEvent(reader.GetString(1), reader.GetString(2), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                new ActorId(reader.GetString(6)), Instant.FromUnixTimeTicks(reader.GetInt64(7)), reader.GetString(8))
            {
                Position = reader.GetInt64(0),
                AggregateRevision = reader.GetInt64(3),
            });
        }

        return events;
    }
}
