using Microsoft.Data.Sqlite;
using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Integrations;

namespace Versioning.Core.Sqlite.Tests;

/// <summary>
/// The SQLite outbox hands out positions itself (no AUTOINCREMENT, P9): positions are event ids (H4), so they only grow
/// and are never handed out twice, also after the newest events were pruned and across the upgrade from the
/// AUTOINCREMENT table.
/// </summary>
public sealed class SqliteOutboxTests
{
    private static readonly ActorId Actor = new("outbox-tests");
    private static readonly Instant At = Instant.FromUtc(2026, 1, 2, 3, 4);

    [Fact]
    public async Task Upgrade_FromTheAutoincrementOutbox_KeepsEveryEventAndNeverReusesAPositionOfTheOldSequence_X4_H4()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            await using (var database = new SqliteDatabase(cs))
            {
                await new SqliteIntegrationRepository(database).SaveAsync(NewIntegration("before"));
            }

            // The outbox as the previous schema left it (AUTOINCREMENT), with three newer events since pruned: the old
            // sequence stands 3 above the highest stored position.
            SqliteConnection.ClearAllPools();
            await ExecuteAsync(cs, $"""
                DROP TRIGGER tr_events_high_water;
                DROP TRIGGER tr_events_position_fixed;
                DROP TABLE outbox_high_water;
                CREATE TABLE events_old (
                    position INTEGER PRIMARY KEY AUTOINCREMENT, aggregate_kind TEXT NOT NULL, aggregate_id TEXT NOT NULL,
                    aggregate_revision INTEGER NOT NULL, type TEXT NOT NULL, subject TEXT NULL, actor TEXT NOT NULL,
                    at INTEGER NOT NULL, details TEXT NOT NULL);
                INSERT INTO events_old SELECT * FROM events;
                DROP TABLE events;
                ALTER TABLE events_old RENAME TO events;
                INSERT INTO events (aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details)
                    VALUES ('Integration', 'pruned', 1, 'Created', NULL, 'a', 0, 'x'), ('Integration', 'pruned', 2, 'Created', NULL, 'a', 0, 'y'),
                           ('Integration', 'pruned', 3, 'Created', NULL, 'a', 0, 'z');
                DELETE FROM events WHERE aggregate_id = 'pruned';
                DELETE FROM schema_version WHERE version >= {SqliteDatabase.OutboxSchemaVersion};
                """);
            var oldSequence = await ScalarAsync<long>(cs, "SELECT seq FROM sqlite_sequence WHERE name = 'events';");
            var oldEvents = await ReadAllAsync(cs);
            Assert.Equal(oldSequence - 3, oldEvents[^1].Position);

