using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Xunit;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    private static MigrationJob NewJob(ProductRef product, VersionKey? from, VersionKey to, MigrationScope scope, int batchSize, long total) => new()
    {
        Id = MigrationId.New(),
        Product = product,
        From = from,
        To = to,
        Scope = scope,
        State = MigrationState.Requested,
        BatchSize = batchSize,
        Total = total,
        RequestedBy = Actor,
        RequestedAt = T0,
        UpdatedAt = T0,
    };

    private static async Task<(ProductRef Product, List<Installation> Installations)> SeedAsync(VersioningStores stores, int count, VersionKey pinned, VersionKey? otherPinned = null)
    {
        var product = new ProductRef(ProductKind.Integration, Guid.NewGuid());
        var list = new List<Installation>();
        for (var n = 0; n < count; n++)
        {
            var i = NewInstallation(product, otherPinned is { } o && n % 4 == 3 ? o : pinned, $"owner{n % 5}", n);
            list.Add(await stores.Installations.SaveAsync(i, InstallationEvents.Installed(i, Actor, T0)));
        }

        return (product, list);
    }

    /// <summary>A job saves, reads back, lists, and refuses a stale revision (X3).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Migration_SaveFindList_WithRevisionCheck_M5()
    {
        await using var stores = await CreateStoresAsync();
        var product = new ProductRef(ProductKind.Integration, Guid.NewGuid());
        var job = NewJob(product, VersionKey.ForVersion(new(1, 0, 0)), VersionKey.ForVersion(new(1, 1, 0)), MigrationScope.ForAccount("acme " + Tricky), 10, 42);
        var saved = await stores.Migrations.SaveAsync(job, [job.Started()]);
        Assert.Equal(1, saved.Revision);
        var loaded = await (await ReopenAsync(stores)).Migrations.FindAsync(job.Id);
        Assert.Equal(saved, loaded);
        Assert.Equal([job.Id], (await stores.Migrations.ListAsync(product)).Select(j => j.Id));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Migrations.SaveAsync(job, []));
        Assert.Null(await stores.Migrations.FindAsync(MigrationId.New()));
    }

    /// <summary>
    /// Batches move exactly the selected candidates, in identifier order, keep settings, bump revisions once, store one
    /// event per batch, and complete when a batch is not full (M4, M5).
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Migration_RunBatches_MovesExactlyTheCohortOnce_M4_M5()
    {
        await using var stores = await CreateStoresAsync();
        var from = VersionKey.ForVersion(new(1, 0, 0));
        var to = VersionKey.ForVersion(new(1, 1, 0));
        var other = VersionKey.ForVersion(new(1, 0, 1));
        var (product, installations) = await SeedAsync(stores, 60, from, other);
        var candidates = installations.Where(i => i.Pinned == from).ToList();
        var job = await stores.Migrations.SaveAsync(NewJob(product, from, to, MigrationScope.Percentage(50), 7, candidates.Count), []);
        var eventsBefore = (await ReadAllEventsAsync(stores)).Count;

        var batches = 0;
        while (job.IsRunnable)
        {
            job = await stores.Migrations.RunBatchAsync(job, Actor, T0.PlusTicks(100));
            batches++;
        }

        var expected = candidates.Where(i => Cohort.IsSelected(i.Id, from, to, 50)).Select(i => i.Id).ToHashSet();
        Assert.Equal(MigrationState.Completed, job.State);
        Assert.Equal(candidates.Count, job.Scanned);
        Assert.Equal(expected.Count, job.Moved);
        Assert.Equal((candidates.Count / 7) + 1, batches);
        foreach (var original in installations)
        {
            var now = (await stores.Installations.FindAsync(original.Id))!;
            var moved = expected.Contains(original.Id);
            Assert.Equal(moved ? to : original.Pinned, now.Pinned);
            Assert.Equal(original.Revision + (moved ? 1 : 0), now.Revision);
            Assert.Equal(original.Settings, now.Settings);
            Assert.Equal(original.Owner, now.Owner);
        }

        var events = (await ReadAllEventsAsync(stores)).Skip(eventsBefore).ToList();
        Assert.Equal(job.Batches, batches);
        Assert.True(events.Count(e => e.Type == Events.DomainEventTypes.InstallationsMoved) <= batches);
        Assert.Single(events, e => e.Type == Events.DomainEventTypes.MigrationCompleted);
        Assert.Equal(expected.Count, (await stores.Installations.CountAsync(product, to)).Total);
    }

    /// <summary>A job stopped after some batches and resumed on a new connection moves every selected installation exactly once (M5).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Migration_StoppedAndResumed_MovesEachSelectedExactlyOnce_M5()
    {
        await using var stores = await CreateStoresAsync();
        var from = VersionKey.ForVersion(new(2, 0, 0));
        var to = VersionKey.ForVersion(new(2, 1, 0));
        var (product, installations) = await SeedAsync(stores, 45, from);
        var job = await stores.Migrations.SaveAsync(NewJob(product, from, to, MigrationScope.Percentage(70), 4, installations.Count), []);
        for (var i = 0; i < 3; i++)
        {
            job = await stores.Migrations.RunBatchAsync(job, Actor, T0);
        }

        Assert.Equal(MigrationState.InProgress, job.State);
        var reopened = await ReopenAsync(stores);
        var resumed = (await reopened.Migrations.FindAsync(job.Id))!;
        Assert.Equal(job.Checkpoint, resumed.Checkpoint);
        while (resumed.IsRunnable)
        {
            resumed = await reopened.Migrations.RunBatchAsync(resumed, Actor, T0);
        }

        var expected = installations.Where(i => Cohort.IsSelected(i.Id, from, to, 70)).ToList();
        Assert.Equal(expected.Count, resumed.Moved);
        foreach (var i in installations)
        {
            var now = (await reopened.Installations.FindAsync(i.Id))!;
            Assert.Equal(expected.Contains(i) ? 2 : 1, now.Revision);
        }
    }

    /// <summary>Two runners advancing the same job: one wins, the other gets a conflict and nothing moves twice (X3, M5).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Migration_StaleJobRevision_ThrowsConflictAndMovesNothing_X3()
    {
        await using var stores = await CreateStoresAsync();
        var from = VersionKey.ForRelease(R(1));
        var to = VersionKey.ForRelease(R(2));
        var (product, _) = await SeedAsync(stores, 10, from);
        var job = await stores.Migrations.SaveAsync(NewJob(product, null, to, MigrationScope.All, 5, 10), []);
        var advanced = await stores.Migrations.RunBatchAsync(job, Actor, T0);
        Assert.Equal(5, advanced.Moved);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Migrations.RunBatchAsync(job, Actor, T0));
        Assert.Equal(5, (await stores.Installations.CountAsync(product, to)).Total);
        Assert.Equal(advanced, await stores.Migrations.FindAsync(job.Id));
    }

    /// <summary>Owner scopes move only that owner's installations (M2).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Migration_OwnerScope_MovesOnlyThatOwner_M2()
    {
        await using var stores = await CreateStoresAsync();
        var from = VersionKey.ForVersion(new(3, 0, 0));
        var to = VersionKey.ForVersion(new(3, 0, 1));
        var (product, installations) = await SeedAsync(stores, 20, from);
        var owner = installations[4].Owner;
        var job = await stores.Migrations.SaveAsync(NewJob(product, from, to, MigrationScope.ForOwner(owner), 100, 20), []);
        job = await stores.Migrations.RunBatchAsync(job, Actor, T0);
        Assert.Equal(MigrationState.Completed, job.State);
        Assert.Equal(installations.Count(i => i.Owner == owner), job.Moved);
        Assert.Equal(job.Moved, (await stores.Installations.CountAsync(product, to)).Total);
    }
}
