using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

public partial class IntegrationServiceTests
{
    [Fact]
    public async Task Install_NoVersionNamed_GetsThePromotedVersion_Z10()
    {
        var id = await _h.EveryStateAsync();

        var installation = await _h.InstallAsync(id, null, Outsider);

        Assert.Equal("1.1.0", installation.Pinned.Value);
        Assert.Equal(ProductRef.Of(id), installation.Product);
        Assert.Equal(RunStatus.Paused, installation.Status);
    }

    [Fact]
    public async Task Install_NamesAvailableVersion_GetsIt_Z10()
    {
        var id = await _h.EveryStateAsync();

        var installation = await _h.InstallAsync(id, "1.0.0", Outsider);

        Assert.Equal("1.0.0", installation.Pinned.Value);
    }

    [Fact]
    public async Task Install_NamesAccessiblePrivateVersion_GetsIt_Z10()
    {
        var id = await _h.EveryStateAsync();
        await _h.Service.ShareAsync(id, V("1.4.0"), Outsider, Owner);

        Assert.Equal("1.4.0", (await _h.InstallForSelfAsync(id, "1.4.0", Outsider)).Pinned.Value);
        Assert.Equal("1.4.0", (await _h.InstallAsync(id, "1.4.0", Owner)).Pinned.Value);
    }

    [Theory]
    [InlineData("1.2.0", "Z11", "Legacy")]
    [InlineData("1.3.0", "Z13", "Deprecating")]
    public async Task Install_NamesRetiredVersion_Refused_Z10(string number, string rule, string state)
    {
        var id = await _h.EveryStateAsync();

        var ex = await RefusedAsync(rule, () => _h.InstallAsync(id, number, Owner));

        Assert.Equal(state, ex.State);
        Assert.Empty(await _h.Installations.ListAsync(ProductRef.Of(id), null, 100));
    }

    [Fact]
    public async Task Install_NamesDeprecatedVersion_Refused_Z14()
    {
        var id = await _h.EveryStateAsync();
        _h.Clock.AdvanceDays(30);

        var ex = await RefusedAsync("Z14", () => _h.InstallAsync(id, "1.3.0", Owner));

        Assert.Equal("Deprecated", ex.State);
        Assert.Equal("version 1.3.0", ex.Subject);
    }

    [Fact]
    public async Task Install_NoPromotedVersionAndNoneNamed_Refused_Z10()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        var ex = await RefusedAsync("Z10", () => _h.InstallAsync(id, null, Owner));

        Assert.Equal("Integration", ex.AggregateKind);
        Assert.Contains("name a version", ex.Message);
    }

    [Fact]
    public async Task Install_NamesMissingVersion_ThrowsNotFound_Z10()
    {
        var id = await _h.EveryStateAsync();

        var ex = await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.InstallAsync(id, "9.9.9", Owner));

        Assert.Equal(("Version", "9.9.9"), (ex.Kind, ex.Id));
    }

    [Fact]
    public async Task Install_AfterPromotingAnotherVersion_NewInstallationsGetTheNewOneAndOldOnesStay_Z10()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.1.0");
        await _h.PromoteAsync(id, "1.0.0");
        var old = await _h.InstallAsync(id, null, Outsider, "first");

        await _h.PromoteAsync(id, "1.1.0");
        var fresh = await _h.InstallAsync(id, null, Outsider, "second");

        Assert.Equal("1.1.0", fresh.Pinned.Value);
        Assert.Equal("1.0.0", (await _h.Installations.FindAsync(old.Id))!.Pinned.Value);
    }

    [Fact]
    public async Task DeprecatedVersion_CanBeMigrationSourceNeverTarget_Z14()
    {
        var id = await _h.EveryStateAsync();
        _h.Clock.AdvanceDays(30);

        var actions = (await _h.Service.GetActionsAsync(id, V("1.3.0"), Owner)).ToDictionary(a => a.Action);

        Assert.True(actions[VersionAction.MigrateFrom].IsPermitted);
        Assert.False(actions[VersionAction.MigrateTo].IsPermitted);
        Assert.Equal("Z14", actions[VersionAction.MigrateTo].BlockedBy.RuleId);
        Assert.False(actions[VersionAction.Install].IsPermitted);
        Assert.Equal("Z14", actions[VersionAction.Install].BlockedBy.RuleId);
        Assert.False(actions[VersionAction.Promote].IsPermitted);
    }

    [Fact]
    public async Task DeprecatedVersion_StopsRunningExistingInstallations_Z14()
    {
        var id = await _h.EveryStateAsync();
        // Installed while still Available, before the version was deprecated.
        var installation = await _h.InstallAsync(id, "1.0.0", Owner);
        await _h.DeprecateAsync(id, "1.0.0", 21);
        var capabilities = VersionLifecycle.Definition;

        var deprecatingState = await StateNowAsync(id, "1.0.0");
        _h.Clock.AdvanceDays(21);
        var deprecatedState = await StateNowAsync(id, "1.0.0");

        Assert.True(capabilities.Has(deprecatingState, Versioning.Core.Lifecycles.StateCapabilities.RunsExistingInstallations));
        Assert.False(capabilities.Has(deprecatedState, Versioning.Core.Lifecycles.StateCapabilities.RunsExistingInstallations));
        Assert.False(capabilities.Has(deprecatedState, Versioning.Core.Lifecycles.StateCapabilities.CanBeMigrationTarget));
        Assert.NotNull(await _h.Installations.FindAsync(installation.Id));
    }
}
