using Microsoft.Extensions.Logging;

namespace Versioning.Core.Sqlite;

/// <summary>The log messages of the SQLite store (event ids 2000–2999, listed in docs/observability.md).</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(EventId = 2001, EventName = "SchemaCreated", Level = LogLevel.Information,
        Message = "Created the SQLite schema (version {Version}) in {DataSource}")]
    public static partial void SchemaCreated(this ILogger logger, string dataSource, int version);

    [LoggerMessage(EventId = 2002, EventName = "SchemaUpgraded", Level = LogLevel.Information,
        Message = "Upgraded the SQLite schema in {DataSource} from version {FromVersion} to {ToVersion}")]
    public static partial void SchemaUpgraded(this ILogger logger, string dataSource, int fromVersion, int toVersion);

    [LoggerMessage(EventId = 2003, EventName = "ConnectionFailed", Level = LogLevel.Error,
        Message = "Could not open the SQLite database {DataSource}")]
    public static partial void ConnectionFailed(this ILogger logger, Exception exception, string dataSource);

    [LoggerMessage(EventId = 2004, EventName = "SchemaFailed", Level = LogLevel.Error,
        Message = "Could not create or upgrade the SQLite schema in {DataSource}")]
    public static partial void SchemaFailed(this ILogger logger, Exception exception, string dataSource);
}
