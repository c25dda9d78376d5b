using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Versioning.Core.Diagnostics;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> named <c>Versioning.Core</c>: one activity per service
/// command, and counters for commands, refusals, concurrency conflicts, retries and migrated installations.
/// Listen with OpenTelemetry or a plain <see cref="ActivityListener"/>/<see cref="MeterListener"/>.
/// </summary>
public static class VersioningDiagnostics
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "Versioning.Core";

    /// <summary>The activity source: one activity per service command, named after the command.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(VersioningDiagnostics).Assembly.GetName().Version?.ToString());

    /// <summary>The meter.</summary>
    public static Meter Meter { get; } = new(Name, typeof(VersioningDiagnostics).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Commands = Meter.CreateCounter<long>("versioning.commands", description: "Service commands completed.");
    internal static readonly Counter<long> Refusals = Meter.CreateCounter<long>("versioning.refusals", description: "Commands refused by a domain rule.");
    internal static readonly Counter<long> Conflicts = Meter.CreateCounter<long>("versioning.conflicts", description: "Optimistic concurrency conflicts met by commands.");
    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>("versioning.retries", description: "Commands retried after a concurrency conflict.");
    internal static readonly Counter<long> InstallationsMigrated = Meter.CreateCounter<long>("versioning.installations.migrated", description: "Installations moved by migrations and upgrades.");
}
