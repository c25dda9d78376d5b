using Microsoft.Extensions.Logging;

namespace Versioning.Core.PostgreSql;

/// <summary>The log messages of the PostgreSQL store (event ids 3000–3999, listed in docs/observability.md).</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(EventId = 3001, EventName = "SchemaCreated", Level = LogLevel.Information,
        Message = "Created the PostgreSQL schema {Schema} (version {Version}) in database {Database} on {Host}")]
    public static partial void SchemaCreated(this ILogger logger, string schema, int version, string host, string database);

    [LoggerMessage(EventId = 3002, EventName = "SchemaUpgraded", Level = LogLevel.Information,
        Message = "Upgraded the PostgreSQL schema {Schema} in database {Database} on {Host} from version {FromVersion} to {ToVersion}")]
    public static partial void SchemaUpgraded(this ILogger logger, string schema, string host, string database, int fromVersion, int toVersion);

    [LoggerMessage(EventId = 3003, EventName = "ConnectionFailed", Level = LogLevel.Error,
        Message = "Could not open a connection to PostgreSQL database {Database} on {Host}")]
    public static partial void ConnectionFailed(this ILogger logger, Exception exception, string host, string database);

    [LoggerMessage(EventId = 3004, EventName = "SchemaFailed", Level = LogLevel.Error,
        Message = "Could not create or upgrade the PostgreSQL schema {Schema} in database {Database} on {Host}")]
    public static partial void SchemaFailed(this ILogger logger, Exception exception, string schema, string host, string database);
}
