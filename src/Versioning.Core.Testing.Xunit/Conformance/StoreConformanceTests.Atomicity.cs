using NodaTime.Testing;
using Versioning.Core.Auditing;
using Versioning.Core.Authorization;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Testing.Faults;
using Xunit;
using Versioning.Core.Services;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>The ways a write call is made to fail: an exception or a cancellation, before or after the store call.</summary>
    /// <returns>The modes.</returns>
    public static TheoryData<string> FaultModes() => ["fail-before", "fail-after", "cancel-before", "cancel-after"];

    /// <summary>
    /// Saving a job with its integration (X9) writes both — job, integration revision, audit entry, events — or, when
    /// either revision is stale, neither.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Migration_SaveWithIntegration_WritesBothOrNeither_X9()
    {
        await using var stores = await CreateStoresAsync();
        var (integrations, _) = Services(stores, stores.Integrations, stores.Migrations);
        var app = await NewIntegrationWithPrivateTargetAsync(integrations);

        // A stale integration: nothing of the job is written, the integration is unchanged.
        var stale = (await stores.Integrations.FindAsync(app))!;
        await integrations.SetNotesAsync(app, V100, "changed meanwhile", Actor);
        var before = Describe((await stores.Integrations.FindAsync(app))!.ToSnapshot());
        var eventsBefore = (await ReadAllEventsAsync(stores)).Count;
        stale.Share(V110, new ActorId("carol"), Actor, T0);
        var job = NewJob(ProductRef.Of(app), VersionKey.ForVersion(V100), VersionKey.ForVersion(V110), MigrationScope.ForUser("carol"), 10, 1);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Migrations.SaveWithIntegrationAsync(job, [job.Started()], stale));
        Assert.Null(await stores.Migrations.FindAsync(job.Id));
        Assert.Equal(before, Describe((await stores.Integrations.FindAsync(app))!.ToSnapshot()));
        Assert.Equal(eventsBefore, (await ReadAllEventsAsync(stores)).Count);

        // Another integration than the job's product: refused, nothing written.
        var other = (await stores.Integrations.FindWithoutAuditTrailAsync(await NewIntegrationWithPrivateTargetAsync(integrations)))!;
        other.Share(V110, new ActorId("carol"), Actor, T0);
        Assert.Equal("integration", (await Assert.ThrowsAsync<ArgumentException>(() => stores.Migrations.SaveWithIntegrationAsync(job, [job.Started()], other))).ParamName);
        Assert.Null(await stores.Migrations.FindAsync(job.Id));
        Assert.DoesNotContain(new ActorId("carol"), (await stores.Integrations.FindAsync(other.Id))!.GetVersion(V110).SharedWith);

        // A fresh integration: both are written, and the integration is marked saved.
        var fresh = (await stores.Integrations.FindWithoutAuditTrailAsync(app))!;
        var revision = fresh.Revision;
        fresh.Share(V110, new ActorId("carol"), Actor, T0);
        var saved = await stores.Migrations.SaveWithIntegrationAsync(job, [job.Started()], fresh);
        Assert.Equal(1, saved.Revision);
        Assert.Equal(revision + 1, fresh.Revision);
        Assert.Empty(fresh.PendingEvents);
        var stored = (await (await ReopenAsync(stores)).Integrations.FindAsync(app))!;
        Assert.Contains(new ActorId("carol"), stored.GetVersion(V110).SharedWith);
        Assert.Equal(revision + 1, stored.Revision);
        Assert.Equal(saved, await stores.Migrations.FindAsync(job.Id));

        // A stale job (the same new job again): the integration's change is not written either.
        var again = (await stores.Integrations.FindWithoutAuditTrailAsync(app))!;
        again.Share(V110, new ActorId("dave"), Actor, T0);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Migrations.SaveWithIntegrationAsync(job, [job.Started()], again));
        Assert.DoesNotContain(new ActorId("dave"), (await stores.Integrations.FindAsync(app))!.GetVersion(V110).SharedWith);
        await AssertTrailMatchesEventsAsync(stores, app);
    }

    /// <summary>
    /// StartMigrationAsync to a Private target for one user shares it and stores the job in one transaction (X9, M3):
    /// with the save failing or cancelled before or after the store call, either both the share and the job are stored
    /// or neither is.
    /// </summary>
    /// <param name="mode">How the save fails.</param>
    /// <returns>A task.</returns>
    [Theory]
    [MemberData(nameof(FaultModes))]
    public virtual async Task Fault_StartMigrationFailsOrIsCancelledAtEverySave_ShareAndJobBothOrNeither_X9_M5(string mode)
    {
        await using var stores = await CreateStoresAsync();
        for (var failAt = 1; ; failAt++)
        {
            var (integrations, _) = Services(stores, stores.Integrations, stores.Migrations);
            var app = await NewIntegrationWithPrivateTargetAsync(integrations);
            using var cancellation = new CancellationTokenSource();
            var plan = Plan(mode, failAt, cancellation);
            var (_, migrations) = Services(stores, new FaultyIntegrationRepository(stores.Integrations, plan), new FaultyMigrationRepository(stores.Migrations, plan));
            var failed = false;
            try
            {
                await migrations.StartMigrationAsync(app, V100, V110, MigrationScope.ForUser("carol"), Actor, cancellationToken: cancellation.Token);
            }
            catch (Exception ex) when (ex is InjectedFaultException or OperationCanceledException)
            {
                failed = true;
            }

            var jobs = await stores.Migrations.ListAsync(ProductRef.Of(app));
            var shared = (await stores.Integrations.FindAsync(app))!.GetVersion(V110).SharedWith.Contains(new ActorId("carol"));
            await AssertTrailMatchesEventsAsync(stores, app);
            if (!failed)
            {
                // Every write call of the command has been tried: the command makes exactly failAt - 1 of them.
                Assert.False(plan.HasFired);
                Assert.Single(jobs);
                Assert.True(shared);
                Assert.True(failAt > 1, "the command made no write call");
                return;
            }

            Assert.True(plan.HasFired);
            var committed = mode.EndsWith("after", StringComparison.Ordinal);
            Assert.Equal(committed ? 1 : 0, jobs.Count);
            Assert.Equal(committed, shared);
        }
    }

    /// <summary>
    /// The batch that completes a job records the completion on its integration or template in the same transaction
    /// (X9): revision + 1, one InstallationsUpgraded audit entry, one event of the product with that revision.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Migration_CompletingBatchRecordsTheProductEntryInTheSameTransaction_X9_M5()
    {
        await using var stores = await CreateStoresAsync();
        var (integrations, _) = Services(stores, stores.Integrations, stores.Migrations);
        var app = await NewIntegrationWithPrivateTargetAsync(integrations);
        var templates = new TemplateService(stores.Templates, stores.Installations, new DefaultAccessPolicy(), new FakeClock(T0), new VersioningOptions());
        var template = await templates.CreateTemplateAsync("Completion " + Tricky, Actor);
        await templates.CreateDraftAsync(template.Id, Workflow(), Actor);
        await templates.PromoteAsync(template.Id, R(1), Actor);

        foreach (var (product, from, to) in new[]
        {
            (ProductRef.Of(app), (VersionKey?)VersionKey.ForVersion(V100), VersionKey.ForVersion(V110)),
            (ProductRef.Of(template.Id), null, VersionKey.ForRelease(R(1))),
        })
        {
            var id = product.Id.ToString("D");
            var revision = await ProductRevisionAsync(stores, product);
            var job = await stores.Migrations.SaveAsync(NewJob(product, from, to, MigrationScope.Percentage(100), 5, 1), []);
            job = await stores.Migrations.RunBatchAsync(job, Actor, T0.PlusTicks(7));
            Assert.Equal(MigrationState.Completed, job.State);
            Assert.Equal(revision + 1, await ProductRevisionAsync(stores, product));
            var trail = await ProductTrailAsync(stores, product);
            var entry = Assert.Single(trail, e => e.Action == AuditAction.InstallationsUpgraded);
            Assert.Contains(job.Id.ToString(), entry.Details, StringComparison.Ordinal);
            Assert.Equal(T0.PlusTicks(7), entry.At);
            Assert.Equal(Actor, entry.Actor);
            var productEvents = (await ReadAllEventsAsync(stores)).Where(e => e.AggregateId == id).ToList();
            Assert.Equal(trail.Count, productEvents.Count);
            var completion = Assert.Single(productEvents, e => e.Type == nameof(AuditAction.InstallationsUpgraded));
            Assert.Equal(revision + 1, completion.AggregateRevision);
            await AssertTrailMatchesEventsAsync(stores, product);
        }
    }

    /// <summary>
    /// A migration whose batches fail or are cancelled at every point, then resumed by a fresh service, records its
    /// completion entry exactly once and never reports a failure after the completing batch committed (X9, M5).
    /// </summary>
    /// <param name="mode">How the save fails.</param>
    /// <returns>A task.</returns>
    [Theory]
    [MemberData(nameof(FaultModes))]
    public virtual async Task Fault_MigrationCompletionFailsOrIsCancelledAtEverySave_EntryRecordedExactlyOnce_X9_M5(string mode)
    {
        await using var stores = await CreateStoresAsync();
        for (var failAt = 1; ; failAt++)
        {
            var (integrations, migrations) = Services(stores, stores.Integrations, stores.Migrations);
            var app = await NewIntegrationWithPrivateTargetAsync(integrations);
            await integrations.PromoteAsync(app, V110, Actor);
            for (var n = 0; n < 7; n++)
            {
                await integrations.InstallAsync(app, OwnerRef.Account("acct" + n), Actor, version: V100);
            }

            var job = await migrations.StartMigrationAsync(app, V100, V110, MigrationScope.Percentage(100), Actor, batchSize: 3);
            using var cancellation = new CancellationTokenSource();
            var plan = Plan(mode, failAt, cancellation);
            var (_, faulty) = Services(stores, new FaultyIntegrationRepository(stores.Integrations, plan), new FaultyMigrationRepository(stores.Migrations, plan));
            var failed = false;
            try
            {
                var ran = await faulty.RunAsync(job.Id, Actor, cancellationToken: cancellation.Token);
                Assert.Equal(MigrationState.Completed, ran.State);
            }
            catch (Exception ex) when (ex is InjectedFaultException or OperationCanceledException)
            {
                failed = true;
            }

            // Resume with a healthy service that knows only the job id.
            var resumed = await migrations.RunAsync(job.Id, Actor);
            Assert.Equal(MigrationState.Completed, resumed.State);
            Assert.Equal(8, resumed.Moved); // the seven accounts and carol
            var trail = (await stores.Integrations.FindAsync(app))!.AuditTrail;
            Assert.Single(trail, e => e.Action == AuditAction.InstallationsUpgraded && e.Details.Contains(job.Id.ToString(), StringComparison.Ordinal));
            await AssertTrailMatchesEventsAsync(stores, app);
            if (!failed)
            {
                Assert.False(plan.HasFired);
                Assert.True(failAt > 3, "an 8-installation job in batches of 3 makes 3 batch calls");
                return;
            }
        }
    }

    /// <summary>
    /// Concurrent writers on the integration while the last batch completes a job (X9, X10): the job completes without
    /// an error, its completion entry is recorded exactly once, and every acknowledged SetNotes is in the trail.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Migration_CompletesUnderConcurrentWriters_EntryOnceNoLostUpdate_X9_X10_M5()
    {
        await using var stores = await CreateStoresAsync();
        var (integrations, migrations) = Services(stores, stores.Integrations, stores.Migrations);
        var app = await NewIntegrationWithPrivateTargetAsync(integrations);
        await integrations.PromoteAsync(app, V110, Actor);
        for (var n = 0; n < 12; n++)
        {
            await integrations.InstallAsync(app, OwnerRef.Account("acct" + n), Actor, version: V100);
        }

        var notesBefore = (await stores.Integrations.FindAsync(app))!.AuditTrail.Count(e => e.Action == AuditAction.NotesChanged);
        var job = await migrations.StartMigrationAsync(app, V100, V110, MigrationScope.Percentage(100), Actor, batchSize: 2);
        using var stop = new CancellationTokenSource();
        var acknowledged = 0;
        var writers = Enumerable.Range(0, ConcurrentWriters).Select(w => Task.Run(async () =>
        {
            var (service, _) = Services(stores, stores.Integrations, stores.Migrations);
            for (var i = 0; !stop.IsCancellationRequested && i < 200; i++)
            {
                await service.SetNotesAsync(app, V100, $"writer {w} note {i}", Actor);
                Interlocked.Increment(ref acknowledged);
            }
        })).ToList();

        var done = await migrations.RunAsync(job.Id, Actor);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.Equal(MigrationState.Completed, done.State);
        Assert.Equal(13, done.Moved); // the twelve accounts and carol
        var trail = (await stores.Integrations.FindAsync(app))!.AuditTrail;
        Assert.Single(trail, e => e.Action == AuditAction.InstallationsUpgraded);
        Assert.Equal(acknowledged, trail.Count(e => e.Action == AuditAction.NotesChanged) - notesBefore);
        await AssertTrailMatchesEventsAsync(stores, app);
    }

    private static FaultPlan Plan(string mode, int failAt, CancellationTokenSource cancellation)
    {
        var phase = mode.EndsWith("after", StringComparison.Ordinal) ? FaultPhase.After : FaultPhase.Before;
        return mode.StartsWith("cancel", StringComparison.Ordinal) ? new FaultPlan(failAt, phase, cancellation) : new FaultPlan(failAt, phase);
    }

    private static (IntegrationService Integrations, MigrationService Migrations) Services(VersioningStores stores, IIntegrationRepository integrations, IMigrationRepository migrations)
    {
        var clock = new FakeClock(T0);
        var policy = new DefaultAccessPolicy();
        var options = new VersioningOptions();
        return (new IntegrationService(integrations, stores.Installations, [], policy, clock, options),
            new MigrationService(integrations, stores.Templates, stores.Installations, migrations, policy, clock, options));
    }

    /// <summary>An integration with 1.0.0 Promoted and 1.1.0 Private; user carol has an installation of 1.0.0.</summary>
    private static async Task<IntegrationId> NewIntegrationWithPrivateTargetAsync(IntegrationService integrations)
    {
        var app = (await integrations.CreateIntegrationAsync("Atomic " + Guid.NewGuid().ToString("N")[..8], Actor)).Id;
        await integrations.CreateVersionAsync(app, V100, Workflow(), Actor);
        await integrations.PromoteAsync(app, V100, Actor);
        await integrations.InstallAsync(app, OwnerRef.User("carol"), new ActorId("carol"), version: V100);
        await integrations.CreateVersionAsync(app, V110, Workflow(), Actor);
        return app;
    }

    private static async Task<long> ProductRevisionAsync(VersioningStores stores, ProductRef product)
        => product.Kind == ProductKind.Template
            ? (await stores.Templates.FindAsync(new TemplateId(product.Id)))!.Revision
            : (await stores.Integrations.FindAsync(new IntegrationId(product.Id)))!.Revision;

    private static async Task<IReadOnlyList<AuditEntry>> ProductTrailAsync(VersioningStores stores, ProductRef product)
        => product.Kind == ProductKind.Template
            ? (await stores.Templates.FindAsync(new TemplateId(product.Id)))!.AuditTrail
            : (await stores.Integrations.FindAsync(new IntegrationId(product.Id)))!.AuditTrail;

    private static Task AssertTrailMatchesEventsAsync(VersioningStores stores, IntegrationId app) => AssertTrailMatchesEventsAsync(stores, ProductRef.Of(app));

    /// <summary>Nothing half-written: one event per audit entry, in the same order, and one revision per distinct event revision.</summary>
    private static async Task AssertTrailMatchesEventsAsync(VersioningStores stores, ProductRef product)
    {
        var trail = await ProductTrailAsync(stores, product);
        var events = (await ReadAllEventsAsync(stores)).Where(e => e.AggregateId == product.Id.ToString("D")).ToList();
        Assert.Equal(trail.Select(e => (e.Action.ToString(), e.Details)), events.Select(e => (e.Type, e.Details)));
        Assert.Equal(await ProductRevisionAsync(stores, product), events.Max(e => e.AggregateRevision));
    }
}
