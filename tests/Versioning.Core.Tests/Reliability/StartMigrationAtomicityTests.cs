using NodaTime;
using NodaTime.Testing;
using Versioning.Core.Authorization;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Testing.Faults;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Reliability;

/// <summary>
/// X9 at the service level, in memory: starting a one-user migration to a Private version shares it and stores the job
/// in one write, so a write that fails or is cancelled leaves neither (the conformance suite repeats this per store).
/// </summary>
public sealed class StartMigrationAtomicityTests
{
    private static readonly ActorId Team = new("team");
    private static readonly VersionNumber V100 = new(1, 0, 0);
    private static readonly VersionNumber V110 = new(1, 1, 0);

    [Theory]
    [InlineData(FaultPhase.Before, false)]
    [InlineData(FaultPhase.After, true)]
    public async Task StartMigrationAsync_TheOneWriteFails_ShareAndJobBothOrNeither_X9(FaultPhase phase, bool committed)
    {
        var store = new InMemoryStore();
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0));
        var options = new VersioningOptions();
        var integrations = new InMemoryIntegrationRepository(store);
        var installations = new InMemoryInstallationRepository(store);
        var migrations = new InMemoryMigrationRepository(store);
        var service = new IntegrationService(integrations, installations, [], new DefaultAccessPolicy(), clock, options);
        var workflow = new WorkflowDefinition([new Step("Lead", new ConnectorRef("Crm", "1"), "Create")]);
        var app = (await service.CreateIntegrationAsync("Atomic start", Team)).Id;
        await service.CreateVersionAsync(app, V100, workflow, Team);
        await service.SetNotesAsync(app, V100, "First.", Team);
        await service.PromoteAsync(app, V100, Team);
        await service.InstallAsync(app, OwnerRef.User("carol"), new ActorId("carol"), version: V100);
        await service.CreateVersionAsync(app, V110, workflow, Team);
        var revision = (await integrations.FindAsync(app))!.Revision;

        // The first write call of the command is its only one: it fails before or after reaching the store.
        var plan = new FaultPlan(failAt: 1, phase);
        var faulty = new MigrationService(new FaultyIntegrationRepository(integrations, plan), new InMemoryTemplateRepository(store), installations,
            new FaultyMigrationRepository(migrations, plan), new DefaultAccessPolicy(), clock, options);

        await Assert.ThrowsAsync<InjectedFaultException>(() => faulty.StartMigrationAsync(app, V100, V110, MigrationScope.ForUser("carol"), Team));

        var stored = (await integrations.FindAsync(app))!;
        Assert.Equal(committed, stored.GetVersion(V110).SharedWith.Contains(new ActorId("carol")));
        Assert.Equal(committed ? revision + 1 : revision, stored.Revision);
        Assert.Equal(committed ? 1 : 0, (await migrations.ListAsync(ProductRef.Of(app))).Count);
        Assert.True(plan.HasFired);
    }
}
