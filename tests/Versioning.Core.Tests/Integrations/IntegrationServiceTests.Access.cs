using Versioning.Core.Authorization;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

public partial class IntegrationServiceTests
{
    [Fact]
    public async Task Promote_LabeledVersion_Refused_Z5()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0-beta");

        var ex = await RefusedAsync("Z5", () => _h.PromoteAsync(id, "1.0.0-beta"));

        Assert.Equal("version 1.0.0-beta", ex.Subject);
        Assert.Equal("Private", ex.State);
        Assert.Null((await _h.LoadAsync(id)).PromotedVersion);
    }

    [Fact]
    public async Task Promote_LabeledVersionWhileAnotherIsPromoted_Refused_Z5()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.PromoteAsync(id, "1.0.0");
        await _h.CreateAsync(id, "2.0.0-rc1", Workflow(("Other", "Thing")));

        await RefusedAsync("Z5", () => _h.PromoteAsync(id, "2.0.0-rc1"));

        Assert.Equal(V("1.0.0"), (await _h.LoadAsync(id)).PromotedVersion!.Number);
    }

    [Fact]
    public async Task Share_LabeledVersion_Refused_Z5()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0-beta");

        var ex = await RefusedAsync("Z5", () => _h.Service.ShareAsync(id, V("1.0.0-beta"), Outsider, Owner));

        Assert.Equal("version 1.0.0-beta", ex.Subject);
        Assert.Empty((await _h.VersionAsync(id, "1.0.0-beta")).SharedWith);
    }

    [Fact]
    public async Task ShareAllVersions_DoesNotReachLabeledVersions_Z5()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0-beta");
        await _h.CreateAsync(id, "1.0.0");
        await _h.Service.ShareAsync(id, null, Outsider, Owner);

        await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.InstallForSelfAsync(id, "1.0.0-beta", Outsider));
        var visible = await _h.Service.ListVersionsAsync(id, Outsider);
        Assert.Equal([V("1.0.0")], visible.Select(v => v.Number));
        var installed = await _h.InstallForSelfAsync(id, "1.0.0", Outsider);
        Assert.Equal("1.0.0", installed.Pinned.Value);
    }

    [Fact]
    public async Task LabeledVersion_TeamCanInstallIt_Z5()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0-beta");
        await _h.Service.AddTeamMemberAsync(id, Teammate, Owner);

        var installation = await _h.InstallAsync(id, "1.0.0-beta", Teammate);

        Assert.Equal("1.0.0-beta", installation.Pinned.Value);
    }

    [Fact]
    public async Task LabeledVersion_LegacyOrDeprecated_StaysHiddenFromOutsiders_Z5()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0-beta");
        await _h.CreateAsync(id, "1.0.0-rc");
        await _h.MarkLegacyAsync(id, "1.0.0-beta");
        await _h.DeprecateAsync(id, "1.0.0-rc", 30);

        var visible = await _h.Service.ListVersionsAsync(id, Outsider, includeDeprecated: true);

        Assert.Empty(visible);
        Assert.Equal(2, (await _h.Service.ListVersionsAsync(id, Owner, includeDeprecated: true)).Count);
    }

    [Fact]
    public async Task ListVersions_TeamSeesEveryVersion_OutsiderOnlyEverPublicOnes_Z6_X8()
    {
        var id = await _h.EveryStateAsync();
        await _h.Service.AddTeamMemberAsync(id, Teammate, Owner);

        var team = await _h.Service.ListVersionsAsync(id, Teammate);
        var outsider = await _h.Service.ListVersionsAsync(id, Outsider);

        Assert.Equal(["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0-beta"], team.Select(v => v.Number.ToString()));
        // 1.2.0 (Legacy) and 1.3.0 (Deprecating) were never public: they stay hidden from outsiders (X8).
        Assert.Equal(["1.0.0", "1.1.0"], outsider.Select(v => v.Number.ToString()));
    }

    [Fact]
    public async Task Install_OutsiderNamesPrivateVersion_ThrowsNotFound_Z6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        var ex = await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.InstallAsync(id, "1.0.0", Outsider));

        Assert.Equal("Version", ex.Kind);
        Assert.Equal("1.0.0", ex.Id);
        // The refusal looks exactly like a missing version, so the Private version's existence is not revealed.
        var missing = await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.InstallAsync(id, "7.0.0", Outsider));
        Assert.Equal(missing.Message.Replace("7.0.0", "1.0.0", StringComparison.Ordinal), ex.Message);
        Assert.Empty(await _h.Installations.ListAsync(ProductRef.Of(id), null, 100));
    }

    [Fact]
    public async Task Install_TeamMemberNamesPrivateVersion_Succeeds_Z6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.Service.AddTeamMemberAsync(id, Teammate, Owner);

        var installation = await _h.InstallAsync(id, "1.0.0", Teammate);

        Assert.Equal("1.0.0", installation.Pinned.Value);
    }

    [Fact]
    public async Task Share_OneVersion_LetsThatUserInstallOnlyThatVersion_Z6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.0.1");

        await _h.Service.ShareAsync(id, V("1.0.0"), Outsider, Owner);

        var installation = await _h.InstallForSelfAsync(id, "1.0.0", Outsider);
        Assert.Equal("1.0.0", installation.Pinned.Value);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.InstallForSelfAsync(id, "1.0.1", Outsider));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.InstallForSelfAsync(id, "1.0.0", OtherOutsider));
        Assert.Equal(["1.0.0"], (await _h.Service.ListVersionsAsync(id, Outsider)).Select(v => v.Number.ToString()));
        Assert.Contains(Outsider, (await _h.VersionAsync(id, "1.0.0")).SharedWith);
    }

    [Fact]
    public async Task Install_SharedUserForAnAccountWithoutAccess_RefusedAndNothingStored_M3_X8()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.Service.ShareAsync(id, V("1.0.0"), Outsider, Owner);

        // The outsider may see the version, but the account never got it: its installation could not open it.
        var ex = await RefusedAsync("M3", () => _h.InstallAsync(id, "1.0.0", Outsider, "acme"));

        Assert.Contains("account:acme", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await _h.Installations.ListAsync(ProductRef.Of(id), null, 100));
        Assert.DoesNotContain("acme", (await _h.VersionAsync(id, "1.0.0")).SharedWithAccounts);
        // A user whose id equals the account's is still not the account (X8).
        await _h.Service.ShareAsync(id, V("1.0.0"), new ActorId("acme"), Owner);
        await RefusedAsync("M3", () => _h.InstallAsync(id, "1.0.0", Outsider, "acme"));
    }

    [Fact]
    public async Task Install_SharedUserForThemselvesOrForAnAccountSharedWith_Allowed_M3_X8()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.Service.ShareAsync(id, V("1.0.0"), Outsider, Owner);

        var own = await _h.InstallForSelfAsync(id, "1.0.0", Outsider);
        await _h.Service.ShareWithAsync(id, V("1.0.0"), OwnerRef.Account("acme"), Owner);
        var account = await _h.InstallAsync(id, "1.0.0", Outsider, "acme");

        Assert.Equal(OwnerRef.User(Outsider.Value), own.Owner);
        Assert.Equal("1.0.0", own.Pinned.Value);
        Assert.Equal(OwnerRef.Account("acme"), account.Owner);
        Assert.Equal("1.0.0", account.Pinned.Value);
    }

    [Fact]
    public async Task Share_AllVersions_LetsThatUserInstallEveryUnlabeledPrivateVersion_Z6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.Service.ShareAsync(id, null, Outsider, Owner);
        // A version created after the all-versions share is covered too.
        await _h.CreateAsync(id, "1.0.1");

        Assert.Equal("1.0.0", (await _h.InstallForSelfAsync(id, "1.0.0", Outsider)).Pinned.Value);
        Assert.Equal("1.0.1", (await _h.InstallForSelfAsync(id, "1.0.1", Outsider)).Pinned.Value);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.InstallForSelfAsync(id, "1.0.1", OtherOutsider));
        Assert.Contains(Outsider, (await _h.LoadAsync(id)).SharedWithAllVersions);
    }

    [Fact]
    public async Task Unshare_StopsNewInstallsButExistingInstallationRemains_Z6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.Service.ShareAsync(id, V("1.0.0"), Outsider, Owner);
        var existing = await _h.InstallForSelfAsync(id, "1.0.0", Outsider);

        await _h.Service.UnshareAsync(id, V("1.0.0"), Outsider, Owner);

        await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.InstallForSelfAsync(id, "1.0.0", Outsider));
        var stored = await _h.Installations.FindAsync(existing.Id);
        Assert.NotNull(stored);
        Assert.Equal("1.0.0", stored.Pinned.Value);
        Assert.Equal(existing.Revision, stored.Revision);
        Assert.Equal(1, (await _h.Installations.CountAsync(ProductRef.Of(id), VersionKey.ForVersion(V("1.0.0")))).Total);
        Assert.Empty((await _h.VersionAsync(id, "1.0.0")).SharedWith);
    }

    [Fact]
    public async Task UnshareAllVersions_StopsNewInstallsButExistingInstallationRemains_Z6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.Service.ShareAsync(id, null, Outsider, Owner);
        var existing = await _h.InstallForSelfAsync(id, "1.0.0", Outsider);

        await _h.Service.UnshareAsync(id, null, Outsider, Owner);

        await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.InstallForSelfAsync(id, "1.0.0", Outsider));
        Assert.NotNull(await _h.Installations.FindAsync(existing.Id));
        Assert.Empty((await _h.LoadAsync(id)).SharedWithAllVersions);
    }

    [Theory]
    [InlineData("1.0.0", "Available")]
    [InlineData("1.1.0", "Promoted")]
    [InlineData("1.2.0", "Legacy")]
    [InlineData("1.3.0", "Deprecating")]
    public async Task Share_NonPrivateVersion_Refused_Z6(string number, string state)
    {
        var id = await _h.EveryStateAsync();

        var ex = await RefusedAsync("Z6", () => _h.Service.ShareAsync(id, V(number), Outsider, Owner));

        Assert.Equal(state, ex.State);
    }

    [Fact]
    public async Task PromotedAndAvailableVersions_AreVisibleToEveryone_Z6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.1.0");
        await _h.PromoteAsync(id, "1.0.0");
        await _h.PromoteAsync(id, "1.1.0");

        Assert.Equal("1.1.0", (await _h.InstallAsync(id, null, Outsider)).Pinned.Value);
        Assert.Equal("1.0.0", (await _h.InstallAsync(id, "1.0.0", Outsider)).Pinned.Value);
    }

    [Fact]
    public async Task AddTeamMember_NewMemberSeesPrivateVersions_RemovedMemberDoesNot_Z6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.Service.AddTeamMemberAsync(id, Teammate, Owner);
        Assert.Single(await _h.Service.ListVersionsAsync(id, Teammate));

        await _h.Service.RemoveTeamMemberAsync(id, Teammate, Owner);

        Assert.Empty(await _h.Service.ListVersionsAsync(id, Teammate));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.InstallAsync(id, "1.0.0", Teammate));
    }

    [Fact]
    public async Task RemoveTeamMember_LastMember_Refused_Z6()
    {
        var id = await _h.NewIntegrationAsync();

        await RefusedAsync("Z6", () => _h.Service.RemoveTeamMemberAsync(id, Owner, Owner));

        Assert.True((await _h.LoadAsync(id)).IsTeamMember(Owner));
    }

    [Fact]
    public async Task Commands_ByOutsider_AreDeniedAndChangeNothing_Z6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        var before = _h.Stored(id);

        Func<Task>[] commands =
        [
            () => _h.Service.CreateVersionAsync(id, V("1.0.1"), null, Outsider),
            () => _h.Service.PromoteAsync(id, V("1.0.0"), Outsider),
            () => _h.Service.ShareAsync(id, V("1.0.0"), Outsider, Outsider),
            () => _h.Service.ShareAsync(id, null, Outsider, Outsider),
            () => _h.Service.AddTeamMemberAsync(id, Outsider, Outsider),
            () => _h.Service.EditContentAsync(id, V("1.0.0"), CrmContent, Outsider),
            () => _h.Service.SetNotesAsync(id, V("1.0.0"), "Hijacked.", Outsider),
            () => _h.Service.MarkLegacyAsync(id, V("1.0.0"), Outsider),
            () => _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(30), DeprecationReason.ApiChange, null, Outsider),
            () => _h.Service.DeleteVersionAsync(id, V("1.0.0"), Outsider),
        ];

        foreach (var command in commands)
        {
            var ex = await Assert.ThrowsAsync<VersioningAccessDeniedException>(command);
            Assert.Equal(Outsider, ex.Actor);
        }

        Assert.Same(before, _h.Stored(id));
    }
}
