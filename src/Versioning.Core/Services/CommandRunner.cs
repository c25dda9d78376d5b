using System.Diagnostics;
using NodaTime;
using Versioning.Core.Diagnostics;
using Versioning.Core.Persistence;

namespace Versioning.Core.Services;

/// <summary>
/// Runs one service command: reads the clock (X2), traces it, and on a concurrency conflict re-runs the whole
/// attempt (re-load, re-check the rules, re-save) up to <see cref="VersioningOptions.MaxConflictRetries"/> times (X3),
/// each after a jittered exponential backoff (<see cref="BackoffDelay"/>, X10).
/// Shared by every service so both lifecycles retry, trace and count the same way.
/// </summary>
internal sealed class CommandRunner(IClock clock, VersioningOptions options)
{
    public IClock Clock { get; } = clock ?? throw new ArgumentNullException(nameof(clock));

    public VersioningOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public async Task<T> RunAsync<T>(string command, Func<Instant, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        using var activity = VersioningDiagnostics.ActivitySource.StartActivity(command);
        var tag = new KeyValuePair<string, object?>("command", command);
        for (var retry = 0; ; retry++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var result = await attempt(Clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
                VersioningDiagnostics.Commands.Add(1, tag);
                activity?.SetTag("versioning.retries", retry);
                return result;
            }
            catch (ConcurrencyConflictException ex)
            {
                VersioningDiagnostics.Conflicts.Add(1, tag);
                if (retry >= Options.MaxConflictRetries)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                    throw;
                }

                VersioningDiagnostics.Retries.Add(1, tag);
                var delay = BackoffDelay(retry, Options.ConflictRetryBaseDelay, Options.ConflictRetryMaxDelay, Random.Shared.NextDouble());
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (VersioningRuleException ex)
            {
                VersioningDiagnostics.Refusals.Add(1, [tag, new("rule", ex.RuleId)]);
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                activity?.SetTag("versioning.rule", ex.RuleId);
                throw;
            }
        }
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
