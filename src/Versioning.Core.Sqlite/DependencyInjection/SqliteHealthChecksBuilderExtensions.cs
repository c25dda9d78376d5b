using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Versioning.Core.Sqlite;

namespace Versioning.Core.DependencyInjection;

/// <summary>Registers the SQLite store's health check.</summary>
public static class SqliteHealthChecksBuilderExtensions
{
    /// <summary>The default name of the check.</summary>
    public const string DefaultName = "versioning-sqlite";

    /// <summary>
    /// Adds a <see cref="SqliteStoreHealthCheck"/> on the <see cref="SqliteDatabase"/> registered by <c>UseSqlite</c>
    /// (connectivity and schema version; it never creates or changes anything).
    /// </summary>
    /// <param name="builder">The health checks builder from <c>AddHealthChecks()</c>.</param>
    /// <param name="name">The name of the check.</param>
    /// <param name="failureStatus">The status reported when the database cannot be read or its schema is too new; null for Unhealthy.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <param name="timeout">How long the check may run; null for no limit.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    public static IHealthChecksBuilder AddVersioningSqlite(this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(name, sp => new SqliteStoreHealthCheck(sp.GetRequiredService<SqliteDatabase>()), failureStatus, tags, timeout));
    }
}
