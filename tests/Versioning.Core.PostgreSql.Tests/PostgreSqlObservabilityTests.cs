using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Tests.Shared;
using Versioning.Core.Services;

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>The PostgreSQL store's log messages, health check and registration overloads.</summary>
public class PostgreSqlObservabilityTests
{
    private static Task<HealthCheckResult> CheckAsync(PostgreSqlDatabase database)
        => new PostgreSqlStoreHealthCheck(database).CheckHealthAsync(new HealthCheckContext());

    [PostgresFact]
    public async Task Schema_CreationAndUpgrade_AreLogged_AndTheHealthCheckFollowsTheVersion()
    {
        await using var schema = new TestSchema();
        var capture = new LogCapture();
        await using (var database = new PostgreSqlDatabase(PostgresServer.ConnectionString, schema.Name, capture.For<PostgreSqlDatabase>()))
        {
            Assert.Equal(HealthStatus.Degraded, (await CheckAsync(database)).Status);
            await database.EnsureSchemaAsync();
            Assert.Equal(HealthStatus.Healthy, (await CheckAsync(database)).Status);
        }

        var created = Assert.Single(capture.WithId(3001));
        Assert.Equal(LogLevel.Information, created.Level);
        Assert.Equal(schema.Name, created.State["Schema"]);
        Assert.Equal(PostgreSqlDatabase.SchemaVersion, created.State["Version"]);

        // Back to version 2, as the previous release left it: the next start upgrades it.
        await PostgresServer.ExecuteAsync($"DELETE FROM \"{schema.Name}\".schema_version WHERE version = {PostgreSqlDatabase.SchemaVersion}; ALTER TABLE \"{schema.Name}\".templates DROP COLUMN team;");
        await using (var database = new PostgreSqlDatabase(PostgresServer.ConnectionString, schema.Name, capture.For<PostgreSqlDatabase>()))
        {
            var older = await CheckAsync(database);
            Assert.Equal(HealthStatus.Degraded, older.Status);
            Assert.Equal(PostgreSqlDatabase.SchemaVersion - 1, older.Data["schemaVersion"]);
            await database.EnsureSchemaAsync();
        }

        var upgraded = Assert.Single(capture.WithId(3002));
        Assert.Equal((PostgreSqlDatabase.SchemaVersion - 1, PostgreSqlDatabase.SchemaVersion), ((int)upgraded.State["FromVersion"]!, (int)upgraded.State["ToVersion"]!));
        Assert.DoesNotContain(capture.Entries, e => e.Message.Contains("Password", StringComparison.OrdinalIgnoreCase) || e.Message.Contains(PostgresServer.ConnectionString, StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task NewerSchema_IsLoggedAsSchemaFailed_AndTheHealthCheckIsUnhealthy()
    {
        await using var schema = new TestSchema();
        await schema.NewDatabase().EnsureSchemaAsync();
        await PostgresServer.ExecuteAsync($"INSERT INTO \"{schema.Name}\".schema_version (version) VALUES ({PostgreSqlDatabase.SchemaVersion + 1});");
        var capture = new LogCapture();
        await using var database = new PostgreSqlDatabase(PostgresServer.ConnectionString, schema.Name, capture.For<PostgreSqlDatabase>());
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => database.EnsureSchemaAsync());
        var failed = Assert.Single(capture.WithId(3004));
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Same(ex, failed.Exception);
        var health = await CheckAsync(database);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("newer", health.Description, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task UnreachableServer_IsLoggedAsConnectionFailed_WithoutThePassword_AndTheHealthCheckIsUnhealthy()
    {
        // A port nothing listens on (the configured server's credentials, so a leak would show).
        var settings = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Host = "127.0.0.1", Port = 1, Timeout = 2 };
        var capture = new LogCapture();
        await using var database = new PostgreSqlDatabase(settings.ConnectionString, PostgresServer.NewSchemaName(), capture.For<PostgreSqlDatabase>());
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => database.EnsureSchemaAsync());
        var failed = Assert.Single(capture.WithId(3003));
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Equal("127.0.0.1", failed.State["Host"]);
        var health = await CheckAsync(database);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.NotNull(health.Exception);
        Assert.DoesNotContain(capture.Entries, e => e.Message.Contains("Password", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("Password", health.Description, StringComparison.OrdinalIgnoreCase);
    }

    [PostgresFact]
    public async Task UsePostgreSql_DataSource_UsesTheCallersDataSource_AndLeavesItOpen()
    {
        await using var schema = new TestSchema();
        await using var dataSource = NpgsqlDataSource.Create(PostgresServer.ConnectionString);
        var services = new ServiceCollection().AddLogging();
        services.AddVersioning().UsePostgreSql(dataSource, schema.Name);
        services.AddHealthChecks().AddVersioningPostgreSql();
        await using (var provider = services.BuildServiceProvider())
        {
            Assert.IsType<PostgreSqlTemplateRepository>(provider.GetRequiredService<ITemplateRepository>());
            var template = await provider.GetRequiredService<TemplateService>().CreateTemplateAsync("T", new ActorId("a"));
            var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Healthy, report.Entries[PostgreSqlHealthChecksBuilderExtensions.DefaultName].Status);
        }

        // The provider is gone; the data source is still the caller's and still works.
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{schema.Name}\".templates;", connection);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task UsePostgreSql_Func_ReadsTheConnectionStringFromTheContainer_AndGetsTheContainersLogger()
    {
        await using var schema = new TestSchema();
        var capture = new LogCapture();
        var services = new ServiceCollection();
        services.AddSingleton(new StoreSettings(PostgresServer.ConnectionString));
        services.AddSingleton(capture.For<PostgreSqlDatabase>());
        services.AddVersioning().UsePostgreSql(sp => sp.GetRequiredService<StoreSettings>().ConnectionString, schema.Name);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<TemplateService>().CreateTemplateAsync("T", new ActorId("a"));
        Assert.Equal(schema.Name, provider.GetRequiredService<PostgreSqlDatabase>().Schema);
        Assert.Single(capture.WithId(3001));
    }

    [Fact]
    public void UsePostgreSql_NewOverloads_CheckTheirArguments()
    {
        var builder = new ServiceCollection().AddVersioning();
        Assert.Equal("dataSource", Assert.Throws<ArgumentNullException>(() => builder.UsePostgreSql((NpgsqlDataSource)null!)).ParamName);
        Assert.Equal("connectionString", Assert.Throws<ArgumentNullException>(() => builder.UsePostgreSql((Func<IServiceProvider, string>)null!)).ParamName);
        Assert.Equal("schema", Assert.Throws<ArgumentException>(() => builder.UsePostgreSql(_ => "Host=x", "Bad Schema")).ParamName);
        using var dataSource = NpgsqlDataSource.Create("Host=localhost");
        Assert.Equal("schema", Assert.Throws<ArgumentException>(() => builder.UsePostgreSql(dataSource, "pg_x")).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => PostgreSqlHealthChecksBuilderExtensions.AddVersioningPostgreSql(null!)).ParamName);
    }

    [Fact]
    public void LogEvents_AreDocumentedWithStableIdsNamesAndLevels()
        => LogEventDoc.AssertDocumented(typeof(PostgreSqlDatabase).Assembly, 3000, 3999);

    private sealed record StoreSettings(string ConnectionString);
}
