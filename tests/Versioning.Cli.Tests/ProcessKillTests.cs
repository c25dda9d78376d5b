using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Versioning.Core;
using Versioning.Core.Content;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Services;

namespace Versioning.Cli.Tests;

/// <summary>
/// Fault injection with a real crash (M5, X1): a child `versioning` process runs a migration on a SQLite file and is
/// killed mid-way; the file is reopened and the job resumed. Every selected installation moves exactly once.
/// </summary>
public sealed class ProcessKillTests : IDisposable
{
    internal const int Installations = 30_000;
    private readonly Cli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task SqliteMigration_ChildProcessKilledMidway_ReopenAndResumeMovesEachSelectedExactlyOnce_M5()
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = _cli.Database }.ToString();
        var actor = new ActorId("alice");
        var (integrations, migrations) = Services(cs);
        var app = await integrations.CreateIntegrationAsync("Killed", actor);
        var content = new WorkflowDefinition([new Step("s", new ConnectorRef("Api", "1"), "Call")]);
        var from = VersionNumber.Parse("1.0.0");
        var to = VersionNumber.Parse("1.1.0");
        await integrations.CreateVersionAsync(app.Id, from, content, actor);
        await integrations.CreateVersionAsync(app.Id, to, content, actor);
        await integrations.SetNotesAsync(app.Id, to, "notes", actor);
        await integrations.PromoteAsync(app.Id, to, actor);
        var ids = await SeedAsync(cs, ProductRef.Of(app.Id), VersionKey.ForVersion(from));
        var job = await migrations.StartMigrationAsync(app.Id, from, to, MigrationScope.Percentage(50), actor, batchSize: 10);

        // The child runs the job (3 000 small batches, each its own transaction); kill it once a few are committed.
        var dll = Path.Combine(AppContext.BaseDirectory, "versioning.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", dll, "--db", _cli.Database, "--as", "alice", "integration", "resume", job.Id.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var child = Process.Start(start)!;
        _ = child.StandardOutput.ReadToEndAsync();
        _ = child.StandardError.ReadToEndAsync();
        var probe = new Core.Sqlite.SqliteMigrationRepository(new Core.Sqlite.SqliteDatabase(cs));
        var stopwatch = Stopwatch.StartNew();
        MigrationJob seen = job;
        while (seen.Batches < 5 && stopwatch.Elapsed < TimeSpan.FromSeconds(60) && !child.HasExited)
        {
            await Task.Delay(5);
            seen = (await probe.FindAsync(job.Id))!;
        }

        Assert.False(child.HasExited, $"the child finished before it could be killed (batches {seen.Batches})");
        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync();
        var atKill = (await probe.FindAsync(job.Id))!;
        Assert.Equal(MigrationState.InProgress, atKill.State);
        Assert.True(atKill.Scanned < Installations, "the kill came too late to interrupt the job");

        // Reopen the file in a fresh host and resume.
        SqliteConnection.ClearAllPools();
        var (_, resumedMigrations) = Services(cs);
        var done = await resumedMigrations.RunAsync(job.Id, actor);

        Assert.Equal(MigrationState.Completed, done.State);
        Assert.Equal(Installations, done.Scanned);
        var expected = ids.Where(id => Cohort.IsSelected(id, VersionKey.ForVersion(from), VersionKey.ForVersion(to), 50)).ToHashSet();
        Assert.Equal(expected.Count, done.Moved);
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, pinned, revision FROM installations;";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            var moved = expected.Contains(InstallationId.Parse(reader.GetString(0)));
            Assert.Equal(moved ? "1.1.0" : "1.0.0", reader.GetString(1));
            Assert.Equal(moved ? 2 : 1, reader.GetInt64(2));
        }

        Assert.Equal(Installations, rows);
        Assert.True(atKill.Batches > 0 && atKill.Batches < done.Batches, $"killed after {atKill.Batches} of {done.Batches} batches");
    }

    internal static (IntegrationService Integrations, MigrationService Migrations) Services(string cs)
    {
        var services = new ServiceCollection();
        services.AddVersioning().UseSqlite(cs);
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IntegrationService>(), provider.GetRequiredService<MigrationService>());
    }

    internal static async Task<List<InstallationId>> SeedAsync(string cs, ProductRef product, VersionKey pinned)
    {
        var ids = new List<InstallationId>(Installations);
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        await using var tx = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO installations (id, product_kind, product_id, owner_kind, owner_id, pinned, status, settings, created_at, updated_at, revision)
            VALUES ($id, $pk, $pid, 1, $owner, $pinned, 1, '{"keep":"me"}', 0, 0, 1);
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var owner = command.Parameters.Add("$owner", SqliteType.Text);
        command.Parameters.AddWithValue("$pk", (int)product.Kind);
        command.Parameters.AddWithValue("$pid", product.Id.ToString("D"));
        command.Parameters.AddWithValue("$pinned", pinned.Value);
        for (var i = 0; i < Installations; i++)
        {
            var installation = InstallationId.New();
            ids.Add(installation);
            id.Value = installation.ToString();
            owner.Value = $"user{i}";
            await command.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        return ids;
    }
}