            await using (var database = new SqliteDatabase(cs))
            {
                await database.EnsureSchemaAsync();
                Assert.Equal(0L, await ScalarAsync<long>(cs, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'events' AND sql LIKE '%AUTOINCREMENT%';"));
                Assert.Equal(oldEvents.Select(Describe), (await ReadAllAsync(cs)).Select(Describe));

                await new SqliteIntegrationRepository(database).SaveAsync(NewIntegration("after"));
                var all = await new SqliteEventReader(database).ReadAsync(0, 1000);
                var added = all.Skip(oldEvents.Count).ToList();
                Assert.NotEmpty(added);
                Assert.Equal(oldSequence + 1, added[0].Position);
                AssertStrictlyIncreasing(all);
            }
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task Outbox_AfterTheNewestOrEveryEventIsPruned_HandsOutOnlyNewPositions_X4_H4()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            await using var database = new SqliteDatabase(cs);
            var integrations = new SqliteIntegrationRepository(database);
            var reader = new SqliteEventReader(database);
            await integrations.SaveAsync(NewIntegration("first"));
            var handedOut = (await reader.ReadAsync(0, 1000)).Select(e => e.Position).ToList();

            // An operator prunes the newest event, then everything: no later event may take a position a consumer has seen.
            await ExecuteAsync(cs, $"DELETE FROM events WHERE position = {handedOut[^1]};");
            await integrations.SaveAsync(NewIntegration("second"));
            var second = await reader.ReadAsync(handedOut[^1] - 1, 1000);
            Assert.All(second, e => Assert.True(e.Position > handedOut[^1], $"position {e.Position} handed out again"));
            handedOut.AddRange(second.Select(e => e.Position));

            await ExecuteAsync(cs, "DELETE FROM events;");
            Assert.Empty(await reader.ReadAsync(0, 1000));
            await integrations.SaveAsync(NewIntegration("third"));
            var third = await reader.ReadAsync(0, 1000);
            Assert.NotEmpty(third);
            Assert.All(third, e => Assert.True(e.Position > handedOut.Max(), $"position {e.Position} handed out again"));
            AssertStrictlyIncreasing(third);
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task Outbox_MovingAnEventToAnotherPosition_IsRefusedAndChangesNothing_H4()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            await using var database = new SqliteDatabase(cs);
            await new SqliteIntegrationRepository(database).SaveAsync(NewIntegration("fixed"));
            var before = await ReadAllAsync(cs);

            var error = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(cs, $"UPDATE events SET position = position + 1000 WHERE position = {before[^1].Position};"));
            Assert.Contains(SqliteDatabase.FixedPositionMessage, error.Message, StringComparison.Ordinal);
            Assert.Equal(before.Select(Describe), (await ReadAllAsync(cs)).Select(Describe));

            // Other columns may still be corrected by an operator; the position stays.
            await ExecuteAsync(cs, $"UPDATE events SET details = 'corrected' WHERE position = {before[^1].Position};");
            Assert.Equal("corrected", (await ReadAllAsync(cs))[^1].Details);
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task Save_MoreEntriesThanOneInsertCarries_StoresEveryAuditEntryAndEventInOrder_X4()
    {
        Assert.True(SqliteDatabase.RowsPerInsert < 9, "the save below spans several multi-row INSERTs");
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            await using var database = new SqliteDatabase(cs);
            var integrations = new SqliteIntegrationRepository(database);

            // Created + 8 versions: 9 audit entries and 9 events in one save (4 + 4 + 1 rows per INSERT).
            var integration = NewIntegration("many", versions: 8);
            var expected = integration.PendingEvents.Select(e => (e.Type, e.Subject, e.Details)).ToList();
            Assert.Equal(9, expected.Count);
            await integrations.SaveAsync(integration);

            var events = await new SqliteEventReader(database).ReadAsync(0, 1000);
            Assert.Equal(expected, events.Select(e => (e.Type, e.Subject, e.Details)));
            Assert.Equal(Enumerable.Range(1, 9).Select(p => (long)p), events.Select(e => e.Position));
            Assert.All(events, e => Assert.Equal(1, e.AggregateRevision));

            var stored = await integrations.FindAsync(integration.Id);
            Assert.Equal(integration.AuditTrail, stored!.AuditTrail);
            Assert.Equal(events.Select(e => e.Details), stored.AuditTrail.Select(a => a.Details));
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    private static Integration NewIntegration(string name, int versions = 1)
    {
        var integration = Integration.Create(IntegrationId.New(), name, Actor, At);
        for (var i = 0; i < versions; i++)
        {
            integration.CreateVersion(new VersionNumber(1, i, 0), null, null, sequentialNumbering: false, Actor, At);
        }

        return integration;
    }

    private static string Describe(DomainEvent e) => $"{e.Position} {e.AggregateKind} {e.AggregateId} {e.AggregateRevision} {e.Type} {e.Subject} {e.Actor} {e.At} {e.Details}";

    private static void AssertStrictlyIncreasing(IReadOnlyList<DomainEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            Assert.True(events[i].Position > events[i - 1].Position, $"position {events[i].Position} after {events[i - 1].Position}");
        }
    }

    /// <summary>Every stored event, read with raw SQL (the table as it is, whatever the schema version).</summary>
    private static async Task<List<DomainEvent>> ReadAllAsync(string cs)
    {
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT position, aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details FROM events ORDER BY position;";
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<DomainEvent>();
        while (await reader.ReadAsync())
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

    private static async Task ExecuteAsync(string cs, string sql)
    {
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string cs, string sql)
    {
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
