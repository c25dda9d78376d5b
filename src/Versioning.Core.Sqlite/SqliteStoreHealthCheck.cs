using Microsoft.Extensions.Diagnostics.HealthChecks;
using Versioning.Core.Persistence;

namespace Versioning.Core.Sqlite;

/// <summary>
/// Checks the SQLite store: opens the database file read-only and compares its schema version with
/// <see cref="SqliteDatabase.SchemaVersion"/>. Healthy when they are equal; Degraded when there is no file or no schema
/// yet, or an older one (the first store call creates or upgrades it); the registration's failure status when the file
/// cannot be opened or its schema is newer than this library. Never creates or changes anything.
/// </summary>
/// <param name="database">The database the stores use.</param>
public sealed class SqliteStoreHealthCheck(SqliteDatabase database) : IHealthCheck
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <summary>Runs the check.</summary>
    /// <param name="context">The health check context (its registration's failure status is used).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result, with <c>schemaVersion</c> and <c>expectedSchemaVersion</c> in its data.</returns>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failure = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        int? version;
        try
        {
            version = await _database.ReadSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return StoreHealth.Unreachable("SQLite", _database.DataSource, ex, failure);
        }

        return StoreHealth.Classify("SQLite", "Versioning.Core.Sqlite", _database.DataSource, version, SqliteDatabase.SchemaVersion, failure);
    }
}
