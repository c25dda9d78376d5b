using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Installations;
using Versioning.Core.Sqlite;

namespace Versioning.Core.Hosting.Tests;

/// <summary>The fleet scenarios on SQLite: three hosts, each with its own database handle and connections, on one file.</summary>
public sealed class SqliteFleetTests : FleetScenarios, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "versioning-hosting-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Creates the folder of the test's database file.</summary>
    public SqliteFleetTests() => Directory.CreateDirectory(_folder);

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "fleet.db") }.ToString();

    /// <summary>H1–H3 on SQLite.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public Task ThreeHosts_StalledHolder_JobCompletesEachInstallationMovedOnce_H1_H2_H3() => MigrationSurvivesAStalledHostAsync(20_000, 1_000);

    /// <summary>H4 on SQLite.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public Task ThreeHosts_ConcurrentWriters_EveryEventHandledInOrder_PoisonParked_H4() => EventsDeliveredInOrderDespitePoisonAsync(2, 4);

    /// <summary>H5 on SQLite.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public Task ThreeHosts_EachDueNoticeRaisedOnce_H5() => EachDueNoticeRaisedOnceAcrossHostsAsync(5);

    /// <inheritdoc />
    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Removed with the temp folder later.
        }
    }

    private protected override VersioningBuilder AddStore(IServiceCollection services) => services.AddVersioning().UseSqlite(ConnectionString);

    private protected override async Task SeedAsync(IServiceProvider services, ProductRef product, VersionKey pinned, int count)
    {
        await services.GetRequiredService<SqliteDatabase>().EnsureSchemaAsync();
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var tx = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO installations (id, product_kind, product_id, owner_kind, owner_id, pinned, status, settings, created_at, updated_at, revision)
            VALUES ($id, $pk, $pid, $ok, $owner, $pinned, 0, '{}', $at, $at, 1);
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var owner = command.Parameters.Add("$owner", SqliteType.Text);
        command.Parameters.AddWithValue("$pk", (int)product.Kind);
        command.Parameters.AddWithValue("$pid", product.Id.ToString("D"));
        command.Parameters.AddWithValue("$ok", (int)OwnerKind.Account);
        command.Parameters.AddWithValue("$pinned", pinned.Value);
        command.Parameters.AddWithValue("$at", Instant.FromUtc(2026, 3, 1, 9, 0).ToUnixTimeTicks());
        for (var n = 0; n < count; n++)
        {
            id.Value = InstallationId.New().ToString();
            owner.Value = $"account-{n % 100}";
            await command.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }
}
