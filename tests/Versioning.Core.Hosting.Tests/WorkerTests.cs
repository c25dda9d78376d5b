using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using NodaTime;
using NodaTime.Testing;
using Versioning.Core.Authorization;
using Versioning.Core.Content;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Services;

namespace Versioning.Core.Hosting.Tests;

/// <summary>The worker on its own (in memory): shutdown, its actor's rights, options, registration and health.</summary>
public sealed class WorkerTests
{
    private static readonly ActorId WorkerActor = new("versioning-worker");

    /// <summary>
    /// A Requested job that nobody runs by hand is run by the worker to completion, one batch after another: batch numbers
    /// 1, 2, 3, 4 once each, every installation moved (H1).
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task RequestedJob_NobodyCallsRunAsync_WorkerRunsItToCompletionBatchByBatch_H1()
    {
        await using var fleet = InMemoryFleet();
        await using var client = fleet.Client();
        var integration = await Fleet.NewIntegrationAsync(client);
        await SeedAsync(client, integration.Id, 35);
        var migrations = client.GetRequiredService<MigrationService>();
        var job = await migrations.StartMigrationAsync(integration.Id, new VersionNumber(1, 0, 0), new VersionNumber(1, 1, 0), MigrationScope.All, Fleet.Team, batchSize: 10);
        Assert.Equal(MigrationState.Requested, job.State);

        await fleet.StartHostAsync();
        await Fleet.WaitUntilAsync(async () => (await migrations.GetJobAsync(job.Id, Fleet.Team)).State == MigrationState.Completed, TimeSpan.FromSeconds(30), "the worker completed the job");

        var done = await migrations.GetJobAsync(job.Id, Fleet.Team);
        Assert.Equal((4, 35L), (done.Batches, done.Moved));
        Assert.Equal([1, 2, 3, 4], fleet.Log.Batches.Select(b => b.Batch).Order().ToArray());
    }

    /// <summary>
    /// The worker runs a job only while its requester may still run it under the host's policy (X7), and a job it cannot
    /// run does not hold up the others: the denied one stays Requested, the next one completes (H1).
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task JobTheHostPolicyNoLongerAllows_IsNotRun_AndDoesNotBlockTheNextJob_H1_X7()
    {
        var denied = new DenyRunOf();
        await using var fleet = InMemoryFleet(s => s.AddSingleton<IAccessPolicy>(sp => denied.Over(new DefaultAccessPolicy())));
        await using var client = fleet.Client();
        var blocked = await Fleet.NewIntegrationAsync(client, "Blocked");
        var open = await Fleet.NewIntegrationAsync(client, "Open");
        await SeedAsync(client, blocked.Id, 5);
        await SeedAsync(client, open.Id, 5);
        var migrations = client.GetRequiredService<MigrationService>();
        var first = await migrations.StartMigrationAsync(blocked.Id, new VersionNumber(1, 0, 0), new VersionNumber(1, 1, 0), MigrationScope.All, Fleet.Team, batchSize: 10);
        var second = await migrations.StartMigrationAsync(open.Id, new VersionNumber(1, 0, 0), new VersionNumber(1, 1, 0), MigrationScope.All, Fleet.Team, batchSize: 10);
        denied.Product = ProductRef.Of(blocked.Id);

        await fleet.StartHostAsync();
        await Fleet.WaitUntilAsync(async () => (await migrations.GetJobAsync(second.Id, Fleet.Team)).State == MigrationState.Completed, TimeSpan.FromSeconds(30), "the allowed job completed");
        var stuck = await migrations.GetJobAsync(first.Id, Fleet.Team);
        Assert.Equal((MigrationState.Requested, 0L), (stuck.State, stuck.Moved));
    }

    private sealed class DenyRunOf
    {
        public ProductRef? Product { get; set; }

        public IAccessPolicy Over(IAccessPolicy inner) => new Policy(this, inner);

        private sealed class Policy(DenyRunOf owner, IAccessPolicy inner) : IAccessPolicy
        {
            public bool CanChange(ActorId actor, string command, AccessTarget target)
                => !(command == "RunMigration" && owner.Product is { } p && target.Product == p) && inner.CanChange(actor, command, target);
        }
    }

