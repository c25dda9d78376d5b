using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Versioning.Core.PostgreSql;

namespace Versioning.Core.DependencyInjection;

/// <summary>Registers the PostgreSQL store's health check.</summary>
public static class PostgreSqlHealthChecksBuilderExtensions
{
    /// <summary>The default name of the check.</summary>
    public const string DefaultName = "versioning-postgresql";

    /// <summary>
    /// Adds a <see cref="PostgreSqlStoreHealthCheck"/> on the <see cref="PostgreSqlDatabase"/> registered by
    /// <c>UsePostgreSql</c> (connectivity and schema version; it never creates or changes anything).
    /// </summary>
    /// <param name="builder">The health checks builder from <c>AddHealthChecks()</c>.</param>
    /// <param name="name">The name of the check.</param>
    /// <param name="failureStatus">The status reported when the server cannot be reached or the schema is too new; null for Unhealthy.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <param name="timeout">How long the check may run; null for no limit.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    public static IHealthChecksBuilder AddVersioningPostgreSql(this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(name, sp => new PostgreSqlStoreHealthCheck(sp.GetRequiredService<PostgreSqlDatabase>()), failureStatus, tags, timeout));
    }
}
