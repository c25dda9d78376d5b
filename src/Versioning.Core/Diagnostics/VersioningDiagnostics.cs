using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Versioning.Core.Diagnostics;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> named <c>Versioning.Core</c>: one activity per service
/// command, counters for commands, refusals, concurrency conflicts, retries and migrated installations, and a histogram
/// of command durations. Tags are named by <see cref="VersioningTelemetryTags"/>. Listen with OpenTelemetry
/// (<c>AddSource("Versioning.Core")</c>, <c>AddMeter("Versioning.Core")</c>) or a plain
/// <see cref="ActivityListener"/>/<see cref="MeterListener"/>.
/// </summary>
public static class VersioningDiagnostics
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "Versioning.Core";

    /// <summary>The activity source: one activity per service command, named after the command.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, Version);

    /// <summary>
    /// The process-wide meter, used by services built by hand. Services resolved from a container that has an
    /// <see cref="IMeterFactory"/> (any host, or <c>AddMetrics()</c>) record on a meter of the same name made by that
    /// factory instead.
    /// </summary>
    public static Meter Meter { get; } = new(Name, Version);

    /// <summary>The version reported by the activity source and the meters.</summary>
    internal static string? Version => typeof(VersioningDiagnostics).Assembly.GetName().Version?.ToString();

    /// <summary>
    /// Marks a failed activity: status Error with the exception's message, tag <see cref="VersioningTelemetryTags.ErrorType"/>,
    /// and an <c>exception</c> event carrying the type, message and stack trace (OpenTelemetry conventions).
    /// </summary>
    internal static void MarkFailed(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag(VersioningTelemetryTags.ErrorType, exception.GetType().FullName);
        activity.AddException(exception);
    }
}
