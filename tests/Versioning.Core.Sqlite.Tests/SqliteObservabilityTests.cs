using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Tests.Shared;
using Versioning.Core.Services;

namespace Versioning.Core.Sqlite.Tests;

/// <summary>The SQLite store's log messages, health check and registration overloads.</summary>
public class SqliteObservabilityTests
{
    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(TempDatabase.ConnectionString(path) + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static Task<HealthCheckResult> CheckAsync(SqliteDatabase database)
        => new SqliteStoreHealthCheck(database).CheckHealthAsync(new HealthCheckContext());

    [Fact]
    public async Task Schema_CreationAndUpgrade_AreLoggedAtInformation_WithTheFileButNoConnectionString()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var capture = new LogCapture();
            await using (var database = new SqliteDatabase(TempDatabase.ConnectionString(path), capture.For<SqliteDatabase>()))
            {
                await database.EnsureSchemaAsync();
            }

            var created = Assert.Single(capture.WithId(2001));
            Assert.Equal(LogLevel.Information, created.Level);
            Assert.Equal(path, created.State["DataSource"]);
            Assert.Equal(SqliteDatabase.SchemaVersion, created.State["Version"]);
            Assert.Equal(typeof(SqliteDatabase).FullName, created.Category);

            // Back to the version before, as a file written by the previous release: the next start upgrades it.
            SqliteConnection.ClearAllPools();
            await ExecuteAsync(path, $"""
                DELETE FROM schema_version WHERE version = {SqliteDatabase.SchemaVersion};
                DROP INDEX ix_installations_product_cohort;
                CREATE INDEX ix_installations_product ON installations (product_kind, product_id, id);
                CREATE INDEX ix_installations_product_pinned ON installations (product_kind, product_id, pinned, id, cohort_bucket);
                """);
            await using (var database = new SqliteDatabase(TempDatabase.ConnectionString(path), capture.For<SqliteDatabase>()))
            {
                Assert.Equal(HealthStatus.Degraded, (await CheckAsync(database)).Status);
                await database.EnsureSchemaAsync();
                Assert.Equal(HealthStatus.Healthy, (await CheckAsync(database)).Status);
            }

            var upgraded = Assert.Single(capture.WithId(2002));
            Assert.Equal(LogLevel.Information, upgraded.Level);
            Assert.Equal((SqliteDatabase.SchemaVersion - 1, SqliteDatabase.SchemaVersion), ((int)upgraded.State["FromVersion"]!, (int)upgraded.State["ToVersion"]!));
            Assert.DoesNotContain(capture.Entries, e => e.Message.Contains("Data Source", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task NewerSchema_IsLoggedAsSchemaFailed_AndTheHealthCheckIsUnhealthy()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var capture = new LogCapture();
            await using (var first = new SqliteDatabase(TempDatabase.ConnectionString(path)))
            {
                await first.EnsureSchemaAsync();
            }

            SqliteConnection.ClearAllPools();
            await ExecuteAsync(path, $"INSERT INTO schema_version (version) VALUES ({SqliteDatabase.SchemaVersion + 1});");
            await using var database = new SqliteDatabase(TempDatabase.ConnectionString(path), capture.For<SqliteDatabase>());
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => database.EnsureSchemaAsync());
            var failed = Assert.Single(capture.WithId(2004));
            Assert.Equal(LogLevel.Error, failed.Level);
            Assert.Same(ex, failed.Exception);
            var health = await CheckAsync(database);
            Assert.Equal(HealthStatus.Unhealthy, health.Status);
            Assert.Contains("newer", health.Description, StringComparison.Ordinal);
            Assert.Equal(SqliteDatabase.SchemaVersion + 1, health.Data["schemaVersion"]);
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task UnopenableFile_IsLoggedAsConnectionFailed_AndTheHealthCheckReportsTheFailureStatus()
    {
        // A folder where the file should be: SQLite cannot open it.
        var path = TempDatabase.NewPath();
        Directory.CreateDirectory(path);
        try
        {
            var capture = new LogCapture();
            await using var database = new SqliteDatabase(TempDatabase.ConnectionString(path), capture.For<SqliteDatabase>());
            await Assert.ThrowsAsync<SqliteException>(() => database.EnsureSchemaAsync());
            var failed = Assert.Single(capture.WithId(2003));
            Assert.Equal(LogLevel.Error, failed.Level);
            Assert.IsType<SqliteException>(failed.Exception);

            var health = await CheckAsync(database);
            Assert.Equal(HealthStatus.Unhealthy, health.Status);
            Assert.IsType<SqliteException>(health.Exception);

            // The registration's failure status is the one reported.
            var registration = new HealthCheckRegistration("store", new SqliteStoreHealthCheck(database), HealthStatus.Degraded, null);
            var degraded = await new SqliteStoreHealthCheck(database).CheckHealthAsync(new HealthCheckContext { Registration = registration });
            Assert.Equal(HealthStatus.Degraded, degraded.Status);
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task HealthCheck_RegisteredThroughDI_IsDegradedBeforeFirstUseAndHealthyAfter_AndCreatesNothing()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var services = new ServiceCollection().AddLogging();
            services.AddVersioning().UseSqlite(TempDatabase.ConnectionString(path));
            services.AddHealthChecks().AddVersioningSqlite(tags: ["store"]);
            await using var provider = services.BuildServiceProvider();
            var health = provider.GetRequiredService<HealthCheckService>();

            var before = await health.CheckHealthAsync();
            var entry = Assert.Single(before.Entries);
            Assert.Equal(SqliteHealthChecksBuilderExtensions.DefaultName, entry.Key);
            Assert.Equal(HealthStatus.Degraded, entry.Value.Status);
            Assert.Contains("store", entry.Value.Tags);
            Assert.False(File.Exists(path));

            await provider.GetRequiredService<TemplateService>().CreateTemplateAsync("T", new ActorId("a"));
            var after = await health.CheckHealthAsync();
            Assert.Equal(HealthStatus.Healthy, after.Status);
            Assert.Equal(SqliteDatabase.SchemaVersion, after.Entries[SqliteHealthChecksBuilderExtensions.DefaultName].Data["schemaVersion"]);
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task UseSqlite_Func_ReadsTheConnectionStringFromTheContainer_AndTheDatabaseGetsTheContainersLogger()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var capture = new LogCapture();
            var services = new ServiceCollection();
            services.AddSingleton(new StoreSettings(TempDatabase.ConnectionString(path)));
            services.AddSingleton(capture.For<SqliteDatabase>());
            services.AddVersioning().UseSqlite(sp => sp.GetRequiredService<StoreSettings>().ConnectionString);
            await using var provider = services.BuildServiceProvider();
            Assert.IsType<SqliteTemplateRepository>(provider.GetRequiredService<ITemplateRepository>());
            Assert.Equal(path, provider.GetRequiredService<SqliteDatabase>().DataSource);
            await provider.GetRequiredService<TemplateService>().CreateTemplateAsync("T", new ActorId("a"));
            Assert.True(File.Exists(path));
            Assert.Single(capture.WithId(2001));
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public void UseSqlite_Func_NullArguments_ThrowWithParameterNames()
    {
        var builder = new ServiceCollection().AddVersioning();
        Assert.Equal("connectionString", Assert.Throws<ArgumentNullException>(() => builder.UseSqlite((Func<IServiceProvider, string>)null!)).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => SqliteVersioningBuilderExtensions.UseSqlite(null!, _ => "Data Source=x.db")).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => SqliteHealthChecksBuilderExtensions.AddVersioningSqlite(null!)).ParamName);
    }

    [Fact]
    public void LogEvents_AreDocumentedWithStableIdsNamesAndLevels()
        => LogEventDoc.AssertDocumented(typeof(SqliteDatabase).Assembly, 2000, 2999);

    private sealed record StoreSettings(string ConnectionString);
}
