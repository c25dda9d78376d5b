using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Versioning.Core.Authorization;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Services;

namespace Versioning.Core.Hosting;

/// <summary>
/// The background worker that <c>AddVersioningWorker</c> registers as a hosted service. Every instance of a host fleet
/// runs one; they coordinate only through the database (<see cref="IWorkerStateRepository"/>):
/// <list type="bullet">
/// <item>H1–H3: runs Requested and InProgress migration and upgrade jobs to completion, one batch at a time, each job
/// under a lease it renews before every batch; every batch is fenced by the lease in its own transaction, so a job
/// never has two holders and no batch runs twice. A job whose holder stopped is taken over when the lease expires.</item>
/// <item>H4: delivers the outbox's events to every <see cref="IVersioningEventHandler"/> in position order, under a
/// lease per consumer, moving the consumer's stored checkpoint after each page; a failing event is retried with a
/// doubling delay, then parked, and delivery goes on.</item>
/// <item>H5: raises each deprecation notice once when it falls due (a claim stored with its outbox event), and delivers
/// it to every <see cref="IDeprecationNoticeHandler"/>.</item>
/// <item>H6: on shutdown it lets the batch in flight commit (or roll back on error), stores the checkpoint of the
/// events handled so far, and releases its leases so another instance carries on at once.</item>
/// </list>
/// </summary>
public sealed partial class VersioningWorker : BackgroundService
{
    private readonly IWorkerStateRepository _state;
    private readonly IEventReader _events;
    private readonly IIntegrationRepository _integrations;
    private readonly ITemplateRepository _templates;
    private readonly IInstallationRepository _installations;
    private readonly IMigrationRepository _migrations;
    private readonly IAccessPolicy _policy;
    private readonly IClock _clock;
    private readonly IReadOnlyList<IProductRepository> _products;
    private readonly VersioningOptions _versioning;
    private readonly VersioningWorkerOptions _options;
    private readonly IReadOnlyList<IVersioningEventHandler> _consumers;
    private readonly ILogger _logger;
    private readonly Duration _leaseDuration;

    internal VersioningWorker(
        IWorkerStateRepository state,
        IEventReader events,
        IIntegrationRepository integrations,
        ITemplateRepository templates,
        IInstallationRepository installations,
        IMigrationRepository migrations,
        IEnumerable<IProductRepository> products,
        IAccessPolicy policy,
        IClock clock,
        VersioningOptions versioning,
        VersioningWorkerOptions options,
        IEnumerable<IVersioningEventHandler> handlers,
        IEnumerable<IDeprecationNoticeHandler> noticeHandlers,
        ILogger<VersioningWorker> logger)
    {
        _state = state;
        _events = events;
        _integrations = integrations;
        _templates = templates;
        _installations = installations;
        _migrations = migrations;
        _products = [.. products];
        _policy = policy;
        _clock = clock;
        // Private, validated copies: changing the registered instances later changes nothing here.
        _versioning = versioning.Clone();
        _versioning.Validate();
        _options = options.Clone();
        _options.Validate();
        _logger = logger;
        _leaseDuration = Duration.FromTimeSpan(_options.LeaseDuration);
        Holder = $"{_options.InstanceName}/{Guid.NewGuid():N}";
        Actor = new ActorId(_options.Actor);
        _consumers = [.. handlers, .. noticeHandlers.Select(h => new NoticeConsumer(h, integrations, _versioning))];
        var duplicates = _consumers.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException($"Two event handlers share the consumer name(s) {string.Join(", ", duplicates.Select(d => $"'{d}'"))}: each consumer needs its own name (its checkpoint's key).");
        }

