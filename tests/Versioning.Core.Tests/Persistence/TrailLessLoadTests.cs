using NodaTime.Testing;
using Versioning.Core.Auditing;
using Versioning.Core.Authorization;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Testing;
using Versioning.Core.Testing.Conformance;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Persistence;

/// <summary>
/// Loads without the audit trail (<see cref="IIntegrationRepository.FindWithoutAuditTrailAsync"/>): the default for
/// stores that do not implement it, the snapshot's checks, the in-memory store saving such a copy, and which service
/// calls use it.
/// </summary>
public sealed class TrailLessLoadTests
{
    private static readonly ActorId Owner = new("alice");
    private static readonly Instant At = Instant.FromUtc(2026, 1, 1, 0, 0);

    [Fact]
    public async Task DefaultImplementation_ReturnsTheWholeCopy_T14()
    {
        var store = new InMemoryStore();
        IIntegrationRepository integrations = new OnlyRequiredMembers(new InMemoryIntegrationRepository(store));
        var integration = Integration.Create(IntegrationId.New(), "Default", Owner, At);
        integration.CreateVersion(new VersionNumber(1, 0, 0), null, null, true, Owner, At);
        await integrations.SaveAsync(integration);

        var loaded = (await integrations.FindWithoutAuditTrailAsync(integration.Id))!;

        Assert.Equal(0, loaded.AuditTrailStart);
        Assert.Equal(integration.AuditTrail, loaded.AuditTrail);
    }

