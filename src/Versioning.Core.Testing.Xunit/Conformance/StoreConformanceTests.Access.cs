using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Xunit;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>A template's owner team is stored: members added and removed over several saves read back exactly (X7).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_Team_PersistsAcrossSavesAndReopening_X7()
    {
        await using var stores = await CreateStoresAsync();
        var template = Template.Create(TemplateId.New(), "Team " + Tricky, Actor, T0);
        template.AddTeamMember(new ActorId("b-'quoted' \"ünïcødé\" [json]"), Actor, T0);
        template.AddTeamMember(new ActorId("carol"), Actor, T0);
        await stores.Templates.SaveAsync(template);

        var loaded = (await (await ReopenAsync(stores)).Templates.FindWithoutAuditTrailAsync(template.Id))!;
        Assert.Equal([.. template.Team.Order()], loaded.Team.Order());
        Assert.True(loaded.IsTeamMember(new ActorId("carol")));

        loaded.RemoveTeamMember(new ActorId("carol"), Actor, T0.PlusTicks(1));
        await stores.Templates.SaveAsync(loaded);
        var again = (await (await ReopenAsync(stores)).Templates.FindAsync(template.Id))!;
        Assert.False(again.IsTeamMember(new ActorId("carol")));
        Assert.Equal(2, again.Team.Count);
        Assert.Equal(Describe(loaded.ToSnapshot() with { AuditTrail = [.. again.AuditTrail], AuditTrailStart = 0, Revision = again.Revision }), Describe(again.ToSnapshot()));
    }

    /// <summary>
    /// Shares keep their principal kind (X8, M3): a version shared with the account "acme" and one shared with the user
    /// "acme" read back as such, and the user is not given the account's share.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_Shares_KeepThePrincipalKind_X8()
    {
        await using var stores = await CreateStoresAsync();
        var integration = Integration.Create(IntegrationId.New(), "Principals", Actor, T0);
        integration.CreateVersion(VersionNumber.Parse("1.0.0"), Workflow(), null, false, Actor, T0);
        integration.CreateVersion(VersionNumber.Parse("1.1.0"), Workflow(), null, false, Actor, T0);
        integration.Share(VersionNumber.Parse("1.0.0"), OwnerRef.Account("acme"), Actor, T0);
        integration.Share(VersionNumber.Parse("1.1.0"), OwnerRef.User("acme"), Actor, T0);
        await stores.Integrations.SaveAsync(integration);

        var loaded = (await (await ReopenAsync(stores)).Integrations.FindAsync(integration.Id))!;
        Assert.Equal(Describe(integration.ToSnapshot()), Describe(loaded.ToSnapshot()));
        Assert.Equal(["acme"], loaded.GetVersion(VersionNumber.Parse("1.0.0")).SharedWithAccounts);
        Assert.Empty(loaded.GetVersion(VersionNumber.Parse("1.0.0")).SharedWith);
        Assert.Equal([new ActorId("acme")], loaded.GetVersion(VersionNumber.Parse("1.1.0")).SharedWith);
        Assert.Empty(loaded.GetVersion(VersionNumber.Parse("1.1.0")).SharedWithAccounts);
        Assert.False(loaded.CanAccess(VersionNumber.Parse("1.0.0"), new ActorId("acme")));
        Assert.True(loaded.CanAccess(VersionNumber.Parse("1.0.0"), OwnerRef.Account("acme")));
        Assert.False(loaded.CanAccess(VersionNumber.Parse("1.1.0"), OwnerRef.Account("acme")));
    }
}
