using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Versioning.Core.Events;
using Versioning.Core.Persistence;
using Versioning.Core.PostgreSql;

namespace Versioning.Core.DependencyInjection;

/// <summary>Swaps the in-memory stores for PostgreSQL.</summary>
public static class PostgreSqlVersioningBuilderExtensions
{
    /// <summary>
    /// Stores everything in one schema of a PostgreSQL database, shared by every host instance that points at it. The
    /// schema is created or migrated on first use; call <see cref="PostgreSqlDatabase.EnsureSchemaAsync"/> (resolve
    /// <see cref="PostgreSqlDatabase"/>) at start-up to fail fast instead. The connection pool is disposed with the
    /// service provider. Calling it again replaces the database.
    /// </summary>
    /// <param name="builder">The builder from <c>AddVersioning</c>.</param>
    /// <param name="connectionString">An Npgsql connection string, for example <c>Host=db;Database=app;Username=app;Password=…</c>.</param>
    /// <param name="schema">The schema holding the tables: a lowercase identifier; default <c>versioning</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="schema"/> is null.</exception>
    /// <exception cref="ArgumentException">The connection string is blank, unparsable or names no host, or the schema name is invalid.</exception>
    public static VersioningBuilder UsePostgreSql(this VersioningBuilder builder, string connectionString, string schema = PostgreSqlDatabase.DefaultSchema)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Checked now, at registration, rather than when the first request resolves the database.
        PostgreSqlDatabase.CreateBuilder(connectionString, schema);
        return Register(builder, sp => new PostgreSqlDatabase(connectionString, schema, sp.GetService<ILogger<PostgreSqlDatabase>>()));
    }

    /// <summary>
    /// Stores everything in one schema of the database a caller-built <see cref="NpgsqlDataSource"/> points at (for
    /// example one with its own authentication callbacks or logging). The data source stays the caller's: disposing the
    /// service provider does not dispose it. The schema is created or migrated on first use.
    /// </summary>
    /// <param name="builder">The builder from <c>AddVersioning</c>.</param>
    /// <param name="dataSource">The data source; it must point at a UTF8 database.</param>
    /// <param name="schema">The schema holding the tables: a lowercase identifier; default <c>versioning</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="dataSource"/> or <paramref name="schema"/> is null.</exception>
    /// <exception cref="ArgumentException">The schema name is invalid.</exception>
    public static VersioningBuilder UsePostgreSql(this VersioningBuilder builder, NpgsqlDataSource dataSource, string schema = PostgreSqlDatabase.DefaultSchema)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        PostgreSqlDatabase.CheckSchemaName(schema);
        return Register(builder, sp => new PostgreSqlDatabase(dataSource, schema, sp.GetService<ILogger<PostgreSqlDatabase>>()));
    }

    /// <summary>
    /// Stores everything in one schema of a PostgreSQL database whose connection string is read from the container when
    /// the database is first resolved (for example from <c>IConfiguration</c> or a secret store); it is checked then. The
    /// connection pool is disposed with the service provider.
    /// </summary>
    /// <param name="builder">The builder from <c>AddVersioning</c>.</param>
    /// <param name="connectionString">Returns the Npgsql connection string.</param>
    /// <param name="schema">The schema holding the tables: a lowercase identifier; default <c>versioning</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="connectionString"/> or <paramref name="schema"/> is null.</exception>
    /// <exception cref="ArgumentException">The schema name is invalid.</exception>
    public static VersioningBuilder UsePostgreSql(this VersioningBuilder builder, Func<IServiceProvider, string> connectionString, string schema = PostgreSqlDatabase.DefaultSchema)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        PostgreSqlDatabase.CheckSchemaName(schema);
        return Register(builder, sp => new PostgreSqlDatabase(connectionString(sp), schema, sp.GetService<ILogger<PostgreSqlDatabase>>()));
    }

    private static VersioningBuilder Register(VersioningBuilder builder, Func<IServiceProvider, PostgreSqlDatabase> database)
    {
        var services = builder.Services;
        services.RemoveAll<PostgreSqlDatabase>();
        services.AddSingleton(database);
        services.Replace(ServiceDescriptor.Singleton<ITemplateRepository>(sp => new PostgreSqlTemplateRepository(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IIntegrationRepository>(sp => new PostgreSqlIntegrationRepository(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IInstallationRepository>(sp => new PostgreSqlInstallationRepository(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IMigrationRepository>(sp => new PostgreSqlMigrationRepository(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IEventReader>(sp => new PostgreSqlEventReader(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IWorkerStateRepository>(sp => new PostgreSqlWorkerStateRepository(sp.GetRequiredService<PostgreSqlDatabase>())));
        return builder;
    }
}
