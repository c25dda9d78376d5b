using Microsoft.Data.Sqlite;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;

namespace Versioning.Core.Sqlite.Tests;

/// <summary>The database's own pool of open sessions: disposal, the bound on idle sessions, prepared statements and the writer gate.</summary>
public sealed class SqliteSessionPoolTests
{
    private static readonly ActorId Actor = new("sqlite-tests");
    private static readonly Instant T0 = Instant.FromUtc(2025, 1, 1, 0, 0);

    [Fact]
    public async Task DirectWrite_ErrorsAreSqliteErrors_ValuesMayBeUnused_MissingValuesRefused_SessionStaysUsable()
    {
        var path = TempDatabase.NewPath();
        try
        {
            await using var database = new SqliteDatabase(TempDatabase.ConnectionString(path));
            await using (var session = await database.BeginWriteAsync(CancellationToken.None))
            {
                // A constraint violation on the direct path: SQLite's codes and message, as the command raises them.
                var error = await Assert.ThrowsAsync<SqliteException>(() => session.ExecuteAsync(
                    "INSERT INTO outbox_high_water (id, position) VALUES ($id, $p);", CancellationToken.None, ("$id", 7L), ("$p", 0L)));
                Assert.Equal(19, error.SqliteErrorCode);
                Assert.Equal(275, error.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_CHECK
                Assert.Contains("CHECK constraint failed", error.Message, StringComparison.Ordinal);

                // The statement was reset: the same text runs again, with a value it does not use ignored, as the command ignores it.
                Assert.Equal(1, await session.ExecuteAsync(
                    "INSERT INTO outbox_high_water (id, position) VALUES ($id, $p) ON CONFLICT (id) DO UPDATE SET position = excluded.position;",
                    CancellationToken.None, ("$id", 0L), ("$p", 41L), ("$unused", "x")));

                // A parameter of the statement without a value is refused (by the command) rather than bound as NULL.
                await Assert.ThrowsAsync<InvalidOperationException>(() => session.ExecuteAsync(
                    "UPDATE outbox_high_water SET position = $p WHERE id = $id;", CancellationToken.None, ("$id", 0L)));
                Assert.Equal(41L, await session.ScalarAsync("SELECT position FROM outbox_high_water WHERE id = 0;", CancellationToken.None));
                await session.CommitAsync(CancellationToken.None);
            }

            await using (var session = await database.BeginReadAsync(CancellationToken.None))
            {
                Assert.Equal(41L, await session.ScalarAsync("SELECT position FROM outbox_high_water WHERE id = 0;", CancellationToken.None));
            }
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task Dispose_ClosesTheOpenConnections_FileCanLeaveWalMode()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var database = new SqliteDatabase(TempDatabase.ConnectionString(path));
            var integrations = new SqliteIntegrationRepository(database);
            var integration = Integration.Create(IntegrationId.New(), "Kept open", Actor, T0);
            await integrations.SaveAsync(integration);
            Assert.NotNull(await integrations.FindAsync(integration.Id));
            Assert.True(database.IdleSessionCount > 0);

            // While the database keeps a connection open, SQLite refuses to leave WAL mode.
            Assert.Equal("wal", await TryLeaveWalModeAsync(path));

            await database.DisposeAsync();
            Assert.Equal(0, database.IdleSessionCount);
            Assert.Equal("delete", await TryLeaveWalModeAsync(path));
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task AfterDispose_StoreCalls_ThrowObjectDisposed()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var database = new SqliteDatabase(TempDatabase.ConnectionString(path));
            var integrations = new SqliteIntegrationRepository(database);
            await integrations.ListAsync();
            database.Dispose();
            database.Dispose();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => integrations.ListAsync());
            await Assert.ThrowsAsync<ObjectDisposedException>(() => integrations.SaveAsync(Integration.Create(IntegrationId.New(), "Late", Actor, T0)));
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task ManyConcurrentReads_IdlePoolStaysBounded_StatementsStayPrepared()
    {
        var path = TempDatabase.NewPath();
        await using var database = new SqliteDatabase(TempDatabase.ConnectionString(path));
        try
        {
            var integrations = new SqliteIntegrationRepository(database);
            var integration = Integration.Create(IntegrationId.New(), "Read a lot", Actor, T0);
            await integrations.SaveAsync(integration);

            using var start = new ManualResetEventSlim();
            var readers = Enumerable.Range(0, 24).Select(_ => Task.Run(async () =>
            {
                start.Wait();
                for (var i = 0; i < 20; i++)
                {
                    Assert.NotNull(await integrations.FindAsync(integration.Id));
                }
            })).ToList();
            start.Set();
            await Task.WhenAll(readers);

            Assert.InRange(database.IdleSessionCount, 1, SqliteDatabase.MaxIdleSessions);

            // A session returned and rented again keeps the statements it prepared instead of preparing new ones.
            var first = await database.ReadAsync(CancellationToken.None);
            var prepared = first.PreparedCommandCount;
            await first.DisposeAsync();
            await integrations.FindAsync(integration.Id);
            var again = await database.ReadAsync(CancellationToken.None);
            Assert.Same(first, again);
            Assert.True(prepared >= 3, $"{prepared} statements prepared");
            Assert.Equal(prepared, again.PreparedCommandCount);
            await again.DisposeAsync();
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task WriterGate_SecondWriterWaitsForTheFirst_AndCanBeCancelledWhileWaiting()
    {
        var path = TempDatabase.NewPath();
        await using var database = new SqliteDatabase(TempDatabase.ConnectionString(path));
        try
        {
            var integrations = new SqliteIntegrationRepository(database);
            var first = Integration.Create(IntegrationId.New(), "First", Actor, T0);
            var second = Integration.Create(IntegrationId.New(), "Second", Actor, T0);

            var held = await database.BeginWriteAsync(CancellationToken.None);
            var waiting = integrations.SaveAsync(first);
            await Task.Delay(200);
            Assert.False(waiting.IsCompleted);

            using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => integrations.SaveAsync(second, cancel.Token));
            }

            await held.DisposeAsync();
            await waiting.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(await integrations.FindAsync(first.Id));
            Assert.Null(await integrations.FindAsync(second.Id));
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task FailedWrite_RollsBackAndReleasesTheGate_NextWriteSucceeds()
    {
        var path = TempDatabase.NewPath();
        await using var database = new SqliteDatabase(TempDatabase.ConnectionString(path));
        try
        {
            var integrations = new SqliteIntegrationRepository(database);
            var integration = Integration.Create(IntegrationId.New(), "Contested", Actor, T0);
            await integrations.SaveAsync(integration);
            var stale = (await integrations.FindAsync(integration.Id))!;
            var fresh = (await integrations.FindAsync(integration.Id))!;
            fresh.AddTeamMember(new ActorId("fresh"), Actor, T0);
            await integrations.SaveAsync(fresh);

            stale.AddTeamMember(new ActorId("stale"), Actor, T0);
            var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => integrations.SaveAsync(stale));
            Assert.Equal(1, conflict.ExpectedRevision);
            Assert.Equal(2, conflict.ActualRevision);

            // The refused write changed nothing and left neither the gate held nor a transaction open.
            var next = (await integrations.FindAsync(integration.Id))!;
            Assert.True(next.IsTeamMember(new ActorId("fresh")));
            Assert.False(next.IsTeamMember(new ActorId("stale")));
            Assert.Equal(fresh.AuditTrail.Count, next.AuditTrail.Count);
            next.AddTeamMember(new ActorId("next"), Actor, T0);
            await integrations.SaveAsync(next).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True((await integrations.FindAsync(integration.Id))!.IsTeamMember(new ActorId("next")));

            // A new integration whose id is already stored is a conflict too (the INSERT wrote nothing).
            var duplicate = Integration.Create(integration.Id, "Duplicate", Actor, T0);
            var insertConflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => integrations.SaveAsync(duplicate));
            Assert.Equal(0, insertConflict.ExpectedRevision);
            Assert.Equal(3, insertConflict.ActualRevision);
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task ConcurrentWritersInOneProcess_EveryUpdateIsKept()
    {
        var path = TempDatabase.NewPath();
        await using var database = new SqliteDatabase(TempDatabase.ConnectionString(path));
        try
        {
            var integrations = new SqliteIntegrationRepository(database);
            var integration = Integration.Create(IntegrationId.New(), "Busy", Actor, T0);
            await integrations.SaveAsync(integration);
            var renames = 0;
            await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                for (var attempt = 0; ; attempt++)
                {
                    var loaded = (await integrations.FindAsync(integration.Id))!;
                    loaded.AddTeamMember(new ActorId($"member-{i}"), Actor, T0);
                    try
                    {
                        await integrations.SaveAsync(loaded);
                        Interlocked.Increment(ref renames);
                        return;
                    }
                    catch (ConcurrencyConflictException) when (attempt < 200)
                    {
                        // Retry on the newer revision, as the services do.
                    }
                }
            })));

            var final = (await integrations.FindAsync(integration.Id))!;
            Assert.Equal(16, renames);
            Assert.Equal(17, final.Revision);
            Assert.Equal(integration.AuditTrail.Count + 16, final.AuditTrail.Count);
            Assert.All(Enumerable.Range(0, 16), i => Assert.True(final.IsTeamMember(new ActorId($"member-{i}"))));
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task MigrationBatch_CommitsWithAHigherCheckpointThreshold_ThenRestoresTheDefault()
    {
        var path = TempDatabase.NewPath();
        await using var database = new SqliteDatabase(TempDatabase.ConnectionString(path));
        try
        {
            var migrations = new SqliteMigrationRepository(database);
            var job = new MigrationJob
            {
                Id = MigrationId.New(),
                Product = new ProductRef(ProductKind.Integration, Guid.NewGuid()),
                From = VersionKey.ForVersion(new VersionNumber(1, 0, 0)),
                To = VersionKey.ForVersion(new VersionNumber(1, 1, 0)),
                Scope = MigrationScope.Percentage(50),
                State = MigrationState.Requested,
                BatchSize = 10,
                Total = 0,
                RequestedBy = Actor,
                RequestedAt = T0,
                UpdatedAt = T0,
            };
            job = await migrations.SaveAsync(job, [job.Started()]);
            job = await migrations.RunBatchAsync(job, Actor, T0);
            Assert.Equal(1, job.Batches);

            // Writers run one at a time, so the session that ran the batch is the one on top of the idle pool.
            var session = await database.ReadAsync(CancellationToken.None);
            try
            {
                Assert.Equal(1000L, await session.ScalarAsync("PRAGMA wal_autocheckpoint;", CancellationToken.None));
            }
            finally
            {
                await session.DisposeAsync();
            }
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    /// <summary>Asks SQLite to switch the file to rollback-journal mode on a fresh unpooled connection; returns the mode in force afterwards.</summary>
    private static async Task<string> TryLeaveWalModeAsync(string path)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 1 }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=DELETE;";
        try
        {
            var mode = (string?)await command.ExecuteScalarAsync();
            if (mode == "delete")
            {
                command.CommandText = "PRAGMA journal_mode=WAL;";
                await command.ExecuteScalarAsync();
                return "delete";
            }

            return mode ?? "?";
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 5)
        {
            return "wal";
        }
    }
}
