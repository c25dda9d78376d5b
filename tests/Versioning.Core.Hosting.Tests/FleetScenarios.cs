using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Services;

namespace Versioning.Core.Hosting.Tests;

/// <summary>
/// The fleet scenarios of the hosting rules, run by each store's test class: three generic hosts with their own service
/// providers (and pools) on one database.
/// </summary>
public abstract partial class FleetScenarios
{
    /// <summary>Registers the store of one host (a new pool each time) on a shared database.</summary>
    /// <param name="services">The host's services.</param>
    /// <returns>The builder.</returns>
    private protected abstract VersioningBuilder AddStore(IServiceCollection services);

    /// <summary>Adds <paramref name="count"/> installations of <paramref name="product"/> pinned to <paramref name="pinned"/>, fast.</summary>
    private protected abstract Task SeedAsync(IServiceProvider services, ProductRef product, VersionKey pinned, int count);

    /// <summary>
    /// Three hosts run one migration of <paramref name="installations"/> installations; the first host stalls mid-job
    /// without renewing its lease, another takes the job over after the lease expires, and the stalled host's batch is
    /// refused when it wakes up. The job completes, every installation moved exactly once, every batch ran once, and the
    /// job never had two holders (H1, H2, H3).
    /// </summary>
    private protected async Task MigrationSurvivesAStalledHostAsync(int installations, int batchSize)
    {
        await using var fleet = Fleet.Create(AddStore, o =>
        {
            o.LeaseDuration = TimeSpan.FromSeconds(1);
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.DeliverEvents = false;
            o.RaiseNotices = false;
        });
        await using var client = fleet.Client();
        var integration = await Fleet.NewIntegrationAsync(client);
        var product = ProductRef.Of(integration.Id);
        var from = VersionKey.ForVersion(new VersionNumber(1, 0, 0));
        var to = VersionKey.ForVersion(new VersionNumber(1, 1, 0));
        await SeedAsync(client, product, from, installations);
        var migrations = client.GetRequiredService<MigrationService>();
        var job = await migrations.StartMigrationAsync(integration.Id, new VersionNumber(1, 0, 0), new VersionNumber(1, 1, 0), MigrationScope.All, Fleet.Team, batchSize);

        // Host 0 takes the job first and stalls on its third batch until another host has committed one.
        var first = await fleet.StartHostAsync();
        fleet.States[first].StallAtBatchCall = 3;
        fleet.States[first].StallUntil = () => fleet.Log.Batches.Any(b => b.Host != first);
        await Fleet.WaitUntilAsync(() => Task.FromResult(fleet.Log.Batches.Any(b => b.Host == first)), TimeSpan.FromSeconds(60), "host 0 ran a batch");
        await fleet.StartHostAsync();
        await fleet.StartHostAsync();

        await Fleet.WaitUntilAsync(async () => (await migrations.GetJobAsync(job.Id, Fleet.Team)).State == MigrationState.Completed, TimeSpan.FromMinutes(3), "the job completed");
        await fleet.States[first].StallDone.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await fleet.StopHostAsync(first);
        var done = await migrations.GetJobAsync(job.Id, Fleet.Team);

        // The host that committed the last batch records it once the store call has returned.
        await Fleet.WaitUntilAsync(() => Task.FromResult(fleet.Log.Batches.Count >= done.Batches), TimeSpan.FromSeconds(30), "the last batch was recorded");

        // The stalled host's batch was refused (H3), and another host finished the job (H2).
        var refused = Assert.Single(fleet.Log.RefusedBatches);
        Assert.Equal(first, refused.Host);
        Assert.Contains(fleet.Log.Batches, b => b.Host != first);

        // Every batch ran once, in order, with non-decreasing lease generations, and moved what the job counts.
        var batches = fleet.Log.Batches.OrderBy(b => b.Batch).ToList();
        Assert.True(Enumerable.Range(1, done.Batches).SequenceEqual(batches.Select(b => b.Batch)), string.Join(" ", batches.Select(b => $"{b.Batch}@{b.Host}/g{b.Generation}")));
        Assert.Equal(batches.Select(b => b.Generation).Order(), batches.Select(b => b.Generation));
        Assert.Equal((long)installations, batches.Sum(b => b.Moved));
        Assert.Equal((MigrationState.Completed, (long)installations), (done.State, done.Moved));
        fleet.Log.AssertNeverTwoHolders(WorkerLease.ForJob(job.Id));

        // The outbox has one InstallationsMoved per batch that moved anything, each batch number once.
        var moved = (await Fleet.ReadAllAsync(client.GetRequiredService<IEventReader>()))
            .Where(e => e.AggregateId == job.Id.ToString() && e.Type == "InstallationsMoved")
            .Select(e => int.Parse(BatchNumber().Match(e.Details).Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(batches.Where(b => b.Moved > 0).Select(b => b.Batch), moved.Order());

        // Every installation moved exactly once: on the target, its revision raised by one.
        var repository = client.GetRequiredService<IInstallationRepository>();
        var seen = 0;
        InstallationId? after = null;
        while (true)
        {
            var page = await repository.ListAsync(product, after, 5_000);
            foreach (var i in page)
            {
                Assert.Equal(to, i.Pinned);
                Assert.Equal(2, i.Revision);
            }

            seen += page.Count;
            if (page.Count < 5_000)
            {
                break;
            }

            after = page[^1].Id;
        }

        Assert.Equal(installations, seen);
    }

    /// <summary>
    /// Three hosts deliver the events of concurrent writers on all three to two consumers, one of which throws on some
    /// events: every event is handled at least once per consumer, in order per aggregate, checkpoints never move
    /// backwards, and the poison events are parked without stopping the rest (H4).
    /// </summary>
    private protected async Task EventsDeliveredInOrderDespitePoisonAsync(int writersPerHost, int integrationsPerWriter)
    {
        var audit = new RecordingHandler("audit");
        var flaky = new RecordingHandler("flaky 'consumer'", e => e.AggregateKind == "Integration" && e.Type == "NotesChanged" && e.Subject == "1.0.0" && e.Position % 3 == 0);
        await using var fleet = Fleet.Create(AddStore, o =>
        {
            o.LeaseDuration = TimeSpan.FromSeconds(5);
            o.PollInterval = TimeSpan.FromMilliseconds(20);
            o.EventPageSize = 7;
            o.MaxDeliveryAttempts = 3;
            o.RetryDelay = TimeSpan.FromMilliseconds(5);
            o.MaxRetryDelay = TimeSpan.FromMilliseconds(20);
            o.RunJobs = false;
            o.RaiseNotices = false;
        }, (_, services) =>
        {
            services.AddSingleton<IVersioningEventHandler>(audit);
            services.AddSingleton<IVersioningEventHandler>(flaky);
        });
        for (var h = 0; h < 3; h++)
        {
            await fleet.StartHostAsync();
        }

        // Watch both checkpoints while everything runs: they never move backwards.
        await using var client = fleet.Client();
        var state = client.GetRequiredService<IWorkerStateRepository>();
        using var watching = new CancellationTokenSource();
        var backwards = new List<string>();
        var watcher = Task.Run(async () =>
        {
            var last = new Dictionary<string, long>();
            while (!watching.IsCancellationRequested)
            {
                foreach (var consumer in new[] { audit.Name, flaky.Name })
                {
                    var checkpoint = await state.GetCheckpointAsync(consumer);
                    if (checkpoint < last.GetValueOrDefault(consumer))
                    {
                        backwards.Add($"{consumer}: {last[consumer]} -> {checkpoint}");
                    }

                    last[consumer] = checkpoint;
                }

                await Task.Delay(10);
            }
        });

        // Concurrent writers on every host's services.
        var writers = new List<Task>();
        foreach (var host in fleet.Hosts)
        {
            for (var w = 0; w < writersPerHost; w++)
            {
                writers.Add(Task.Run(async () =>
                {
                    for (var n = 0; n < integrationsPerWriter; n++)
                    {
                        await Fleet.NewIntegrationAsync(host!.Services, $"App {Guid.NewGuid():N}");
                    }
                }));
            }
        }

        await Task.WhenAll(writers);
        var events = await Fleet.ReadAllAsync(client.GetRequiredService<IEventReader>());
        var head = events[^1].Position;
        await Fleet.WaitUntilAsync(async () => await state.GetCheckpointAsync(audit.Name) >= head && await state.GetCheckpointAsync(flaky.Name) >= head,
            TimeSpan.FromMinutes(2), "both consumers reached the last event");
        await watching.CancelAsync();
        await watcher;
        Assert.Empty(backwards);

        var poison = events.Where(e => flaky.Poison!(e)).Select(e => e.Position).ToList();
        Assert.NotEmpty(poison);
        foreach (var handler in new[] { audit, flaky })
        {
            // At least once: every event (but the poison ones) was handled.
            var handled = handler.Deliveries.Select(d => d.Event.Position).ToHashSet();
            var expected = events.Select(e => e.Position).Where(p => handler == audit || !poison.Contains(p));
            Assert.All(expected, p => Assert.Contains(p, handled));

            // In order per aggregate: the first delivery of each event came after the first delivery of the events before it.
            var firsts = handler.Deliveries.OrderBy(d => d.Sequence).DistinctBy(d => d.Event.Position).ToList();
            foreach (var aggregate in firsts.GroupBy(d => (d.Event.AggregateKind, d.Event.AggregateId)))
            {
                var positions = aggregate.Select(d => d.Event.Position).ToList();
                Assert.Equal(positions.Order(), positions);
            }
        }

        // The poison events were tried the configured number of times, then parked; the events after them were handled.
        var parked = await state.ListParkedAsync(flaky.Name);
        Assert.Equal(poison, parked.Select(p => p.Position));
        Assert.All(parked, p => Assert.Equal(3, p.Attempts));
        Assert.All(parked, p => Assert.Contains("Poison event", p.Error, StringComparison.Ordinal));
        Assert.Empty(await state.ListParkedAsync(audit.Name));
    }

    /// <summary>Three hosts scan for due notices many times: each notice is raised once and reaches the handler (H5).</summary>
    private protected async Task EachDueNoticeRaisedOnceAcrossHostsAsync(int integrationsCount)
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 3, 1, 9, 0));
        var notices = new RecordingNoticeHandler();
        await using var fleet = Fleet.Create(s =>
        {
            s.AddSingleton<IClock>(clock);
            return AddStore(s);
        }, o =>
        {
            o.PollInterval = TimeSpan.FromMilliseconds(20);
            o.NoticeInterval = TimeSpan.FromMilliseconds(10);
            o.RunJobs = false;
        }, (_, services) => services.AddSingleton<IDeprecationNoticeHandler>(notices));
        await using var client = fleet.Client();
        var integrations = client.GetRequiredService<IntegrationService>();
        var keys = new List<string>();
        for (var n = 0; n < integrationsCount; n++)
        {
            var integration = await Fleet.NewIntegrationAsync(client, $"App {n}");
            await integrations.DeprecateAsync(integration.Id, new VersionNumber(1, 0, 0), new LocalDate(2026, 3, 31), DeprecationReason.Replaced, null, Fleet.Team);
            keys.Add($"{integration.Id.Value:D}/1.0.0");
        }

