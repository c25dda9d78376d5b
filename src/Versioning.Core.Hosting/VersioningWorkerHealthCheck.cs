using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Persistence;

namespace Versioning.Core.Hosting;

/// <summary>
/// Reports the background worker's health from the shared state, the same on every instance: <em>unhealthy</em> when a
/// runnable job is stuck — its lease expired more than one lease duration ago (or it was never leased and has not
/// changed for two lease durations), so no instance is running it; <em>degraded</em> when a consumer is more than
/// <see cref="VersioningWorkerOptions.MaxConsumerLag"/> events behind. Register it with
/// <c>services.AddHealthChecks().AddCheck&lt;VersioningWorkerHealthCheck&gt;("versioning-worker")</c>.
/// </summary>
public sealed class VersioningWorkerHealthCheck : IHealthCheck
{
    private readonly IWorkerStateRepository _state;
    private readonly IEventReader _events;
    private readonly IClock _clock;
    private readonly VersioningWorkerOptions _options;
    private readonly IReadOnlyList<string> _consumers;

    /// <summary>Creates the check.</summary>
    /// <param name="state">The worker state store.</param>
    /// <param name="events">The outbox reader.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="options">The worker's options.</param>
    /// <param name="handlers">The event handlers (their names are the consumers checked).</param>
    /// <param name="noticeHandlers">The notice handlers (consumers <c>notices:</c> + name).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public VersioningWorkerHealthCheck(IWorkerStateRepository state, IEventReader events, IClock clock, VersioningWorkerOptions options,
        IEnumerable<IVersioningEventHandler> handlers, IEnumerable<IDeprecationNoticeHandler> noticeHandlers)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        _options.Validate();
        ArgumentNullException.ThrowIfNull(handlers);
        ArgumentNullException.ThrowIfNull(noticeHandlers);
        _consumers = [.. handlers.Select(h => h.Name), .. noticeHandlers.Select(h => "notices:" + h.Name)];
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetCurrentInstant();
        var lease = Duration.FromTimeSpan(_options.LeaseDuration);
        var leases = (await _state.ListLeasesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(l => l.Resource, StringComparer.Ordinal);
        var stuck = new List<string>();
        var runnable = await _state.ListRunnableJobsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var job in runnable)
        {
            var isStuck = leases.TryGetValue(WorkerLease.ForJob(job.Id), out var held)
                ? held.ExpiresAt + lease < now
                : job.UpdatedAt + lease + lease < now;
            if (isStuck)
            {
                stuck.Add(job.Id.ToString());
            }
        }

        var behind = new List<string>();
        foreach (var consumer in _consumers)
        {
            var checkpoint = await _state.GetCheckpointAsync(consumer, cancellationToken).ConfigureAwait(false);
            var pending = await _events.ReadAsync(checkpoint, _options.MaxConsumerLag, cancellationToken).ConfigureAwait(false);
            if (pending.Count == _options.MaxConsumerLag && (await _events.ReadAsync(pending[^1].Position, 1, cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                behind.Add(consumer);
            }
        }

        var data = new Dictionary<string, object>
        {
            ["runnableJobs"] = runnable.Count,
            ["stuckJobs"] = stuck.ToArray(),
            ["consumersBehind"] = behind.ToArray(),
        };
        if (stuck.Count > 0)
        {
            return HealthCheckResult.Unhealthy($"{stuck.Count} migration job(s) stuck past their lease, run by no instance: {string.Join(", ", stuck)}. Check that a worker is running and can reach the database.", data: data);
        }

        return behind.Count > 0
            ? HealthCheckResult.Degraded($"Event consumer(s) more than {_options.MaxConsumerLag} events behind: {string.Join(", ", behind)}.", data: data)
            : HealthCheckResult.Healthy($"{runnable.Count} job(s) to run, none stuck; every consumer within {_options.MaxConsumerLag} events of the end.", data);
    }
}