    /// <summary>
    /// A lease left by a holder that stopped without releasing it keeps every other instance off the job until it
    /// expires; then one takes it over at the next generation and finishes the job (H2).
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task JobLeaseOfAStoppedHolder_BlocksUntilItExpires_ThenAnotherInstanceResumes_H2()
    {
        await using var fleet = InMemoryFleet();
        await using var client = fleet.Client();
        var integration = await Fleet.NewIntegrationAsync(client);
        await SeedAsync(client, integration.Id, 20);
        var migrations = client.GetRequiredService<MigrationService>();
        var job = await migrations.StartMigrationAsync(integration.Id, new VersionNumber(1, 0, 0), new VersionNumber(1, 1, 0), MigrationScope.All, Fleet.Team, batchSize: 10);

        // A holder that died right after taking the lease: it never renews or releases it.
        var state = client.GetRequiredService<IWorkerStateRepository>();
        var dead = await state.TryAcquireLeaseAsync(WorkerLease.ForJob(job.Id), "dead-host", SystemClock.Instance.GetCurrentInstant(), Duration.FromSeconds(2));
        Assert.NotNull(dead);

        await fleet.StartHostAsync();
        await Task.Delay(500);
        var whileHeld = await migrations.GetJobAsync(job.Id, Fleet.Team);
        Assert.Equal((0, 0L), (whileHeld.Batches, whileHeld.Moved));

        await Fleet.WaitUntilAsync(async () => (await migrations.GetJobAsync(job.Id, Fleet.Team)).State == MigrationState.Completed, TimeSpan.FromSeconds(30), "another instance resumed the job after the lease expired");
        Assert.Equal(20, (await migrations.GetJobAsync(job.Id, Fleet.Team)).Moved);
        Assert.All(fleet.Log.Batches, b => Assert.True(b.Generation > dead!.Generation));
        Assert.All(fleet.Log.Batches, b => Assert.True(b.Host == 0));
    }

    /// <summary>
    /// Stopping the host while a batch is in flight lets that batch commit, runs no further batch, and releases the
    /// lease, so another instance resumes the job at once instead of after the lease expires (H6, H2).
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Shutdown_MidBatch_BatchCommits_NoMoreRun_LeaseReleased_OtherHostResumesAtOnce_H6()
    {
        var store = new InMemoryStore();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fleet = Fleet.Create(s =>
        {
            s.AddSingleton(store);
            return s.AddVersioning();
        }, o =>
        {
            o.LeaseDuration = TimeSpan.FromHours(1);
            o.PollInterval = TimeSpan.FromMilliseconds(20);
        });
        await using var client = fleet.Client();
        var integration = await Fleet.NewIntegrationAsync(client);
        await SeedAsync(client, integration.Id, 50);
        var migrations = client.GetRequiredService<MigrationService>();

        // Host 0 runs the job one batch of 10 at a time; its state decorator holds the third batch until released.
        var first = await fleet.StartHostAsync();
        var probe = fleet.States[first];
        probe.StallAtBatchCall = 3;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.StallUntil = () =>
        {
            entered.TrySetResult();
            return release.Task.IsCompleted;
        };
        var job = await migrations.StartMigrationAsync(integration.Id, new VersionNumber(1, 0, 0), new VersionNumber(1, 1, 0), MigrationScope.All, Fleet.Team, batchSize: 10);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var stopping = fleet.StopHostAsync(first);
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted, "The host waits for the batch in flight.");
        release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        // The batch in flight committed; nothing ran after it; the lease is free.
        var stopped = await migrations.GetJobAsync(job.Id, Fleet.Team);
        Assert.Equal((3, 30L, MigrationState.InProgress), (stopped.Batches, stopped.Moved, stopped.State));
        var lease = Assert.Single(await client.GetRequiredService<IWorkerStateRepository>().ListLeasesAsync(), l => l.Resource == WorkerLease.ForJob(job.Id));
        Assert.True(lease.ExpiresAt <= SystemClock.Instance.GetCurrentInstant());

