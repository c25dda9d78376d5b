using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Installations;
using Versioning.Core.PostgreSql;
using Versioning.Core.PostgreSql.Tests;

namespace Versioning.Core.Hosting.Tests;

/// <summary>
/// The fleet scenarios on PostgreSQL: three generic hosts, each with its own service provider and connection pool, on
/// one schema — the shape of a web farm behind a load balancer. Needs <c>VERSIONING_TEST_POSTGRES</c>.
/// </summary>
public sealed class PostgreSqlFleetTests : FleetScenarios, IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchemaName();

    /// <summary>H1–H3 on PostgreSQL with 100 000 installations.</summary>
    /// <returns>A task.</returns>
    [PostgresFact]
    public Task ThreeHosts_100kMigration_StalledHolder_JobCompletesEachInstallationMovedOnce_H1_H2_H3() => MigrationSurvivesAStalledHostAsync(100_000, 2_500);

    /// <summary>H4 on PostgreSQL.</summary>
    /// <returns>A task.</returns>
    [PostgresFact]
    public Task ThreeHosts_ConcurrentWriters_EveryEventHandledInOrder_PoisonParked_H4() => EventsDeliveredInOrderDespitePoisonAsync(3, 5);

    /// <summary>H5 on PostgreSQL.</summary>
    /// <returns>A task.</returns>
    [PostgresFact]
    public Task ThreeHosts_EachDueNoticeRaisedOnce_H5() => EachDueNoticeRaisedOnceAcrossHostsAsync(8);

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (PostgresServer.IsConfigured)
        {
            NpgsqlConnection.ClearAllPools();
            await PostgresServer.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE;");
        }
    }

    private protected override VersioningBuilder AddStore(IServiceCollection services) => services.AddVersioning().UsePostgreSql(PostgresServer.ConnectionString, _schema);

    private protected override async Task SeedAsync(IServiceProvider services, ProductRef product, VersionKey pinned, int count)
    {
        await services.GetRequiredService<PostgreSqlDatabase>().EnsureSchemaAsync();
        await using var connection = await PostgresServer.OpenAsync();
        var at = Instant.FromUtc(2026, 3, 1, 9, 0).ToUnixTimeTicks();
        await using (var import = await connection.BeginBinaryImportAsync(
            $"COPY \"{_schema}\".installations (id, product_kind, product_id, owner_kind, owner_id, pinned, status, settings, created_at, updated_at, revision) FROM STDIN (FORMAT BINARY)"))
        {
            for (var n = 0; n < count; n++)
            {
                await import.StartRowAsync();
                await import.WriteAsync(InstallationId.New().Value, NpgsqlDbType.Uuid);
                await import.WriteAsync((int)product.Kind, NpgsqlDbType.Integer);
                await import.WriteAsync(product.Id, NpgsqlDbType.Uuid);
                await import.WriteAsync((int)OwnerKind.Account, NpgsqlDbType.Integer);
                await import.WriteAsync($"account-{n % 100}", NpgsqlDbType.Text);
                await import.WriteAsync(pinned.Value, NpgsqlDbType.Text);
                await import.WriteAsync(0, NpgsqlDbType.Integer);
                await import.WriteAsync("{}", NpgsqlDbType.Jsonb);
                await import.WriteAsync(at, NpgsqlDbType.Bigint);
                await import.WriteAsync(at, NpgsqlDbType.Bigint);
                await import.WriteAsync(1L, NpgsqlDbType.Bigint);
            }

            await import.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand($"ANALYZE \"{_schema}\".installations;", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