        foreach (var consumer in _consumers)
        {
            WorkerLease.CheckName(WorkerLease.ForConsumer(consumer.Name), nameof(handlers));
        }
    }

    /// <summary>This instance's name in the leases it holds: the configured instance name and a unique suffix.</summary>
    public string Holder { get; }

    /// <summary>The actor recorded on the batches this worker runs and the notices it raises.</summary>
    public ActorId Actor { get; }

    /// <summary>The consumer names this worker delivers events to.</summary>
    public IReadOnlyList<string> Consumers => [.. _consumers.Select(c => c.Name)];

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new List<Task>(3);
        if (_options.RunJobs)
        {
            loops.Add(LoopAsync("jobs", RunJobsOnceAsync, _options.PollInterval, stoppingToken));
        }

        if (_options.DeliverEvents && _consumers.Count > 0)
        {
            loops.Add(LoopAsync("events", DeliverEventsOnceAsync, _options.PollInterval, stoppingToken));
        }

        if (_options.RaiseNotices)
        {
            loops.Add(LoopAsync("notices", async ct => { await RaiseNoticesOnceAsync(ct).ConfigureAwait(false); return false; }, _options.NoticeInterval, stoppingToken));
        }

        return Task.WhenAll(loops);
    }

    /// <summary>Runs every runnable job this instance can lease, each to its end or until its lease is lost (H1–H3).</summary>
    /// <param name="stoppingToken">Stops between batches.</param>
    /// <returns>True when at least one batch ran.</returns>
    internal async Task<bool> RunJobsOnceAsync(CancellationToken stoppingToken)
    {
        var ran = false;
        foreach (var job in await _state.ListRunnableJobsAsync(stoppingToken).ConfigureAwait(false))
        {
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            var lease = await _state.TryAcquireLeaseAsync(WorkerLease.ForJob(job.Id), Holder, _clock.GetCurrentInstant(), _leaseDuration, stoppingToken).ConfigureAwait(false);
            if (lease is not null)
            {
                try
                {
                    ran |= await RunJobAsync(job, lease, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One job that cannot run (its product gone, its requester no longer allowed, a store error) must not
                    // keep the jobs behind it from running: log it and go on; it is tried again at the next poll.
                    Log.JobFailed(_logger, ex, job.Id);
                }
            }
        }

        return ran;
    }

    private async Task<bool> RunJobAsync(MigrationJob runnable, WorkerLease lease, CancellationToken stoppingToken)
    {
        var id = runnable.Id;
        var leased = new LeasedMigrationRepository(_migrations, _state, _clock, _leaseDuration) { Lease = lease };
        var service = new MigrationService(_installations, leased, _products, new WorkerAccessPolicy(_policy, Actor, runnable.RequestedBy), _clock, _versioning);
        var ran = false;
        Log.JobLeased(_logger, id, Holder, lease.Generation);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var renewed = await _state.RenewLeaseAsync(leased.Lease!, _clock.GetCurrentInstant(), _leaseDuration, stoppingToken).ConfigureAwait(false);
                if (renewed is null)
                {
                    Log.LeaseLost(_logger, leased.Lease!.Resource, Holder);
                    return ran;
                }

                leased.Lease = renewed;

                // H6: the batch is not cancelled by the host's shutdown; it commits (or rolls back on error) and the
                // loop stops before the next one.
                var job = await service.RunAsync(id, Actor, maxBatches: 1, progress: null, CancellationToken.None).ConfigureAwait(false);
                ran = true;
                Log.BatchRan(_logger, id, job.Batches, job.Scanned, job.Total, job.Moved, job.State);
                if (!job.IsRunnable)
                {
                    return ran;
                }
            }
        }
        catch (LeaseLostException ex)
        {
            Log.LeaseLost(_logger, ex.Lease.Resource, Holder);
            return ran;
        }
        catch (ConcurrencyConflictException ex)
        {
            // Someone else advanced the job (for example an operator running it by hand): let the lease go and look again later.
            Log.JobConflict(_logger, ex, id);
        }
        finally
        {
            await ReleaseAsync(leased.Lease!).ConfigureAwait(false);
        }

        return ran;
    }

    /// <summary>Delivers the pending events of every consumer this instance can lease (H4).</summary>
    /// <param name="stoppingToken">Stops delivery; the events handled so far are checkpointed.</param>
    /// <returns>True when at least one event was delivered.</returns>
    internal async Task<bool> DeliverEventsOnceAsync(CancellationToken stoppingToken)
    {
        var delivered = false;
        foreach (var consumer in _consumers)
        {
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            delivered |= await DeliverAsync(consumer, stoppingToken).ConfigureAwait(false);
        }

        return delivered;
    }

    private async Task<bool> DeliverAsync(IVersioningEventHandler consumer, CancellationToken stoppingToken)
    {
        var lease = await _state.TryAcquireLeaseAsync(WorkerLease.ForConsumer(consumer.Name), Holder, _clock.GetCurrentInstant(), _leaseDuration, stoppingToken).ConfigureAwait(false);
        if (lease is null)
        {
            return false;
        }

        var delivered = 0;
        var checkpoint = await _state.GetCheckpointAsync(consumer.Name, stoppingToken).ConfigureAwait(false);
        var saved = checkpoint;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var page = await _events.ReadAsync(checkpoint, _options.EventPageSize, stoppingToken).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var e in page)
                {
                    lease = await KeepAsync(lease, stoppingToken).ConfigureAwait(false);
                    var parked = await HandleAsync(consumer, e, lease, stoppingToken).ConfigureAwait(false);
                    checkpoint = e.Position;
                    delivered++;
                    if (parked is not null)
                    {
                        await _state.SaveCheckpointAsync(lease, consumer.Name, checkpoint, parked, _clock.GetCurrentInstant(), CancellationToken.None).ConfigureAwait(false);
                        saved = checkpoint;
                        Log.EventParked(_logger, consumer.Name, e.Position, parked.Attempts, parked.Error);
                    }

                    if (stoppingToken.IsCancellationRequested)
                    {
                        break;
                    }
                }

                if (checkpoint > saved)
                {
                    await _state.SaveCheckpointAsync(lease, consumer.Name, checkpoint, null, _clock.GetCurrentInstant(), CancellationToken.None).ConfigureAwait(false);
                    saved = checkpoint;
                }

                if (page.Count < _options.EventPageSize)
                {
                    break;
                }
            }
        }
        catch (LeaseLostException ex)
        {
            Log.LeaseLost(_logger, ex.Lease.Resource, Holder);
            return delivered > 0;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // H6: store how far this instance got (events handled since the last page), then stop.
            if (checkpoint > saved)
            {
                await _state.SaveCheckpointAsync(lease, consumer.Name, checkpoint, null, _clock.GetCurrentInstant(), CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            await ReleaseAsync(lease).ConfigureAwait(false);
        }

        return delivered > 0;
    }

    /// <summary>Calls the handler until it succeeds (null) or the attempts run out (the event to park).</summary>
    private async Task<ParkedEvent?> HandleAsync(IVersioningEventHandler consumer, DomainEvent e, WorkerLease lease, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await consumer.HandleAsync(e, stoppingToken).ConfigureAwait(false);
                return null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.HandlerFailed(_logger, ex, consumer.Name, e.Position, attempt);
                if (attempt >= _options.MaxDeliveryAttempts)
                {
                    return new ParkedEvent(consumer.Name, e.Position, attempt, $"{ex.GetType().FullName}: {ex.Message}", _clock.GetCurrentInstant());
                }

                var delay = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.RetryDelay.Ticks * (1L << Math.Min(attempt - 1, 30))));
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                lease = await KeepAsync(lease, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Raises the deprecation notices that fell due and were not raised yet, whichever instance sees them first (H5).</summary>
    /// <param name="stoppingToken">Stops the scan.</param>
    /// <returns>How many notices this call raised.</returns>
    internal async Task<int> RaiseNoticesOnceAsync(CancellationToken stoppingToken)
    {
        var raised = 0;
        foreach (var summary in await _integrations.ListAsync(stoppingToken).ConfigureAwait(false))
        {
            var integration = await _integrations.FindWithoutAuditTrailAsync(summary.Id, stoppingToken).ConfigureAwait(false);
            if (integration is null)
            {
                continue;
            }

            var at = _clock.GetCurrentInstant();
            foreach (var notice in integration.NoticesDue(at, _versioning.DeprecationNoticeDays, _versioning.DeprecationTimeZone))
            {
                if (await _state.TryClaimNoticeAsync(DeprecationNoticeEvents.Key(notice), DeprecationNoticeEvents.Raised(notice, Actor, at), stoppingToken).ConfigureAwait(false))
                {
                    raised++;
                    Log.NoticeRaised(_logger, notice.IntegrationId.Value, notice.Version.ToString(), Holder);
                }
            }
        }

        return raised;
    }

    /// <summary>
    /// Renews a consumer's lease once half of it has run out (one round trip per half lease, not per event); every write
    /// under it is fenced anyway, so a lease lost meanwhile writes nothing.
    /// </summary>
    private async Task<WorkerLease> KeepAsync(WorkerLease lease, CancellationToken cancellationToken)
    {
        var now = _clock.GetCurrentInstant();
        if (now < lease.ExpiresAt - (_leaseDuration / 2))
        {
            return lease;
        }

        return await _state.RenewLeaseAsync(lease, now, _leaseDuration, cancellationToken).ConfigureAwait(false) ?? throw new LeaseLostException(lease);
    }

    private async Task ReleaseAsync(WorkerLease lease)
    {
        try
        {
            await _state.ReleaseLeaseAsync(lease, _clock.GetCurrentInstant(), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The lease then expires on its own; a failed release must not hide what happened before it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReleaseFailed(_logger, ex, lease.Resource);
        }
    }

    private async Task LoopAsync(string name, Func<CancellationToken, Task<bool>> once, TimeSpan interval, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await once(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A store outage must not end the worker: it logs and tries again after the interval.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.LoopFailed(_logger, ex, name);
            }

            if (!busy)
            {
                try
                {
                    await Task.Delay(interval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Worker {Holder} leased migration {JobId} (generation {Generation}).")]
        public static partial void JobLeased(ILogger logger, MigrationId jobId, string holder, long generation);

        [LoggerMessage(2, LogLevel.Debug, "Migration {JobId}: batch {Batch} ran, {Scanned}/{Total} scanned, {Moved} moved, now {State}.")]
        public static partial void BatchRan(ILogger logger, MigrationId jobId, int batch, long scanned, long total, long moved, MigrationState state);

        [LoggerMessage(3, LogLevel.Warning, "Worker {Holder} lost its lease on {Resource}; another instance carries on from what is stored.")]
        public static partial void LeaseLost(ILogger logger, string resource, string holder);

        [LoggerMessage(4, LogLevel.Warning, "Migration {JobId} was advanced by someone else; the worker lets it go and looks again later.")]
        public static partial void JobConflict(ILogger logger, Exception exception, MigrationId jobId);

        [LoggerMessage(5, LogLevel.Warning, "Consumer {Consumer} failed on event {Position} (attempt {Attempt}).")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string consumer, long position, int attempt);

        [LoggerMessage(6, LogLevel.Error, "Consumer {Consumer} parked event {Position} after {Attempts} attempts: {Error}")]
        public static partial void EventParked(ILogger logger, string consumer, long position, int attempts, string error);

        [LoggerMessage(7, LogLevel.Information, "Worker {Holder} raised the deprecation notice of version {Version} of integration {IntegrationId}.")]
        public static partial void NoticeRaised(ILogger logger, Guid integrationId, string version, string holder);

        [LoggerMessage(8, LogLevel.Warning, "Releasing the lease on {Resource} failed; it expires on its own.")]
        public static partial void ReleaseFailed(ILogger logger, Exception exception, string resource);

        [LoggerMessage(10, LogLevel.Error, "Migration {JobId} could not run; the worker goes on with the other jobs and tries it again at the next poll.")]
        public static partial void JobFailed(ILogger logger, Exception exception, MigrationId jobId);

        [LoggerMessage(9, LogLevel.Error, "The worker's {Loop} loop failed; it tries again after its interval.")]
        public static partial void LoopFailed(ILogger logger, Exception exception, string loop);
    }
}