        // Another instance takes the released lease at once (an hour-long lease would otherwise block it).
        await fleet.StartHostAsync();
        await Fleet.WaitUntilAsync(async () => (await migrations.GetJobAsync(job.Id, Fleet.Team)).State == MigrationState.Completed, TimeSpan.FromSeconds(30), "the job completed on host 1");
        Assert.Equal(50, (await migrations.GetJobAsync(job.Id, Fleet.Team)).Moved);
        Assert.DoesNotContain(fleet.Log.Batches, b => b.Host == first && b.Batch > 3);
    }

    /// <summary>
    /// The worker's actor runs jobs and is recorded on their batches, but has no right anywhere else: the services the host
    /// resolves refuse it like any stranger, and it sees no never-public version, job or notice (X7, X8).
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task WorkerActor_RunsJobs_ButHasNoRightOrVisibilityThroughTheServices_X7_X8()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 3, 1, 9, 0));
        await using var fleet = InMemoryFleet(s => s.AddSingleton<IClock>(clock));
        await using var client = fleet.Client();
        var integration = await Fleet.NewIntegrationAsync(client);
        await SeedAsync(client, integration.Id, 5);
        var integrations = client.GetRequiredService<IntegrationService>();
        var migrations = client.GetRequiredService<MigrationService>();

        // A Private (never public) version, deprecating, its notice due.
        var secret = new VersionNumber(1, 2, 0);
        await integrations.CreateVersionAsync(integration.Id, secret, new WorkflowDefinition([new Step("s", new ConnectorRef("Crm", "1.0"), "CreateContact")]), Fleet.Team);
        await integrations.DeprecateAsync(integration.Id, secret, new LocalDate(2026, 3, 31), DeprecationReason.Other, "secret", Fleet.Team);
        clock.AdvanceDays(20);

        var job = await migrations.StartMigrationAsync(integration.Id, new VersionNumber(1, 0, 0), new VersionNumber(1, 1, 0), MigrationScope.All, Fleet.Team);
        await fleet.StartHostAsync();
        await Fleet.WaitUntilAsync(async () => (await migrations.GetJobAsync(job.Id, Fleet.Team)).State == MigrationState.Completed, TimeSpan.FromSeconds(30), "the worker ran the job");
        var events = await Fleet.ReadAllAsync(client.GetRequiredService<IEventReader>());
        Assert.All(events.Where(e => e.Type == "InstallationsMoved"), e => Assert.Equal(WorkerActor, e.Actor));

        // Through the host's own services the worker's actor is a stranger.
        var other = await migrations.StartMigrationAsync(integration.Id, new VersionNumber(1, 1, 0), new VersionNumber(1, 0, 0), MigrationScope.All, Fleet.Team);
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => migrations.RunAsync(other.Id, WorkerActor));
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => migrations.AbortAsync(other.Id, WorkerActor));
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => integrations.PromoteAsync(integration.Id, new VersionNumber(1, 0, 0), WorkerActor));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => migrations.GetJobAsync(job.Id, WorkerActor));
        Assert.Empty(await migrations.ListJobsAsync(ProductRef.Of(integration.Id), WorkerActor));
        Assert.Empty(await integrations.ListNoticesDueAsync(WorkerActor));
        Assert.Single(await integrations.ListNoticesDueAsync(Fleet.Team));
    }

    /// <summary>Invalid options are refused at registration with every problem in one message, and nothing is registered.</summary>
    [Fact]
    public void AddVersioningWorker_InvalidOptions_OneMessageListsEveryProblem_NothingRegistered()
    {
        var services = new ServiceCollection();
        var builder = services.AddVersioning();
        var count = services.Count;
        var refused = Assert.Throws<ArgumentException>(() => builder.AddVersioningWorker(o =>
        {
            o.InstanceName = " ";
            o.Actor = "bad\u2028actor";
            o.LeaseDuration = TimeSpan.Zero;
            o.PollInterval = TimeSpan.FromDays(1);
            o.EventPageSize = 0;
            o.MaxDeliveryAttempts = 0;
            o.RetryDelay = TimeSpan.FromSeconds(5);
            o.MaxRetryDelay = TimeSpan.FromSeconds(1);
            o.MaxConsumerLag = 0;
        }));
        foreach (var name in new[] { "InstanceName", "Actor", "LeaseDuration", "PollInterval", "EventPageSize", "MaxDeliveryAttempts", "MaxRetryDelay", "MaxConsumerLag" })
        {
            Assert.Contains(name, refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(count, services.Count);
    }

    /// <summary>Registering the worker twice gives one worker, with the options of both calls; two consumers with one name are refused.</summary>
    [Fact]
    public void AddVersioningWorker_Twice_OneWorker_DuplicateConsumerNamesRefused()
    {
        var services = new ServiceCollection();
        services.AddVersioning().AddVersioningWorker(o => o.EventPageSize = 7).AddVersioningWorker(o => o.MaxDeliveryAttempts = 9)
            .AddVersioningEventHandler<NamedHandler>().AddVersioningEventHandler<NamedHandler>();
        using var provider = services.BuildServiceProvider();
        var worker = Assert.Single(provider.GetServices<IHostedService>());
        Assert.IsType<VersioningWorker>(worker);
        var options = provider.GetRequiredService<VersioningWorkerOptions>();
        Assert.Equal((7, 9), (options.EventPageSize, options.MaxDeliveryAttempts));
        Assert.Equal(["same"], ((VersioningWorker)worker).Consumers);

        services.AddSingleton<IVersioningEventHandler>(new RecordingHandler("same"));
        using var twice = services.BuildServiceProvider();
        var refused = Assert.Throws<InvalidOperationException>(() => twice.GetServices<IHostedService>().ToList());
        Assert.Contains("'same'", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The health check reports a job whose lease lapsed long ago as unhealthy and a consumer far behind as degraded (H2, H4).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task HealthCheck_StuckJobUnhealthy_ConsumerBehindDegraded_H2_H4()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 3, 1, 9, 0));
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddVersioning().AddVersioningWorker(o =>
        {
            o.LeaseDuration = TimeSpan.FromMinutes(1);
            o.MaxConsumerLag = 3;
        }).AddVersioningEventHandler<NamedHandler>();
        await using var provider = services.BuildServiceProvider();
        var check = provider.GetRequiredService<VersioningWorkerHealthCheck>();
        var context = new HealthCheckContext();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);

        // A job and enough events for the consumer (checkpoint 0) to be more than 3 behind.
        var integration = await Fleet.NewIntegrationAsync(provider);
        await SeedAsync(provider, integration.Id, 3);
        var job = await provider.GetRequiredService<MigrationService>().StartMigrationAsync(integration.Id, new VersionNumber(1, 0, 0), new VersionNumber(1, 1, 0), MigrationScope.All, Fleet.Team);
        var degraded = await check.CheckHealthAsync(context);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("same", degraded.Description, StringComparison.Ordinal);

        // A holder that took the job and died: stuck once its lease is a lease duration past.
        var state = provider.GetRequiredService<IWorkerStateRepository>();
        await state.TryAcquireLeaseAsync(WorkerLease.ForJob(job.Id), "dead-host", clock.GetCurrentInstant(), Duration.FromMinutes(1));
        clock.Advance(Duration.FromSeconds(90));
        Assert.Equal(HealthStatus.Degraded, (await check.CheckHealthAsync(context)).Status);
        clock.Advance(Duration.FromSeconds(31));
        var unhealthy = await check.CheckHealthAsync(context);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains(job.Id.ToString(), unhealthy.Description, StringComparison.Ordinal);
    }

    /// <summary>A fleet whose hosts share one in-memory store, polling every 20 ms; <paramref name="extra"/> adds services first.</summary>
    private static Fleet InMemoryFleet(Action<IServiceCollection>? extra = null)
    {
        var store = new InMemoryStore();
        return Fleet.Create(s =>
        {
            s.AddSingleton(store);
            extra?.Invoke(s);
            return s.AddVersioning();
        }, o => o.PollInterval = TimeSpan.FromMilliseconds(20));
    }

    private static async Task SeedAsync(IServiceProvider services, IntegrationId id, int count)
    {
        var integrations = services.GetRequiredService<IntegrationService>();
        for (var n = 0; n < count; n++)
        {
            await integrations.InstallAsync(id, OwnerRef.User($"user-{n}"), new ActorId($"user-{n}"), version: new VersionNumber(1, 0, 0));
        }
    }

    private sealed class NamedHandler : IVersioningEventHandler
    {
        public string Name => "same";

        public Task HandleAsync(DomainEvent domainEvent, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
