using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

public partial class IntegrationServiceTests
{
    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.4.0")]
    [InlineData("1.5.0-beta")]
    public async Task MarkLegacy_FromPrivateOrAvailable_BecomesLegacy_Z11(string number)
    {
        var id = await _h.EveryStateAsync();
        _h.Clock.Advance(Duration.FromMinutes(5));

        var version = await _h.MarkLegacyAsync(id, number);

        Assert.Equal(VersionState.Legacy, version.StoredState);
        Assert.Equal(_h.Now, version.LegacyAt);
        Assert.Equal(VersionState.Legacy, await StateNowAsync(id, number));
    }

    [Theory]
    [InlineData("1.1.0", "Z11", "Promoted")]
    [InlineData("1.2.0", "Z11", "Legacy")]
    [InlineData("1.3.0", "Z12", "Deprecating")]
    public async Task MarkLegacy_FromOtherStates_Refused_Z11(string number, string rule, string state)
    {
        var id = await _h.EveryStateAsync();

        var ex = await RefusedAsync(rule, () => _h.MarkLegacyAsync(id, number));

        Assert.Equal(state, ex.State);
    }

    [Fact]
    public async Task MarkLegacy_Deprecated_Refused_Z11()
    {
        var id = await _h.EveryStateAsync();
        _h.Clock.AdvanceDays(30);

        var ex = await RefusedAsync("Z12", () => _h.MarkLegacyAsync(id, "1.3.0"));

        Assert.Equal("Deprecated", ex.State);
    }

    [Fact]
    public async Task Legacy_NoWayBack_NotPromotableNoNewInstallsNoShare_Z11()
    {
        var id = await _h.EveryStateAsync();

        await RefusedAsync("Z11", () => _h.PromoteAsync(id, "1.2.0"));
        await RefusedAsync("Z11", () => _h.InstallAsync(id, "1.2.0", Owner));
        await RefusedAsync("Z11", () => _h.MarkLegacyAsync(id, "1.2.0"));
        await RefusedAsync("Z6", () => _h.Service.ShareAsync(id, V("1.2.0"), Outsider, Owner));
        await RefusedAsync("Z4", () => _h.Service.EditContentAsync(id, V("1.2.0"), CrmContent, Owner));

        var actions = (await _h.Service.GetActionsAsync(id, V("1.2.0"), Owner)).ToDictionary(a => a.Action);
        Assert.Equal("Z11", actions[VersionAction.MigrateTo].BlockedBy.RuleId);
        Assert.True(actions[VersionAction.MigrateFrom].IsPermitted);
        Assert.True(actions[VersionAction.Deprecate].IsPermitted);
        Assert.Equal(VersionState.Legacy, await StateNowAsync(id, "1.2.0"));
    }

    [Fact]
    public async Task Legacy_KeepsExistingInstallations_Z11()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.1.0");
        await _h.PromoteAsync(id, "1.0.0");
        var installation = await _h.InstallAsync(id, null, Outsider);
        await _h.PromoteAsync(id, "1.1.0");

        await _h.MarkLegacyAsync(id, "1.0.0");

        Assert.Equal("1.0.0", (await _h.Installations.FindAsync(installation.Id))!.Pinned.Value);
        var row = (await _h.Service.ListVersionsAsync(id, Owner)).Single(r => r.Number == V("1.0.0"));
        Assert.Equal(1, row.InstallationCount);
        Assert.True(VersionLifecycle.Definition.Has(VersionState.Legacy, Versioning.Core.Lifecycles.StateCapabilities.RunsExistingInstallations));
    }

    [Fact]
    public async Task Legacy_CanStillBeDeprecated_Z11()
    {
        var id = await _h.EveryStateAsync();

        var schedule = await _h.DeprecateAsync(id, "1.2.0", 60);

        Assert.Equal(VersionState.Deprecating, await StateNowAsync(id, "1.2.0"));
        Assert.Equal(_h.Today.PlusDays(60), schedule.Date);
        Assert.NotNull((await _h.VersionAsync(id, "1.2.0")).LegacyAt);
    }
}
