using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Versioning.Core.Events;
using Versioning.Core.Persistence;
using Versioning.Core.Sqlite;

namespace Versioning.Core.DependencyInjection;

/// <summary>Swaps the in-memory stores for SQLite.</summary>
public static class SqliteVersioningBuilderExtensions
{
    /// <summary>
    /// Stores everything in one SQLite database file (schema created on first use). One <see cref="SqliteDatabase"/> is
    /// registered as a singleton; its open connections are closed when the service provider is disposed. Calling it
    /// again replaces the file.
    /// </summary>
    /// <param name="builder">The builder from <c>AddVersioning</c>.</param>
    /// <param name="connectionString">A connection string such as <c>Data Source=versioning.db</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The connection string is blank or in-memory.</exception>
    public static VersioningBuilder UseSqlite(this VersioningBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Checked now, at registration, rather than when the first request resolves the database (the constructor
        // opens nothing, so the instance built here has nothing to dispose).
        _ = new SqliteDatabase(connectionString);
        var services = builder.Services;
        services.RemoveAll<SqliteDatabase>();

        // A factory registration, so the provider owns and disposes the instance.
        services.AddSingleton(_ => new SqliteDatabase(connectionString));
        services.Replace(ServiceDescriptor.Singleton<ITemplateRepository>(sp => new SqliteTemplateRepository(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IIntegrationRepository>(sp => new SqliteIntegrationRepository(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IInstallationRepository>(sp => new SqliteInstallationRepository(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IMigrationRepository>(sp => new SqliteMigrationRepository(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IEventReader>(sp => new SqliteEventReader(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IWorkerStateRepository>(sp => new SqliteWorkerStateRepository(sp.GetRequiredService<SqliteDatabase>())));
        return builder;
    }
}
