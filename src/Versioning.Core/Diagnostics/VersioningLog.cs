using Microsoft.Extensions.Logging;

namespace Versioning.Core.Diagnostics;

/// <summary>
/// The log messages of the services (event ids 1000–1999; the SQLite store uses 2000–2999, PostgreSQL 3000–3999). The
/// ids and names are stable and listed in docs/observability.md; a test keeps that table and these attributes equal.
/// </summary>
internal static partial class VersioningLog
{
    [LoggerMessage(EventId = 1001, EventName = "CommandRetrying", Level = LogLevel.Information,
        Message = "{Command} met a concurrency conflict; retry {Retry} of {MaxRetries} after {DelayMilliseconds} ms")]
    public static partial void CommandRetrying(this ILogger logger, string command, int retry, int maxRetries, double delayMilliseconds);

    [LoggerMessage(EventId = 1002, EventName = "ConflictEscaped", Level = LogLevel.Warning,
        Message = "{Command} gave up after {Retries} retries: the concurrency conflict persisted and was thrown to the caller")]
    public static partial void ConflictEscaped(this ILogger logger, Exception exception, string command, int retries);

    [LoggerMessage(EventId = 1003, EventName = "CommandRefused", Level = LogLevel.Debug,
        Message = "{Command} was refused by rule {RuleId}: {Reason}")]
    public static partial void CommandRefused(this ILogger logger, string command, string ruleId, string reason);

    [LoggerMessage(EventId = 1004, EventName = "AccessDenied", Level = LogLevel.Debug,
        Message = "{Command} was refused by the access policy (X7): {Reason}")]
    public static partial void AccessDenied(this ILogger logger, string command, string reason);

    [LoggerMessage(EventId = 1010, EventName = "MigrationBatchRun", Level = LogLevel.Information,
        Message = "Migration {MigrationId} ran batch {Batch}: {Scanned} of {Total} installations scanned, {Moved} moved")]
    public static partial void MigrationBatchRun(this ILogger logger, string migrationId, int batch, long scanned, long total, long moved);

    [LoggerMessage(EventId = 1011, EventName = "MigrationCompleted", Level = LogLevel.Information,
        Message = "Migration {MigrationId} of {Product} to {To} completed: {Moved} installations moved in {Batches} batches")]
    public static partial void MigrationCompleted(this ILogger logger, string migrationId, string product, string to, long moved, int batches);

    [LoggerMessage(EventId = 1012, EventName = "MigrationFailed", Level = LogLevel.Warning,
        Message = "Migration {MigrationId} of {Product} failed: {Reason}")]
    public static partial void MigrationFailed(this ILogger logger, string migrationId, string product, string reason);
}
