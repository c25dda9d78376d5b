using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Versioning.Core.Persistence;

/// <summary>
/// How a store's health check reads a schema version, shared as source by the SQLite and PostgreSQL packages (each
/// compiles its own internal copy, so neither depends on the other and the core package needs no health-check package).
/// </summary>
internal static class StoreHealth
{
    /// <summary>
    /// Healthy when <paramref name="version"/> equals <paramref name="expected"/>; Degraded when there is no database or
    /// schema yet (null or 0) or an older one, which the first store call creates or upgrades; <paramref name="failure"/>
    /// when the schema is newer than the library.
    /// </summary>
    /// <param name="store">The store as named in messages, for example <c>SQLite</c>.</param>
    /// <param name="package">The package to upgrade when the schema is newer, for example <c>Versioning.Core.Sqlite</c>.</param>
    /// <param name="subject">What was checked, for example the file or the schema name.</param>
    /// <param name="version">The stored version; null when the database itself does not exist yet.</param>
    /// <param name="expected">The version this library writes.</param>
    /// <param name="failure">The status a registration reports on failure.</param>
    public static HealthCheckResult Classify(string store, string package, string subject, int? version, int expected, HealthStatus failure)
    {
        var data = new Dictionary<string, object> { ["schemaVersion"] = version ?? 0, ["expectedSchemaVersion"] = expected };
        return version switch
        {
            null => HealthCheckResult.Degraded($"The {store} database {subject} does not exist yet; the first store call creates it.", data: data),
            0 => HealthCheckResult.Degraded($"The {store} schema in {subject} does not exist yet; the first store call creates it.", data: data),
            var v when v == expected => HealthCheckResult.Healthy($"{store} schema version {v} in {subject}.", data),
            var v when v < expected => HealthCheckResult.Degraded($"The {store} schema in {subject} is version {v}, older than {expected}; the first store call upgrades it.", data: data),
            var v => new HealthCheckResult(failure, $"The {store} schema in {subject} is version {v}, newer than this library's {expected}; upgrade {package}.", data: data),
        };
    }

    /// <summary>The result when the database cannot be reached or read.</summary>
    public static HealthCheckResult Unreachable(string store, string subject, Exception exception, HealthStatus failure)
        => new(failure, $"Cannot read the {store} database {subject}: {exception.Message}", exception);
}
