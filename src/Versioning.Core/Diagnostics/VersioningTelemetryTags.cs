namespace Versioning.Core.Diagnostics;

/// <summary>
/// The names of the tags Versioning.Core puts on its activities and measurements (<see cref="VersioningDiagnostics"/>),
/// shared by both so a trace and a metric can be joined on them. Library tags are namespaced <c>versioning.</c>; the
/// error type follows the OpenTelemetry semantic conventions.
/// </summary>
public static class VersioningTelemetryTags
{
    /// <summary>The service command, for example <c>PromoteRelease</c>; on every activity and measurement.</summary>
    public const string Command = "versioning.command";

    /// <summary>The rule that refused a command (for example <c>T3</c>, or <c>X7</c> for an access denial).</summary>
    public const string Rule = "versioning.rule";

    /// <summary>How many times a command was retried after a concurrency conflict before it ended (activities).</summary>
    public const string Retries = "versioning.retries";

    /// <summary>
    /// How a failed command ended: the exception's full type name (for example
    /// <c>Versioning.Core.VersioningRuleException</c>); absent when the command succeeded.
    /// </summary>
    public const string ErrorType = "error.type";

    /// <summary>The migration job a migration activity or log entry belongs to.</summary>
    public const string MigrationId = "versioning.migration.id";
}
