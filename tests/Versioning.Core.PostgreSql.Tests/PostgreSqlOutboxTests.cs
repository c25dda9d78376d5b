using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>The outbox of schema v2: positions stamped by readers in commit order, and the upgrade from v1.</summary>
public sealed class PostgreSqlOutboxTests
{
    private static readonly ActorId Actor = new("postgres-tests");
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 9, 30, 15);

    [PostgresFact]
    public async Task Outbox_LowerInsertionCommitsAfterHigherOne_PagingReaderStillGetsIt()
    {
        await using var schema = new TestSchema();
        var stores = schema.Stores(owner: false);
        var s = $"\"{schema.Name}\"";
        await stores.Events.ReadAsync(0, 10);

        // Writer A inserts its event first (the lower seq, as the library's writers do: no position) and stays open.
        await using var slow = await PostgresServer.OpenAsync();
        await using var tx = await slow.BeginTransactionAsync();
        long slowSeq;
        await using (var insert = slow.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = $"INSERT INTO {s}.events (aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details) VALUES ('Installation', 'slow', 1, 'Installed', NULL, 'a', 0, 'late commit') RETURNING seq;";
            slowSeq = (long)(await insert.ExecuteScalarAsync())!;
        }

        // Writer B saves through the store and commits first: its event has the higher seq.
        await SaveInstallationAsync(stores, "fast");
        Assert.True(slowSeq < await PostgresServer.ScalarAsync<long>($"SELECT MAX(seq) FROM {s}.events;"));

        var first = await stores.Events.ReadAsync(0, 10);
        Assert.Equal(["Installed"], first.Select(e => e.Type));
        Assert.NotEqual("slow", first[0].AggregateId);

        await tx.CommitAsync();
        var next = await stores.Events.ReadAsync(first[^1].Position, 10);
        Assert.Equal(["late commit"], next.Select(e => e.Details));
        Assert.True(next[0].Position > first[^1].Position);
        Assert.Empty(await stores.Events.ReadAsync(next[^1].Position, 10));
    }

    [PostgresFact]
    public async Task Outbox_UncommittedEvent_GetsNoPositionAndBlocksNothing()
    {
        await using var schema = new TestSchema();
        var stores = schema.Stores(owner: false);
        var s = $"\"{schema.Name}\"";
        await stores.Events.ReadAsync(0, 10);
        await using var open = await PostgresServer.OpenAsync();
        await using var tx = await open.BeginTransactionAsync();
        await using (var insert = open.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = $"INSERT INTO {s}.events (aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details) VALUES ('Installation', 'open', 1, 'Installed', NULL, 'a', 0, 'never');";
            await insert.ExecuteNonQueryAsync();
        }

        await SaveInstallationAsync(stores, "one");
        await SaveInstallationAsync(stores, "two");
        var read = await stores.Events.ReadAsync(0, 10);
        Assert.Equal(2, read.Count);
        Assert.DoesNotContain(read, e => e.Details == "never");
        await tx.RollbackAsync();
        Assert.Empty(await stores.Events.ReadAsync(read[^1].Position, 10));
        Assert.Equal(0L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.events WHERE position IS NULL;"));
    }

    [PostgresFact]
    public async Task EnsureSchema_UpgradeFromBeforeTemplateTeams_GivesOldTemplatesTheirCreatorAsTeamOnce_X7()
    {
        await using var schema = new TestSchema();
        var s = $"\"{schema.Name}\"";
        var id = Guid.Parse("7b0c7f0e-51e5-4e0f-9f4e-0d6b1d1f5a01");

        // The schema as version 2 left it, with a template stored then.
        await PostgresServer.ExecuteAsync($"""
            CREATE SCHEMA {s};
            CREATE TABLE {s}.schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            {PostgreSqlDatabase.Migrations[0].Replace("{s}", s, StringComparison.Ordinal)}
            {PostgreSqlDatabase.Migrations[1].Replace("{s}", s, StringComparison.Ordinal)}
            INSERT INTO {s}.schema_version (version) VALUES (1), (2);
            INSERT INTO {s}.templates (id, revision, name, published, last_release_number, created_by, created_at)
                VALUES ('{id}', 1, 'Old', true, 0, 'old-creator', 0);
            """);

        for (var i = 0; i < 2; i++)
        {
            await schema.NewDatabase().EnsureSchemaAsync();
            var template = await schema.Stores(owner: false).Templates.FindAsync(new TemplateId(id));
            Assert.Equal([new ActorId("old-creator")], template!.Team);
        }

        Assert.Equal((long)PostgreSqlDatabase.SchemaVersion, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.schema_version;"));
        Assert.Equal("[\"old-creator\"]", await PostgresServer.ScalarAsync<string>($"SELECT team::text FROM {s}.templates;"));
    }

    [PostgresFact]
    public async Task EnsureSchema_UpgradeFromVersion1_KeepsEveryPositionAndNumbersNewEventsAfterThem()
    {
        await using var schema = new TestSchema();
        var s = $"\"{schema.Name}\"";

        // A version 1 schema as a previous release left it, with events numbered by the old bigserial (a value taken by a rolled-back insert: a gap).
        await PostgresServer.ExecuteAsync($"""
            CREATE SCHEMA {s};
            CREATE TABLE {s}.schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            {PostgreSqlDatabase.Migrations[0].Replace("{s}", s, StringComparison.Ordinal)}
            INSERT INTO {s}.schema_version (version) VALUES (1);
            INSERT INTO {s}.events (aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details)
                SELECT 'Template', 'old', n, 'Old', NULL, 'a', 0, 'old ' || n FROM generate_series(1, 3) AS n;
            """);
        await PostgresServer.ExecuteAsync($"SELECT nextval('{s}.events_position_seq');");
        await PostgresServer.ExecuteAsync($"INSERT INTO {s}.events (aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details) VALUES ('Template', 'old', 5, 'Old', NULL, 'a', 0, 'old 5');");
        var before = await PositionsAsync(s);
        Assert.Equal([1L, 2, 3, 5], before.Select(p => p.Position));

        var stores = schema.Stores(owner: false);
        await schema.NewDatabase().EnsureSchemaAsync();
        Assert.Equal(PostgreSqlDatabase.SchemaVersion, await PostgresServer.ScalarAsync<int>($"SELECT MAX(version) FROM {s}.schema_version;"));
        Assert.Equal(before, await PositionsAsync(s));

        var old = await stores.Events.ReadAsync(0, 10);
        Assert.Equal([1L, 2, 3, 5], old.Select(e => e.Position));
        Assert.Equal(["old 1", "old 2", "old 3", "old 5"], old.Select(e => e.Details));
        Assert.Equal([3L, 5], (await stores.Events.ReadAsync(2, 10)).Select(e => e.Position));

        await SaveInstallationAsync(stores, "new");
        var fresh = await stores.Events.ReadAsync(5, 10);
        Assert.Single(fresh);
        Assert.True(fresh[0].Position > 5);
        Assert.Equal(5, (await stores.Events.ReadAsync(0, 10)).Count);
    }

    private static async Task<List<(long Position, string Details)>> PositionsAsync(string s)
    {
        await using var connection = await PostgresServer.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT position, details FROM {s}.events ORDER BY position;";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return rows;
    }

    private static Task SaveInstallationAsync(VersioningStores stores, string owner)
    {
        var installation = new Installation
        {
            Id = InstallationId.New(),
            Product = new ProductRef(ProductKind.Template, Guid.NewGuid()),
            Owner = OwnerRef.User(owner),
            Pinned = VersionKey.ForRelease(R(1)),
            Status = RunStatus.Paused,
            CreatedAt = T0,
            UpdatedAt = T0,
        };
        return stores.Installations.SaveAsync(installation, InstallationEvents.Installed(installation, Actor, T0));
    }
}