    [Fact]
    public void Snapshot_AuditTrailStartNegative_ThrowsNamingIt()
    {
        var snapshot = Saved().ToSnapshot();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Integration.FromSnapshot(snapshot with { AuditTrailStart = -1 }));
        Assert.Equal("auditTrailStart", ex.ParamName);
    }

    [Fact]
    public void Snapshot_NewAggregateWithAuditTrailStart_Throws_T14()
    {
        var snapshot = Integration.Create(IntegrationId.New(), "New", Owner, At).ToSnapshot();

        var ex = Assert.Throws<ArgumentException>(() => Integration.FromSnapshot(snapshot with { AuditTrail = [], AuditTrailStart = 1 }));
        Assert.Equal("auditTrailStart", ex.ParamName);
        Assert.Throws<ArgumentException>(() => Template.FromSnapshot(Template.Create(TemplateId.New(), "New", Owner, At).ToSnapshot() with { AuditTrail = [], AuditTrailStart = 1 }));
    }

    [Fact]
    public void Snapshot_RoundTripsTheStart_AndNewEntriesFollowIt_Z17()
    {
        var whole = Saved().ToSnapshot();
        var light = Integration.FromSnapshot(whole with { AuditTrail = [], AuditTrailStart = whole.AuditTrail.Length });

        light.Promote(new VersionNumber(1, 0, 0), [], Owner, At);

        Assert.Equal(whole.AuditTrail.Length, light.AuditTrailStart);
        Assert.Equal(AuditAction.Promoted, Assert.Single(light.AuditTrail).Action);
        var again = light.ToSnapshot();
        Assert.Equal((whole.AuditTrail.Length, 1), (again.AuditTrailStart, again.AuditTrail.Length));
    }

    [Fact]
    public async Task InMemoryStore_SavingACopyWithoutItsTrail_KeepsTheWholeTrail_Z17()
    {
        var store = new InMemoryStore();
        var integrations = new InMemoryIntegrationRepository(store);
        var integration = Integration.Create(IntegrationId.New(), "Merge", Owner, At);
        integration.CreateVersion(new VersionNumber(1, 0, 0), null, null, true, Owner, At);
        await integrations.SaveAsync(integration);
        var before = integration.AuditTrail.ToList();

        var light = Integration.FromSnapshot(integration.ToSnapshot() with { AuditTrail = [], AuditTrailStart = before.Count });
        light.Promote(new VersionNumber(1, 0, 0), [], Owner, At);
        await integrations.SaveAsync(light);

        var after = (await integrations.FindAsync(integration.Id))!;
        Assert.Equal(0, after.AuditTrailStart);
        Assert.Equal(before.Concat(light.AuditTrail), after.AuditTrail);
    }

    [Fact]
    public async Task InMemoryStore_CopyWhoseStartDisagreesWithTheStoredTrail_IsRefusedAndWritesNothing_X1()
    {
        var store = new InMemoryStore();
        var integrations = new InMemoryIntegrationRepository(store);
        var templates = new InMemoryTemplateRepository(store);
        var integration = Integration.Create(IntegrationId.New(), "Mismatch", Owner, At);
        integration.CreateVersion(new VersionNumber(1, 0, 0), null, null, true, Owner, At);
        await integrations.SaveAsync(integration);
        var template = Template.Create(TemplateId.New(), "Mismatch", Owner, At);
        var other = Template.Create(TemplateId.New(), "Other", Owner, At);
        await templates.SaveAllAsync([template, other]);

        var wrong = Integration.FromSnapshot(integration.ToSnapshot() with { AuditTrail = [], AuditTrailStart = integration.AuditTrail.Count + 1 });
        wrong.Promote(new VersionNumber(1, 0, 0), [], Owner, At);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => integrations.SaveAsync(wrong));
        Assert.Equal("integration", ex.ParamName);

        var renamed = (await templates.FindAsync(other.Id))!;
        renamed.Rename("Renamed", Owner, At);
        var wrongTemplate = Template.FromSnapshot(template.ToSnapshot() with { AuditTrail = [], AuditTrailStart = 5 });
        wrongTemplate.Rename("Never", Owner, At);
        Assert.Equal("templates", (await Assert.ThrowsAsync<ArgumentException>(() => templates.SaveAllAsync([renamed, wrongTemplate]))).ParamName);

        Assert.Equal(1, (await integrations.FindAsync(integration.Id))!.Revision);
        Assert.Equal("Other", (await templates.FindAsync(other.Id))!.Name);
        Assert.Equal("Mismatch", (await templates.FindAsync(template.Id))!.Name);
    }

    [Fact]
    public async Task IntegrationService_CommandsLoadWithoutTheTrail_ButReturnedAggregatesAreWhole_Z17()
    {
        var store = new InMemoryStore();
        var integrations = new TrailLessIntegrations(new InMemoryIntegrationRepository(store));
        var service = new IntegrationService(integrations, new InMemoryInstallationRepository(store), [], new DefaultAccessPolicy(), new FakeClock(At), new VersioningOptions());
        var id = (await service.CreateIntegrationAsync("Service", Owner)).Id;
        await service.CreateVersionAsync(id, new VersionNumber(1, 0, 0), null, Owner);
        await service.SetNotesAsync(id, new VersionNumber(1, 0, 0), "Notes.", Owner);
        await service.PromoteAsync(id, new VersionNumber(1, 0, 0), Owner);
        Assert.Equal((3, 0), (integrations.TrailLessLoads, integrations.WholeLoads));

        var returned = await service.AddTeamMemberAsync(id, new ActorId("bob"), Owner);
        var read = await service.GetIntegrationAsync(id, Owner);

        Assert.Equal(2, integrations.WholeLoads);
        Assert.Equal(0, returned.AuditTrailStart);
        Assert.Equal(
            [AuditAction.Created, AuditAction.ReleaseCreated, AuditAction.NotesChanged, AuditAction.Promoted, AuditAction.TeamChanged],
            read.AuditTrail.Select(e => e.Action));
        Assert.Equal(read.AuditTrail, returned.AuditTrail);
    }

    [Fact]
    public async Task TemplateService_CommandsLoadWithoutTheTrail_ButReturnedAggregatesAreWhole_T14()
    {
        var store = new InMemoryStore();
        var templates = new TrailLessTemplates(new InMemoryTemplateRepository(store));
        var service = new TemplateService(templates, new InMemoryInstallationRepository(store), new DefaultAccessPolicy(), new FakeClock(At), new VersioningOptions());
        var id = (await service.CreateTemplateAsync("Service", Owner)).Id;
        await service.CreateDraftAsync(id, null, Owner);
        await service.PromoteAsync(id, R(1), Owner);
        Assert.Equal((2, 0), (templates.TrailLessLoads, templates.WholeLoads));

        var returned = await service.RenameAsync(id, "Renamed", Owner);
        var read = await service.GetTemplateAsync(id, Owner);

        Assert.Equal(2, templates.WholeLoads);
        Assert.Equal(0, returned.AuditTrailStart);
        Assert.Equal(read.AuditTrail, returned.AuditTrail);
        Assert.Equal(AuditAction.Created, read.AuditTrail[0].Action);
        Assert.Contains(read.AuditTrail, e => e.Action == AuditAction.Promoted);
    }

    private static Integration Saved()
    {
        var integration = Integration.Create(IntegrationId.New(), "Saved", Owner, At);
        integration.CreateVersion(new VersionNumber(1, 0, 0), null, null, true, Owner, At);
        integration.MarkSaved(1);
        return integration;
    }

    /// <summary>A store that implements only what it must: <c>FindWithoutAuditTrailAsync</c> is the interface's default.</summary>
    private sealed class OnlyRequiredMembers(IIntegrationRepository inner) : IIntegrationRepository
    {
        public Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

        public Task SaveAsync(Integration integration, CancellationToken cancellationToken = default) => inner.SaveAsync(integration, cancellationToken);

        public Task<IReadOnlyList<IntegrationSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}

