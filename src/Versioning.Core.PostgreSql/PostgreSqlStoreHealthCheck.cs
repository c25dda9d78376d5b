using Microsoft.Extensions.Diagnostics.HealthChecks;
using Versioning.Core.Persistence;

namespace Versioning.Core.PostgreSql;

/// <summary>
/// Checks the PostgreSQL store: opens a pooled connection and compares the schema's version with
/// <see cref="PostgreSqlDatabase.SchemaVersion"/>. Healthy when they are equal; Degraded when there is no schema yet or an
/// older one (the first store call creates or upgrades it); the registration's failure status when the server cannot be
/// reached or the schema is newer than this library. Never creates or changes anything.
/// </summary>
/// <param name="database">The database the stores use.</param>
public sealed class PostgreSqlStoreHealthCheck(PostgreSqlDatabase database) : IHealthCheck
{
    private readonly PostgreSqlDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <summary>Runs the check.</summary>
    /// <param name="context">The health check context (its registration's failure status is used).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result, with <c>schemaVersion</c> and <c>expectedSchemaVersion</c> in its data.</returns>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failure = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        int version;
        try
        {
            version = await _database.ReadSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return StoreHealth.Unreachable("PostgreSQL", _database.Target, ex, failure);
        }

        return StoreHealth.Classify("PostgreSQL", "Versioning.Core.PostgreSql", $"schema '{_database.Schema}' of {_database.Target}", version, PostgreSqlDatabase.SchemaVersion, failure);
    }
}
