using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Versioning.Core.Diagnostics;

namespace Versioning.Core.Tests.Diagnostics;

/// <summary>
/// Records what the Versioning.Core ActivitySource and Meter report during one test. Tests of other classes run in
/// parallel and use the same ActivitySource: only the children of the root activity started here are kept (it flows
/// with the async calls); measurements are summed per instrument and per instrument and command.
/// </summary>
internal sealed class DiagnosticsRecorder : IDisposable
{
    private readonly Activity _root;
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener;

    public DiagnosticsRecorder(string name)
    {
        _root = new Activity(name).SetIdFormat(ActivityIdFormat.W3C).Start();
        var trace = _root.TraceId;
        _activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == VersioningDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == trace)
                {
                    Activities.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(_activityListener);
        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == VersioningDiagnostics.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            Keep(instrument, value, tags);
            Measurements.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
            foreach (var tag in tags)
            {
                if (tag.Key == VersioningTelemetryTags.Command)
                {
                    Measurements.AddOrUpdate($"{instrument.Name}/{tag.Value}", value, (_, v) => v + value);
                }
            }
        });
        _meterListener.Start();
    }

    /// <summary>
    /// The measurements taken inside this test's activities (the listener runs on the recording thread, where the command's
    /// activity is current), with their tags.
    /// </summary>
    public ConcurrentQueue<(Instrument Instrument, double Value, Dictionary<string, object?> Tags)> Tagged { get; } = new();

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Activity.Current?.TraceId != _root.TraceId)
        {
            return;
        }

        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        Tagged.Enqueue((instrument, value, copy));
    }

    /// <summary>The activities of this test, as they stopped.</summary>
    public ConcurrentBag<Activity> Activities { get; } = [];

    /// <summary>Sums by instrument name ("versioning.refusals") and by instrument and command ("versioning.refusals/RenameTemplate").</summary>
    public ConcurrentDictionary<string, long> Measurements { get; } = new();

    public void Dispose()
    {
        _meterListener.Dispose();
        _activityListener.Dispose();
        _root.Dispose();
    }
}