        for (var h = 0; h < 3; h++)
        {
            await fleet.StartHostAsync();
        }

        // Not due yet (14 days before 31 March is 17 March): nothing is raised.
        await Task.Delay(300);
        var reader = client.GetRequiredService<IEventReader>();
        Assert.DoesNotContain(await Fleet.ReadAllAsync(reader), e => e.Type == DeprecationNoticeEvents.RaisedType);

        clock.AdvanceDays(17);
        await Fleet.WaitUntilAsync(() => Task.FromResult(notices.Keys.Distinct().Count() == integrationsCount), TimeSpan.FromMinutes(1), "every notice reached the handler");

        // Let the hosts scan many more times, then count.
        await Task.Delay(500);
        var raised = (await Fleet.ReadAllAsync(reader)).Where(e => e.Type == DeprecationNoticeEvents.RaisedType).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), raised.Select(e => e.AggregateId).Order(StringComparer.Ordinal));
        Assert.All(raised, e => Assert.Equal(new ActorId("versioning-worker"), e.Actor));
        Assert.Equal(keys.Order(StringComparer.Ordinal), notices.Keys.Distinct().Select(k => $"{k.Integration.Value:D}/{k.Version}").Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"^Batch (\d+):")]
    private static partial Regex BatchNumber();
}

/// <summary>Records the notices it is handed.</summary>
internal sealed class RecordingNoticeHandler : IDeprecationNoticeHandler
{
    public string Name => "recorder";

    public System.Collections.Concurrent.ConcurrentQueue<(IntegrationId Integration, VersionNumber Version)> Keys { get; } = new();

    public Task HandleAsync(DeprecationNotice notice, long idempotencyKey, CancellationToken cancellationToken)
    {
        Keys.Enqueue((notice.IntegrationId, notice.Version));
        return Task.CompletedTask;
    }
}
