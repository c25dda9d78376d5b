using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using Versioning.Core.Auditing;
using Versioning.Core.Authorization;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Tests.Docs;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Aggregates;

/// <summary>
/// A2: a third lifecycle, defined only here (<see cref="Playbook"/>), gets installations, I3 answers, access checks and a
/// migration end to end on the in-memory store through the shared services and the generic in-memory product store,
/// registered through DI like the two built-in lifecycles. No service or store was copied for it.
/// </summary>
public sealed class ThirdLifecycleTests : IDisposable
{
    private static readonly ActorId Team = new("team");
    private static readonly ActorId Mallory = new("mallory");
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 5, 1, 8, 0));
    private readonly ServiceProvider _provider;

    public ThirdLifecycleTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(_clock);
        services.AddVersioning(o => o.ConflictRetryBaseDelay = TimeSpan.Zero);
        services.AddSingleton(sp => new InMemoryProductRepository<Playbook, PlaybookSnapshot>(
            sp.GetRequiredService<InMemoryStore>(), Playbook.Kind, p => p.ToSnapshot(), Playbook.FromSnapshot));
        services.AddSingleton<IProductRepository>(sp => sp.GetRequiredService<InMemoryProductRepository<Playbook, PlaybookSnapshot>>());
        _provider = services.BuildServiceProvider();
    }

    private InMemoryProductRepository<Playbook, PlaybookSnapshot> Playbooks => _provider.GetRequiredService<InMemoryProductRepository<Playbook, PlaybookSnapshot>>();

    private InstallationService Installations => _provider.GetRequiredService<InstallationService>();

    private MigrationService Migrations => _provider.GetRequiredService<MigrationService>();

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task ThirdLifecycle_InstallsRunsAndMigratesThroughTheSharedServices_A2()
    {
        var playbook = await SavedPlaybookAsync(released: 1, drafts: 1);
        var owners = new[] { OwnerRef.User("ann"), OwnerRef.User("bob"), OwnerRef.Account("acme") };
        var installed = new List<Installation>();
        foreach (var owner in owners)
        {
            installed.Add(await Installations.InstallAsync(playbook.Product, owner, Team, [new("region", "eu")]));
        }

        Assert.All(installed, i => Assert.Equal("1", i.Pinned.Value));
        Assert.All(installed, i => Assert.Equal(playbook.Product, i.Product));
        Assert.False(await Installations.CanRunAsync(installed[0].Id, Team));
        await Installations.SetStatusAsync(installed[0].Id, RunStatus.Running, Team);
        Assert.True(await Installations.CanRunAsync(installed[0].Id, Team));

        // Edition 2 is released; every installation on edition 1 moves to it, a batch of 2 at a time.
        var loaded = (await Playbooks.FindAsync(playbook.Id))!;
        loaded.Apply(2, EditionAction.OpenBeta, Team, _clock.GetCurrentInstant());
        loaded.Apply(2, EditionAction.Release, Team, _clock.GetCurrentInstant());
        await Playbooks.SaveAsync(loaded);
        var job = await Migrations.StartAsync(playbook.Product, Key(1), Key(2), MigrationScope.All, Team, batchSize: 2);
        Assert.Equal(3, job.Total);
        var done = await Migrations.RunAsync(job.Id, Team);

        Assert.Equal(MigrationState.Completed, done.State);
        Assert.Equal(3, done.Moved);
        foreach (var installation in installed)
        {
            var after = await Installations.GetAsync(installation.Id, Team);
            Assert.Equal("2", after.Pinned.Value);
            Assert.Equal(installation.Settings, after.Settings);
        }

        // X9: the completion is recorded once on the playbook itself: revision + 1, one trail entry, one event of its kind.
        var whole = (await Playbooks.FindAsync(playbook.Id))!;
        Assert.Equal(loaded.Revision + 1, whole.Revision);
        Assert.Equal(AuditAction.InstallationsUpgraded, whole.AuditTrail[^1].Action);
        var events = await _provider.GetRequiredService<Versioning.Core.Events.IEventReader>().ReadAsync(0, 1000);
        var completion = Assert.Single(events, e => e.Type == nameof(AuditAction.InstallationsUpgraded));
        Assert.Equal("Playbook", completion.AggregateKind);
        Assert.Equal(whole.Revision, completion.AggregateRevision);
        Assert.Contains(await Migrations.ListJobsAsync(playbook.Product, Team), j => j.Id == job.Id);

        // I3 through the contract: retiring edition 2 stops its installations.
        whole.Apply(2, EditionAction.Retire, Team, _clock.GetCurrentInstant());
        await Playbooks.SaveAsync(whole);
        Assert.False(await Installations.CanRunAsync(installed[0].Id, Team));
    }

    [Fact]
    public async Task ThirdLifecycle_Refusals_ComeFromItsOwnLifecycle_AndChangeNothing_A2()
    {
        var playbook = await SavedPlaybookAsync(released: 1, drafts: 1);
        var before = Events();

        var install = await Assert.ThrowsAsync<VersioningRuleException>(() => Installations.InstallAsync(playbook.Product, OwnerRef.User("ann"), Team, version: Key(2)));
        Assert.Equal("E4", install.RuleId);
        Assert.Equal("Playbook", install.AggregateKind);
        var migrate = await Assert.ThrowsAsync<VersioningRuleException>(() => Migrations.StartAsync(playbook.Product, Key(1), Key(2), MigrationScope.All, Team));
        Assert.Equal("E5", migrate.RuleId);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Migrations.StartAsync(playbook.Product, Key(1), Key(9), MigrationScope.All, Team));

        Assert.Equal(before, Events());
    }

    [Fact]
    public async Task ThirdLifecycle_Outsiders_AreDeniedByTheSharedPolicy_X7_A2()
    {
        var playbook = await SavedPlaybookAsync(released: 2, drafts: 0);
        var mine = await Installations.InstallAsync(playbook.Product, OwnerRef.User(Mallory.Value), Mallory);
        var before = Events();

        var denied = await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => Migrations.StartAsync(playbook.Product, Key(1), Key(2), MigrationScope.All, Mallory));
        Assert.Contains("Playbook", denied.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => Installations.InstallAsync(playbook.Product, OwnerRef.User("ann"), Mallory));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Installations.GetAsync(mine.Id, new ActorId("eve")));
        Assert.Single(await Installations.ListAsync(playbook.Product, Mallory, null, 10));

        Assert.Equal(before, Events());
    }

    [Fact]
    public async Task ThirdLifecycle_TargetRetiredMidMigration_FailsTheJobBeforeTheNextBatch_A2()
    {
        var playbook = await SavedPlaybookAsync(released: 2, drafts: 0);
        for (var i = 0; i < 4; i++)
        {
            await Installations.InstallAsync(playbook.Product, OwnerRef.User($"user{i}"), Team, version: Key(1));
        }

        var job = await Migrations.StartAsync(playbook.Product, Key(1), Key(2), MigrationScope.All, Team, batchSize: 2);
        var first = await Migrations.RunAsync(job.Id, Team, maxBatches: 1);
        Assert.Equal(2, first.Moved);
        var loaded = (await Playbooks.FindWithoutAuditTrailAsync(playbook.Id))!;
        loaded.Apply(2, EditionAction.Retire, Team, _clock.GetCurrentInstant());
        await Playbooks.SaveAsync(loaded);

        var failed = await Migrations.RunAsync(job.Id, Team);

        Assert.Equal(MigrationState.Failed, failed.State);
        Assert.Equal(2, failed.Moved);
        Assert.Contains("E5", failed.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductOfAnUnregisteredKind_IsRefusedClearly_A2()
    {
        var unknown = new ProductRef(ProductKind.FirstCustom + 1, Guid.NewGuid());

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Installations.InstallAsync(unknown, OwnerRef.User("ann"), Team));
        Assert.Contains("IProductRepository", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryProductRepository<Playbook, PlaybookSnapshot>(new InMemoryStore(), ProductKind.Template, p => p.ToSnapshot(), Playbook.FromSnapshot));
    }

    [Fact]
    public async Task InMemoryProductStore_StaleCopy_IsAConflict_AndWritesNothing_X3_A2()
    {
        var playbook = await SavedPlaybookAsync(released: 1, drafts: 1);
        var first = (await Playbooks.FindAsync(playbook.Id))!;
        var second = (await Playbooks.FindWithoutAuditTrailAsync(playbook.Id))!;
        first.Apply(2, EditionAction.OpenBeta, Team, _clock.GetCurrentInstant());
        await Playbooks.SaveAsync(first);
        var before = Events();

        second.Apply(2, EditionAction.OpenBeta, Team, _clock.GetCurrentInstant());
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Playbooks.SaveAsync(second));

        Assert.Equal(before, Events());
        Assert.Equal(first.AuditTrail.Count, (await Playbooks.FindAsync(playbook.Id))!.AuditTrail.Count);
    }

    [Fact]
    public void Services_NeverBranchOnTheProductKind_A2()
    {
        var core = Path.Combine(RepositoryRoot.Path, "src", "Versioning.Core");
        var services = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f).Contains("Service", StringComparison.Ordinal) || f.Contains($"{Path.DirectorySeparatorChar}Services{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        Assert.Contains(services, f => f.EndsWith("MigrationService.cs", StringComparison.Ordinal));
        Assert.Contains(services, f => f.EndsWith("InstallationService.cs", StringComparison.Ordinal));
        Assert.All(services, f => Assert.DoesNotContain("ProductKind.", File.ReadAllText(f), StringComparison.Ordinal));
    }

    private static VersionKey Key(int number) => VersionKey.FromStored(number.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private long Events() => _provider.GetRequiredService<InMemoryStore>().EventCount;

    private async Task<Playbook> SavedPlaybookAsync(int released, int drafts)
    {
        var at = _clock.GetCurrentInstant();
        var playbook = Playbook.Create("Onboarding", Team, at);
        for (var i = 0; i < released + drafts; i++)
        {
            var number = playbook.AddEdition(Team, at);
            if (i < released)
            {
                playbook.Apply(number, EditionAction.OpenBeta, Team, at);
                playbook.Apply(number, EditionAction.Release, Team, at);
            }
        }

        await Playbooks.SaveAsync(playbook);
        return playbook;
    }
}
