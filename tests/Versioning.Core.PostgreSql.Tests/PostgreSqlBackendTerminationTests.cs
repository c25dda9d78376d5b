using Npgsql;
using Versioning.Core.Installations;
using Versioning.Core.Templates;

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>
/// Fault injection with a real failure (M5, X1): the server terminates the backend of a migration batch while its
/// transaction is open. Nothing of that batch is written; a new host resumes the job and every selected installation
/// moves exactly once.
/// </summary>
public sealed class PostgreSqlBackendTerminationTests
{
    private static readonly ActorId Actor = new("terminator");
    private static readonly Instant At = Instant.FromUtc(2026, 5, 1, 12, 0);

    [PostgresFact]
    public async Task MigrationBatch_BackendTerminatedMidTransaction_NothingHalfWrittenAndResumeMovesEachSelectedExactlyOnce_M5()
    {
        await using var schema = new TestSchema();
        var stores = schema.Stores(owner: false);
        var product = new ProductRef(ProductKind.Integration, Guid.NewGuid());
        var from = VersionKey.ForVersion(new VersionNumber(1, 0, 0));
        var to = VersionKey.ForVersion(new VersionNumber(1, 1, 0));
        var seeded = new List<Installation>();
        for (var i = 0; i < 120; i++)
        {
            var installation = new Installation
            {
                Id = InstallationId.New(),
                Product = product,
                Owner = OwnerRef.User($"user{i}"),
                Pinned = from,
                Status = RunStatus.Running,
                Settings = Installation.CheckSettings([new("keep", "me")]),
                CreatedAt = At,
                UpdatedAt = At,
            };
            seeded.Add(await stores.Installations.SaveAsync(installation, InstallationEvents.Installed(installation, Actor, At)));
        }

        var job = await stores.Migrations.SaveAsync(new MigrationJob
        {
            Id = MigrationId.New(),
            Product = product,
            From = from,
            To = to,
            Scope = MigrationScope.Percentage(50),
            State = MigrationState.Requested,
            BatchSize = 30,
            Total = seeded.Count,
            RequestedBy = Actor,
            RequestedAt = At,
            UpdatedAt = At,
        }, []);
        job = await stores.Migrations.RunBatchAsync(job, Actor, At);

        // Hold a lock the next batch's UPDATE needs, so its transaction stays open, then terminate its backend.
        await using var blocker = new NpgsqlConnection(PostgresServer.ConnectionString);
        await blocker.OpenAsync();
        await using var lockTransaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand($"LOCK TABLE \"{schema.Name}\".installations IN SHARE MODE;", blocker, lockTransaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var batch = stores.Migrations.RunBatchAsync(job, Actor, At);
        var terminated = false;
        for (var attempt = 0; attempt < 200 && !terminated; attempt++)
        {
            await Task.Delay(25);
            await using var find = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND position(@schema in query) > 0;",
                blocker, lockTransaction);
            find.Parameters.AddWithValue("schema", schema.Name);
            terminated = await find.ExecuteScalarAsync() is true;
        }

        Assert.True(terminated, "the batch's backend was never seen waiting inside its transaction");
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => batch);
        await lockTransaction.RollbackAsync();

        // Nothing of the terminated batch was written: the job and the installations are as after the first batch.
        var reopened = schema.Stores(owner: false);
        Assert.Equal(job, await reopened.Migrations.FindAsync(job.Id));
        Assert.Equal(job.Moved, (await reopened.Installations.CountAsync(product, to)).Total);

        // A new host resumes the job to the end.
        var resumed = job;
        while (resumed.IsRunnable)
        {
            resumed = await reopened.Migrations.RunBatchAsync(resumed, Actor, At);
        }

        var expected = seeded.Where(i => Cohort.IsSelected(i.Id, from, to, 50)).Select(i => i.Id).ToHashSet();
        Assert.Equal(MigrationState.Completed, resumed.State);
        Assert.Equal(expected.Count, resumed.Moved);
        foreach (var original in seeded)
        {
            var now = (await reopened.Installations.FindAsync(original.Id))!;
            var moved = expected.Contains(original.Id);
            Assert.Equal(moved ? to : from, now.Pinned);
            Assert.Equal(original.Revision + (moved ? 1 : 0), now.Revision);
            Assert.Equal(original.Settings["keep"], now.Settings["keep"]);
        }
    }
}
