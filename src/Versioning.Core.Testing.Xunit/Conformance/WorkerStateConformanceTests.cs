using System.Globalization;
using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Xunit;

namespace Versioning.Core.Testing.Conformance;

/// <summary>
/// The conformance suite of <see cref="IWorkerStateRepository"/>, the state the background worker's instances share
/// (H1–H5): subclass it, override <see cref="CreateWorkerStoresAsync"/> (and <see cref="ReopenAsync"/> for a second,
/// independent handle on the same database, as another host instance would have), and every <c>[Fact]</c> here runs
/// against your store — lease acquisition, expiry and takeover, fenced batches and checkpoints that write nothing once
/// their lease is lost, checkpoints that never move backwards, parked events, and notice claims that win once.
/// </summary>
public abstract class WorkerStateConformanceTests
{
    /// <summary>A fixed instant the tests use as "now".</summary>
    protected static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 9, 30, 15).PlusTicks(1_234_567);

    /// <summary>The actor the tests use.</summary>
    protected static readonly ActorId Actor = new("conformance-worker");

    private static readonly Duration Lease = Duration.FromSeconds(30);

    /// <summary>Creates the repositories of one fresh, empty database. Called once per test.</summary>
    /// <returns>The stores; disposed at the end of the test.</returns>
    protected abstract Task<WorkerStateStores> CreateWorkerStoresAsync();

    /// <summary>
    /// Opens a second, independent set of repositories on the same database as <paramref name="stores"/> (another host
    /// instance). The default returns <paramref name="stores"/>.
    /// </summary>
    /// <param name="stores">The stores of the current test.</param>
    /// <returns>Repositories over the same data.</returns>
    protected virtual Task<WorkerStateStores> ReopenAsync(WorkerStateStores stores) => Task.FromResult(stores);

    /// <summary>A lease goes to the first asker; another holder gets it only once it expired, at the next generation (H2).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Lease_HeldUntilExpiry_ThenTakenOverAtNextGeneration_H2()
    {
        await using var stores = await CreateWorkerStoresAsync();
        var other = await ReopenAsync(stores);
        var a = await stores.State.TryAcquireLeaseAsync("migration:x", "host-a", T0, Lease);
        Assert.Equal(new WorkerLease("migration:x", "host-a", 1, T0 + Lease), a);
        Assert.Null(await other.State.TryAcquireLeaseAsync("migration:x", "host-b", T0 + Lease - Duration.FromTicks(1), Lease));

        // The holder asking again keeps its generation.
        var again = await stores.State.TryAcquireLeaseAsync("migration:x", "host-a", T0 + Duration.FromSeconds(1), Lease);
        Assert.Equal(a! with { ExpiresAt = T0 + Duration.FromSeconds(1) + Lease }, again);

        var renewed = await stores.State.RenewLeaseAsync(again!, T0 + Duration.FromSeconds(20), Lease);
        Assert.Equal(T0 + Duration.FromSeconds(50), renewed!.ExpiresAt);
        Assert.Null(await other.State.TryAcquireLeaseAsync("migration:x", "host-b", T0 + Duration.FromSeconds(49), Lease));

        var b = await other.State.TryAcquireLeaseAsync("migration:x", "host-b", T0 + Duration.FromSeconds(50), Lease);
        Assert.Equal(new WorkerLease("migration:x", "host-b", 2, T0 + Duration.FromSeconds(80)), b);

        // The old holder can neither renew nor release the lease it lost.
        Assert.Null(await stores.State.RenewLeaseAsync(renewed, T0 + Duration.FromSeconds(51), Lease));
        await stores.State.ReleaseLeaseAsync(renewed, T0 + Duration.FromSeconds(51));
        Assert.Equal([b!], await stores.State.ListLeasesAsync());
    }

    /// <summary>A released lease can be taken at once by another holder, and not renewed by the one that released it (H2).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Lease_Released_IsTakenAtOnce_AndCannotBeRenewed_H2()
    {
        await using var stores = await CreateWorkerStoresAsync();
        var a = await stores.State.TryAcquireLeaseAsync("consumer:c", "host-a", T0, Lease);
        await stores.State.ReleaseLeaseAsync(a!, T0 + Duration.FromSeconds(1));
        Assert.Null(await stores.State.RenewLeaseAsync(a!, T0 + Duration.FromSeconds(1), Lease));
        var b = await (await ReopenAsync(stores)).State.TryAcquireLeaseAsync("consumer:c", "host-b", T0 + Duration.FromSeconds(1), Lease);
        Assert.Equal(2, b!.Generation);
    }

    /// <summary>Of many instances racing for one free lease, exactly one wins (H3).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Lease_ConcurrentAcquirers_ExactlyOneWins_H3()
    {
        await using var stores = await CreateWorkerStoresAsync();
        var handles = new List<WorkerStateStores>();
        for (var i = 0; i < 8; i++)
        {
            handles.Add(await ReopenAsync(stores));
        }

        var results = await Task.WhenAll(handles.Select((h, i) => Task.Run(() => h.State.TryAcquireLeaseAsync("migration:race", $"host-{i}", T0, Lease))));
        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(1, winner!.Generation);
        Assert.Equal([winner], await stores.State.ListLeasesAsync());
    }

    /// <summary>Lease names and durations are checked before anything is written.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Lease_BadArguments_AreRefused_AndNothingIsStored()
    {
        await using var stores = await CreateWorkerStoresAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => stores.State.TryAcquireLeaseAsync("", "h", T0, Lease));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => stores.State.TryAcquireLeaseAsync(" r", "h", T0, Lease));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => stores.State.TryAcquireLeaseAsync("r", "h\u200B", T0, Lease));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => stores.State.TryAcquireLeaseAsync("r", new string('h', 201), T0, Lease));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stores.State.TryAcquireLeaseAsync("r", "h", T0, Duration.Zero));
        Assert.Empty(await stores.State.ListLeasesAsync());
    }

    /// <summary>
    /// A job runs batch by batch under its lease to completion and then leaves the runnable list (H1); a batch run with a
    /// lease that was taken over, or that expired, writes nothing — no installation, no job change, no event (H3).
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task FencedBatch_LostOrExpiredLease_WritesNothing_HolderRunsToCompletion_H1_H3()
    {
        await using var stores = await CreateWorkerStoresAsync();
        var other = await ReopenAsync(stores);
        var (job, installations) = await SeedJobAsync(stores.Stores, 25, batchSize: 10);
        Assert.Equal([job.Id], (await stores.State.ListRunnableJobsAsync()).Select(j => j.Id));

        var a = await stores.State.TryAcquireLeaseAsync(WorkerLease.ForJob(job.Id), "host-a", T0, Lease);
        job = await stores.State.RunJobBatchAsync(a!, job, Actor, T0 + Duration.FromSeconds(1));
        Assert.Equal((1, 10L), (job.Batches, job.Moved));

        // Expired, not taken over: still refused.
        await Assert.ThrowsAsync<LeaseLostException>(() => stores.State.RunJobBatchAsync(a!, job, Actor, T0 + Lease));

        // Taken over: the old holder's batch is refused and writes nothing.
        var b = await other.State.TryAcquireLeaseAsync(WorkerLease.ForJob(job.Id), "host-b", T0 + Lease, Lease);
        var events = (await ReadAllAsync(stores.Stores.Events)).Count;
        var lost = await Assert.ThrowsAsync<LeaseLostException>(() => stores.State.RunJobBatchAsync(a!, job, Actor, T0 + Lease + Duration.FromSeconds(1)));
        Assert.Equal(a, lost.Lease);
        Assert.Equal(job, await stores.Stores.Migrations.FindAsync(job.Id));
        Assert.Equal(events, (await ReadAllAsync(stores.Stores.Events)).Count);
        Assert.Equal(10, await CountMovedAsync(stores.Stores, installations));

        // A lease on another job is no lease on this one.
        var unrelated = await other.State.TryAcquireLeaseAsync(WorkerLease.ForJob(MigrationId.New()), "host-b", T0 + Lease, Lease);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => other.State.RunJobBatchAsync(unrelated!, job, Actor, T0 + Lease));

        // The new holder carries on from the stored checkpoint to the end: every installation moved exactly once.
        while (job.IsRunnable)
        {
            job = await other.State.RunJobBatchAsync(b!, job, Actor, T0 + Lease + Duration.FromSeconds(2));
        }

        Assert.Equal((MigrationState.Completed, 25L, 3), (job.State, job.Moved, job.Batches));
        Assert.Equal(25, await CountMovedAsync(stores.Stores, installations));
        foreach (var i in installations)
        {
            Assert.Equal(i.Revision + 1, (await stores.Stores.Installations.FindAsync(i.Id))!.Revision);
        }

        Assert.Empty(await stores.State.ListRunnableJobsAsync());
    }

    /// <summary>
    /// A consumer's checkpoint only moves forward, a parked event is stored with it atomically, and a lost lease writes
    /// neither (H4).
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Checkpoint_NeverMovesBackwards_ParksAtomically_AndIsFenced_H4()
    {
        await using var stores = await CreateWorkerStoresAsync();
        var other = await ReopenAsync(stores);
        const string consumer = "mailer 'quoted'; --";
        Assert.Equal(0, await stores.State.GetCheckpointAsync(consumer));
        var a = await stores.State.TryAcquireLeaseAsync(WorkerLease.ForConsumer(consumer), "host-a", T0, Lease);
        await stores.State.SaveCheckpointAsync(a!, consumer, 5, null, T0);
        await stores.State.SaveCheckpointAsync(a!, consumer, 3, null, T0);
        Assert.Equal(5, await other.State.GetCheckpointAsync(consumer));

        var parked = new ParkedEvent(consumer, 7, 5, "System.InvalidOperationException: boom 'x'", T0);
        await stores.State.SaveCheckpointAsync(a!, consumer, 8, parked, T0);
        Assert.Equal(8, await other.State.GetCheckpointAsync(consumer));
        Assert.Equal([parked], await other.State.ListParkedAsync(consumer));
        Assert.Empty(await other.State.ListParkedAsync("someone else"));

        // Bad arguments change nothing.
        await Assert.ThrowsAnyAsync<ArgumentException>(() => stores.State.SaveCheckpointAsync(a!, consumer, 9, parked with { Position = 10 }, T0));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => stores.State.SaveCheckpointAsync(a!, "other", 9, null, T0));

        // Taken over: the old holder writes nothing.
        var b = await other.State.TryAcquireLeaseAsync(WorkerLease.ForConsumer(consumer), "host-b", T0 + Lease, Lease);
        await Assert.ThrowsAsync<LeaseLostException>(() => stores.State.SaveCheckpointAsync(a!, consumer, 20, parked with { Position = 19 }, T0 + Lease));
        Assert.Equal(8, await stores.State.GetCheckpointAsync(consumer));
        Assert.Single(await stores.State.ListParkedAsync(consumer));
        await other.State.SaveCheckpointAsync(b!, consumer, 9, null, T0 + Lease);
        Assert.Equal(9, await stores.State.GetCheckpointAsync(consumer));
    }

    /// <summary>Of many instances claiming one notice at once, exactly one wins, and its event is stored exactly once (H5).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task NoticeClaim_ConcurrentClaimers_ExactlyOneWins_EventStoredOnce_H5()
    {
        await using var stores = await CreateWorkerStoresAsync();
        var notice = new DeprecationNotice(IntegrationId.New(), "CRM 'Tricky'", new VersionNumber(1, 2, 3), new LocalDate(2026, 4, 1), T0 + Duration.FromDays(31), T0, "ApiChange");
        var key = DeprecationNoticeEvents.Key(notice);
        var handles = new List<WorkerStateStores>();
        for (var i = 0; i < 8; i++)
        {
            handles.Add(await ReopenAsync(stores));
        }

        var claims = await Task.WhenAll(handles.Select((h, i) => Task.Run(() => h.State.TryClaimNoticeAsync(key, DeprecationNoticeEvents.Raised(notice, new ActorId($"host-{i}"), T0)))));
        Assert.Single(claims, c => c);
        Assert.False(await stores.State.TryClaimNoticeAsync(key, DeprecationNoticeEvents.Raised(notice, Actor, T0 + Duration.FromDays(1))));
        var raised = Assert.Single(await ReadAllAsync(stores.Stores.Events), e => e.Type == DeprecationNoticeEvents.RaisedType);
        Assert.Equal((DeprecationNoticeEvents.AggregateKind, key, "1.2.3", 1L), (raised.AggregateKind, raised.AggregateId, raised.Subject, raised.AggregateRevision));
        Assert.True(DeprecationNoticeEvents.TryParseKey(raised.AggregateId, out var id, out var version));
        Assert.Equal((notice.IntegrationId, notice.Version), (id, version));
    }

    private static async Task<(MigrationJob Job, List<Installation> Installations)> SeedJobAsync(VersioningStores stores, int count, int batchSize)
    {
        var product = new ProductRef(ProductKind.Integration, Guid.NewGuid());
        var from = VersionKey.ForVersion(new VersionNumber(1, 0, 0));
        var to = VersionKey.ForVersion(new VersionNumber(1, 1, 0));
        var list = new List<Installation>();
        for (var n = 0; n < count; n++)
        {
            var i = new Installation
            {
                Id = InstallationId.New(),
                Product = product,
                Owner = OwnerRef.Account("acme-" + n.ToString(CultureInfo.InvariantCulture)),
                Pinned = from,
                Status = RunStatus.Running,
                Settings = Installation.CheckSettings([]),
                CreatedAt = T0,
                UpdatedAt = T0,
            };
            list.Add(await stores.Installations.SaveAsync(i, InstallationEvents.Installed(i, Actor, T0)));
        }

        var job = new MigrationJob
        {
            Id = MigrationId.New(),
            Product = product,
            From = from,
            To = to,
            Scope = MigrationScope.All,
            State = MigrationState.Requested,
            BatchSize = batchSize,
            Total = count,
            RequestedBy = Actor,
            RequestedAt = T0,
            UpdatedAt = T0,
        };
        return (await stores.Migrations.SaveAsync(job, [job.Started()]), list);
    }

    private static async Task<int> CountMovedAsync(VersioningStores stores, List<Installation> installations)
    {
        var moved = 0;
        foreach (var i in installations)
        {
            if ((await stores.Installations.FindAsync(i.Id))!.Pinned != i.Pinned)
            {
                moved++;
            }
        }

        return moved;
    }

    private static async Task<List<DomainEvent>> ReadAllAsync(IEventReader reader)
    {
        var all = new List<DomainEvent>();
        while (true)
        {
            var page = await reader.ReadAsync(all.Count == 0 ? 0 : all[^1].Position, 1000);
            all.AddRange(page);
            if (page.Count < 1000)
            {
                return all;
            }
        }
    }
}