/// <summary>The in-memory integration store, with loads for commands that leave the history out (as the SQL stores do).</summary>
internal sealed class TrailLessIntegrations(IIntegrationRepository inner) : IIntegrationRepository
{
    public int WholeLoads { get; private set; }

    public int TrailLessLoads { get; private set; }

    public Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default)
    {
        WholeLoads++;
        return inner.FindAsync(id, cancellationToken);
    }

    public async Task<Integration?> FindWithoutAuditTrailAsync(IntegrationId id, CancellationToken cancellationToken = default)
    {
        TrailLessLoads++;
        var whole = (await inner.FindAsync(id, cancellationToken).ConfigureAwait(false))?.ToSnapshot();
        return whole is null ? null : Integration.FromSnapshot(whole with { AuditTrail = [], AuditTrailStart = whole.AuditTrail.Length });
    }

    public Task SaveAsync(Integration integration, CancellationToken cancellationToken = default) => inner.SaveAsync(integration, cancellationToken);

    public Task<IReadOnlyList<IntegrationSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
}

/// <summary>The in-memory template store, with loads for commands that leave the audit trail out.</summary>
internal sealed class TrailLessTemplates(ITemplateRepository inner) : ITemplateRepository
{
    public int WholeLoads { get; private set; }

    public int TrailLessLoads { get; private set; }

    public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default)
    {
        WholeLoads++;
        return inner.FindAsync(id, cancellationToken);
    }

    public async Task<Template?> FindWithoutAuditTrailAsync(TemplateId id, CancellationToken cancellationToken = default)
    {
        TrailLessLoads++;
        var whole = (await inner.FindAsync(id, cancellationToken).ConfigureAwait(false))?.ToSnapshot();
        return whole is null ? null : Template.FromSnapshot(whole with { AuditTrail = [], AuditTrailStart = whole.AuditTrail.Length });
    }

    public Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default) => inner.SaveAllAsync(templates, cancellationToken);

    public Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
}

/// <summary>
/// The whole conformance suite against the in-memory store behind wrappers whose command loads leave the trail out, so
/// the in-memory store's saving of such copies goes through every contract test.
/// </summary>
public sealed class TrailLessInMemoryStoreConformanceTests : StoreConformanceTests
{
    /// <inheritdoc />
    protected override Task<VersioningStores> CreateStoresAsync()
    {
        var store = new InMemoryStore();
        return Task.FromResult(new VersioningStores(
            new TrailLessTemplates(new InMemoryTemplateRepository(store)),
            new TrailLessIntegrations(new InMemoryIntegrationRepository(store)),
            new InMemoryInstallationRepository(store),
            new InMemoryMigrationRepository(store),
            new InMemoryEventReader(store)));
    }
}
