using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Versioning.Core.Events;
using Versioning.Core.Persistence;
using Versioning.Core.Sqlite;

namespace Versioning.Core.DependencyInjection;

/// <summary>Swaps the in-memory stores for SQLite.</summary>
public static class SqliteVersioningBuilderExtensions
{
    /// <summary>
    /// Stores everything in one SQLite database file (schema created on first use). One <see cref="SqliteDatabase"/> is
    /// registered as a singleton, with the container's logger; its open connections are closed when the service
    /// provider is disposed. Calling it again replaces the file.
    /// </summary>
    /// <param name="builder">The builder from <c>AddVersioning</c>.</param>
    /// <param name="connectionString">A connection string such as <c>Data Source=versioning.db</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException">The connection string is blank or in-memory.</exception>
    public static VersioningBuilder UseSqlite(this VersioningBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Checked now, at registration, rather than when the first request resolves the database (the constructor
        // opens nothing, so the instance built here has nothing to dispose).
        _ = new SqliteDatabase(connectionString);
        return Register(builder, _ => connectionString);
    }

    /// <summary>
    /// Stores everything in one SQLite database file whose connection string is read from the container when the
    /// database is first resolved (for example from <c>IConfiguration</c> or an options class), as
    /// <see cref="UseSqlite(VersioningBuilder, string)"/> does otherwise. The connection string is checked then.
    /// </summary>
    /// <param name="builder">The builder from <c>AddVersioning</c>.</param>
    /// <param name="connectionString">Returns the connection string, for example <c>sp =&gt; sp.GetRequiredService&lt;IConfiguration&gt;().GetConnectionString("Versioning")!</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is null.</exception>
    public static VersioningBuilder UseSqlite(this VersioningBuilder builder, Func<IServiceProvider, string> connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        return Register(builder, connectionString);
    }

    private static VersioningBuilder Register(VersioningBuilder builder, Func<IServiceProvider, string> connectionString)
    {
        var services = builder.Services;
        services.RemoveAll<SqliteDatabase>();

        // A factory registration, so the provider owns and disposes the instance.
        services.AddSingleton(sp => new SqliteDatabase(connectionString(sp), sp.GetService<ILogger<SqliteDatabase>>()));
        services.Replace(ServiceDescriptor.Singleton<ITemplateRepository>(sp => new SqliteTemplateRepository(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IIntegrationRepository>(sp => new SqliteIntegrationRepository(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IInstallationRepository>(sp => new SqliteInstallationRepository(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IMigrationRepository>(sp => new SqliteMigrationRepository(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IEventReader>(sp => new SqliteEventReader(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IWorkerStateRepository>(sp => new SqliteWorkerStateRepository(sp.GetRequiredService<SqliteDatabase>())));
        return builder;
    }
}
