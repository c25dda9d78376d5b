using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.Auditing;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Xunit;
using Versioning.Core.Aggregates;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>
    /// A3: the store registered in a container drives both lifecycles through the services resolved from it — create,
    /// promote, install, upgrade a template; create, promote, install, migrate an integration — and a second container over
    /// the same database reads back exactly what the first wrote.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Services_ResolvedFromTheContainer_RunBothLifecyclesOnTheStore_A3()
    {
        await using var stores = await CreateStoresAsync();
        var host = HostOf(stores);

        var template = await host.Templates.CreateTemplateAsync("Services " + Tricky, Actor);
        var first = await host.Templates.CreateDraftAsync(template.Id, Workflow(), Actor);
        await host.Templates.PromoteAsync(template.Id, first.Number, Actor);
        await host.Templates.SetPublishedAsync(template.Id, true, Actor);
        var templateInstall = await host.Templates.InstallAsync(template.Id, OwnerRef.User("ann"), Actor, [new("token", Tricky)]);
        var second = await host.Templates.CreateDraftAsync(template.Id, Workflow(), Actor);
        await host.Templates.PromoteAsync(template.Id, second.Number, Actor);
        var upgrade = await host.Migrations.RunAsync((await host.Migrations.StartUpgradeAsync(template.Id, MigrationScope.All, Actor)).Id, Actor);

        var integration = await host.Integrations.CreateIntegrationAsync("Services " + Tricky, Actor);
        var (v1, v2) = (VersionNumber.Parse("1.0.0"), VersionNumber.Parse("1.1.0"));
        foreach (var version in new[] { v1, v2 })
        {
            await host.Integrations.CreateVersionAsync(integration.Id, version, Workflow(), Actor);
            await host.Integrations.SetNotesAsync(integration.Id, version, "Notes " + Tricky, Actor);
            if (version == v1)
            {
                await host.Integrations.PromoteAsync(integration.Id, v1, Actor);
            }
        }

        var integrationInstall = await host.Integrations.InstallAsync(integration.Id, OwnerRef.Account("acme"), Actor);
        await host.Integrations.PromoteAsync(integration.Id, v2, Actor);
        var migration = await host.Migrations.RunAsync((await host.Migrations.StartMigrationAsync(integration.Id, v1, v2, MigrationScope.All, Actor)).Id, Actor);

        Assert.Equal((MigrationState.Completed, 1), (upgrade.State, upgrade.Moved));
        Assert.Equal((MigrationState.Completed, 1), (migration.State, migration.Moved));
        var again = HostOf(await ReopenAsync(stores));
        Assert.Equal(VersionKey.ForRelease(second.Number), (await again.Installations.GetAsync(templateInstall.Id, Actor)).Pinned);
        Assert.Equal(VersionKey.ForVersion(v2), (await again.Installations.GetAsync(integrationInstall.Id, Actor)).Pinned);
        Assert.Equal(Tricky, (await again.Installations.GetAsync(templateInstall.Id, Actor)).Settings["token"]);
        Assert.Equal(AuditAction.InstallationsUpgraded, (await again.Templates.GetTemplateAsync(template.Id, Actor)).AuditTrail[^1].Action);
        Assert.Equal(AuditAction.InstallationsUpgraded, (await again.Integrations.GetIntegrationAsync(integration.Id, Actor)).AuditTrail[^1].Action);
        Assert.Equal(MigrationState.Completed, (await again.Migrations.GetJobAsync(migration.Id, Actor)).State);
    }

    /// <summary>
    /// A3: commands the services run on copies loaded without their trail write exactly the aggregate's
    /// <see cref="AggregateRoot.NewAuditEntries"/>, numbered after the stored entries: the whole trail read back is every
    /// change in order, one entry per stored event of the aggregate.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task NewAuditEntries_WrittenByServiceCommands_ContinueTheStoredTrailInOrder_A3()
    {
        await using var stores = await CreateStoresAsync();
        var host = HostOf(stores);
        var template = await host.Templates.CreateTemplateAsync("Trail", Actor);
        var draft = await host.Templates.CreateDraftAsync(template.Id, Workflow(), Actor);
        await host.Templates.SetNotesAsync(template.Id, draft.Number, "Notes " + Tricky, Actor);
        await host.Templates.RunAsync(template.Id, draft.Number, Actor);
        await host.Templates.PromoteAsync(template.Id, draft.Number, Actor);
        await host.Templates.RenameAsync(template.Id, "Trail renamed", Actor);

        var light = (await stores.Templates.FindWithoutAuditTrailAsync(template.Id))!;
        light.SetPublished(true, Actor, T0);
        var added = Assert.Single(light.NewAuditEntries);
        Assert.Equal(light.AuditTrailStart, added.Sequence);
        await stores.Templates.SaveAsync(light);
        Assert.Empty(light.NewAuditEntries);

        var whole = (await (await ReopenAsync(stores)).Templates.FindAsync(template.Id))!;
        var events = (await ReadAllEventsAsync(stores)).Where(e => e.AggregateId == template.Id.ToString()).ToList();
        Assert.Equal(
            [AuditAction.Created, AuditAction.ReleaseCreated, AuditAction.NotesChanged, AuditAction.Started, AuditAction.Promoted, AuditAction.Renamed, AuditAction.Published],
            whole.AuditTrail.Select(e => e.Action));
        Assert.Equal(events.Select(e => e.Type), whole.AuditTrail.Select(e => e.Action.ToString()));
        Assert.Equal(added.Entry.Details, whole.AuditTrail[added.Sequence].Details);
    }

    /// <summary>
    /// A3, A2: the container holds the store's repositories and one product repository per lifecycle over them, so the
    /// services that work on every lifecycle (a generic install, a generic migration start) find products in this store.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Container_FindsProductsOfEveryLifecycleInTheStore_A3()
    {
        await using var stores = await CreateStoresAsync();
        var host = HostOf(stores);
        Assert.Same(stores.Templates, host.Services.GetRequiredService<ITemplateRepository>());
        Assert.Same(stores.Installations, host.Services.GetRequiredService<IInstallationRepository>());
        Assert.Equal([ProductKind.Template, ProductKind.Integration], host.Services.GetServices<IProductRepository>().Select(r => r.Kind).Order());

        var template = await host.Templates.CreateTemplateAsync("Generic", Actor);
        var draft = await host.Templates.CreateDraftAsync(template.Id, Workflow(), Actor);
        await host.Templates.PromoteAsync(template.Id, draft.Number, Actor);
        await host.Templates.SetPublishedAsync(template.Id, true, Actor);
        var installed = await host.Installations.InstallAsync(ProductRef.Of(template.Id), OwnerRef.User("ann"), Actor);
        var job = await host.Migrations.StartAsync(ProductRef.Of(template.Id), null, null, MigrationScope.All, Actor);

        Assert.Equal(VersionKey.ForRelease(draft.Number), installed.Pinned);
        Assert.Equal(VersionKey.ForRelease(draft.Number), job.To);
        Assert.Equal(0, job.Total);
        Assert.Equal(Describe(installed), Describe((await stores.Installations.FindAsync(installed.Id))!));
    }
}
