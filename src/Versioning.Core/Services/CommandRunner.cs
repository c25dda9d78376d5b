using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Versioning.Core.Authorization;
using Versioning.Core.Diagnostics;
using Versioning.Core.Persistence;

namespace Versioning.Core.Services;

/// <summary>
/// Runs one service command: reads the clock (X2), traces it, and on a concurrency conflict re-runs the whole
/// attempt (re-load, re-check the rules, re-save) up to <see cref="VersioningOptions.MaxConflictRetries"/> times (X3),
/// each after a jittered exponential backoff (<see cref="BackoffDelay"/>, X10).
/// Shared by every service so both lifecycles retry, trace, count and log the same way; every failure is marked on the
/// activity (status Error, <c>error.type</c>, an exception event) and timed in <c>versioning.command.duration</c>.
/// </summary>
internal sealed class CommandRunner
{
    public CommandRunner(IClock clock, VersioningOptions options, ILogger? logger = null, IMeterFactory? meterFactory = null)
    {
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));

        // A frozen, validated snapshot: changing the caller's instance afterwards has no effect on the service.
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Snapshot();
        Logger = logger ?? NullLogger.Instance;
        Metrics = VersioningMetrics.For(meterFactory);
    }

    public IClock Clock { get; }

    public VersioningOptions Options { get; }

    public ILogger Logger { get; }

    public VersioningMetrics Metrics { get; }

    public async Task<T> RunAsync<T>(string command, Func<Instant, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        using var activity = VersioningDiagnostics.ActivitySource.StartActivity(command);
        activity?.SetTag(VersioningTelemetryTags.Command, command);
        var tag = new KeyValuePair<string, object?>(VersioningTelemetryTags.Command, command);
        var started = Stopwatch.GetTimestamp();
        var retry = 0;
        try
        {
            for (; ; retry++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var result = await attempt(Clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
                    Metrics.Commands.Add(1, tag);
                    Metrics.CommandDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
                    activity?.SetTag(VersioningTelemetryTags.Retries, retry);
                    return result;
                }
                catch (ConcurrencyConflictException) when (retry < Options.MaxConflictRetries)
                {
                    Metrics.Conflicts.Add(1, tag);
                    Metrics.Retries.Add(1, tag);
                    var delay = BackoffDelay(retry, Options.ConflictRetryBaseDelay, Options.ConflictRetryMaxDelay, Random.Shared.NextDouble());
                    Logger.CommandRetrying(command, retry + 1, Options.MaxConflictRetries, delay.TotalMilliseconds);
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception ex)
        {
            Failed(activity, command, tag, started, retry, ex);
            throw;
        }
    }

    /// <summary>Counts, traces and logs a command that ended with <paramref name="exception"/> (which is then rethrown).</summary>
    private void Failed(Activity? activity, string command, KeyValuePair<string, object?> tag, long started, int retry, Exception exception)
    {
        VersioningDiagnostics.MarkFailed(activity, exception);
        activity?.SetTag(VersioningTelemetryTags.Retries, retry);
        var errorType = new KeyValuePair<string, object?>(VersioningTelemetryTags.ErrorType, exception.GetType().FullName);
        switch (exception)
        {
            case ConcurrencyConflictException:
                Metrics.Conflicts.Add(1, tag);
                Logger.ConflictEscaped(exception, command, retry);
                break;
            case VersioningRuleException rule:
                Metrics.Refusals.Add(1, tag, new(VersioningTelemetryTags.Rule, rule.RuleId));
                activity?.SetTag(VersioningTelemetryTags.Rule, rule.RuleId);
                Logger.CommandRefused(command, rule.RuleId, rule.Message);
                Metrics.CommandDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag, errorType, new(VersioningTelemetryTags.Rule, rule.RuleId));
                return;
            case VersioningAccessDeniedException denied:
                // Counted and tagged (rule X7) where the policy refused it (AccessGuard).
                Logger.AccessDenied(command, denied.Message);
                break;
        }

        Metrics.CommandDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag, errorType);
    }

    /// <summary>
    /// The wait before retry <paramref name="retry"/> + 1 (X10): "equal jitter" exponential backoff, between half and all of
    /// the window min(<paramref name="baseDelay"/> × 2^<paramref name="retry"/>, <paramref name="maxDelay"/>). Half the window
    /// is always waited, so writers that collided do not come back at once; the random half spreads them apart.
    /// </summary>
    /// <param name="retry">How many retries came before (0 for the first).</param>
    /// <param name="baseDelay">The first window.</param>
    /// <param name="maxDelay">The largest window.</param>
    /// <param name="random">A number in [0, 1).</param>
    /// <returns>The delay.</returns>
    internal static TimeSpan BackoffDelay(int retry, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        var window = Math.Min(baseDelay.Ticks * Math.Pow(2, Math.Min(retry, 30)), maxDelay.Ticks);
        return TimeSpan.FromTicks((long)((window / 2) + (window / 2 * random)));
    }
}
