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
/// <remarks>
/// The meter is one per process, as Polly's is, rather than made by an <c>IMeterFactory</c>: the services are built by
/// hand as often as by a container, and listeners select instruments by the meter's name either way.
/// </remarks>
public static class VersioningDiagnostics
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "Versioning.Core";

    /// <summary>The activity source: one activity per service command, named after the command.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(VersioningDiagnostics).Assembly.GetName().Version?.ToString());

    /// <summary>The meter.</summary>
    public static Meter Meter { get; } = new(Name, typeof(VersioningDiagnostics).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Commands = Meter.CreateCounter<long>("versioning.commands", unit: "{command}", description: "Service commands completed.");
    internal static readonly Counter<long> Refusals = Meter.CreateCounter<long>("versioning.refusals", unit: "{command}", description: "Commands refused by a domain rule or the access policy.");
    internal static readonly Counter<long> Conflicts = Meter.CreateCounter<long>("versioning.conflicts", unit: "{conflict}", description: "Optimistic concurrency conflicts met by commands.");
    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>("versioning.retries", unit: "{retry}", description: "Commands retried after a concurrency conflict.");
    internal static readonly Counter<long> InstallationsMigrated = Meter.CreateCounter<long>("versioning.installations.migrated", unit: "{installation}", description: "Installations moved by migrations and upgrades.");

    internal static readonly Histogram<double> CommandDuration = Meter.CreateHistogram(
        "versioning.command.duration",
        unit: "s",
        description: "How long service commands took, retries and backoff included; failed commands carry error.type.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

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
