using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Versioning.Core.Diagnostics;

/// <summary>
/// The instruments of one <c>Versioning.Core</c> meter: the process-wide <see cref="VersioningDiagnostics.Meter"/> for
/// services built by hand, or a meter made by the container's <see cref="IMeterFactory"/> (one per factory, so a host's
/// metrics are scoped to it and disposed with it). Listeners select either by the meter's name.
/// </summary>
internal sealed class VersioningMetrics
{
    private static readonly ConditionalWeakTable<IMeterFactory, VersioningMetrics> ByFactory = new();

    private VersioningMetrics(Meter meter)
    {
        Commands = meter.CreateCounter<long>("versioning.commands", unit: "{command}", description: "Service commands completed.");
        Refusals = meter.CreateCounter<long>("versioning.refusals", unit: "{command}", description: "Commands refused by a domain rule or the access policy.");
        Conflicts = meter.CreateCounter<long>("versioning.conflicts", unit: "{conflict}", description: "Optimistic concurrency conflicts met by commands.");
        Retries = meter.CreateCounter<long>("versioning.retries", unit: "{retry}", description: "Commands retried after a concurrency conflict.");
        InstallationsMigrated = meter.CreateCounter<long>("versioning.installations.migrated", unit: "{installation}", description: "Installations moved by migrations and upgrades.");
        CommandDuration = meter.CreateHistogram(
            "versioning.command.duration",
            unit: "s",
            description: "How long service commands took, retries and backoff included; failed commands carry error.type.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    /// <summary>The instruments of the process-wide meter.</summary>
    public static VersioningMetrics Shared { get; } = new(VersioningDiagnostics.Meter);

    public Counter<long> Commands { get; }

    public Counter<long> Refusals { get; }

    public Counter<long> Conflicts { get; }

    public Counter<long> Retries { get; }

    public Counter<long> InstallationsMigrated { get; }

    public Histogram<double> CommandDuration { get; }

    /// <summary>The instruments of <paramref name="factory"/>'s <c>Versioning.Core</c> meter, or <see cref="Shared"/> without a factory.</summary>
    public static VersioningMetrics For(IMeterFactory? factory)
        => factory is null
            ? Shared
            : ByFactory.GetValue(factory, f => new VersioningMetrics(f.Create(new MeterOptions(VersioningDiagnostics.Name) { Version = VersioningDiagnostics.Version })));
}
