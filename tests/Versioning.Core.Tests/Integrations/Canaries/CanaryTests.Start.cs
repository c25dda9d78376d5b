using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations.Canaries;

public sealed partial class CanaryTests
{
    [Fact]
    public async Task StartCanary_AvailableToPromoted_IsStoredWithItsTermsAndActive_K1()
    {
        var id = await EveryStateAsync();

        var canary = await StartAsync(id, "1.0.0", "1.1.0", percent: 25, duration: Duration.FromMinutes(90), scope: CanaryScope.ForAccount("acme"));

        Assert.Equal((V("1.0.0"), V("1.1.0"), 25, CanaryScope.ForAccount("acme")), (canary.From, canary.To, canary.Percent, canary.Scope));
        Assert.Equal((_h.Now, _h.Now + Duration.FromMinutes(90), Owner), (canary.StartedAt, canary.EndsAt, canary.StartedBy));
        var loaded = await _h.LoadAsync(id);
        Assert.Equal([canary], loaded.Canaries);
        Assert.Same(loaded.Canaries[0], loaded.ActiveCanary(_h.Now));
        Assert.Equal([canary], await _h.Service.ListCanariesAsync(id, Owner));
    }

    [Fact]
    public async Task StartCanary_FromAVersionToItself_Refused_K1()
    {
        var id = await EveryStateAsync();

        var ex = await UnchangedAsync(id, () => RefusedAsync("K1", () => StartAsync(id, "1.1.0", "1.1.0")));

        Assert.Contains("to itself", ex.Message);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    [InlineData(-5, false)]
    public async Task StartCanary_PercentBoundaries_OnlyOneToHundred_K1(int percent, bool accepted)
    {
        var id = await EveryStateAsync();

        if (accepted)
        {
            Assert.Equal(percent, (await StartAsync(id, "1.0.0", "1.1.0", percent)).Percent);
            return;
        }

        var ex = await UnchangedAsync(id, () => Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => StartAsync(id, "1.0.0", "1.1.0", percent)));
        Assert.Equal("percent", ex.ParamName);
        Assert.Contains("K1", ex.Message);
    }

    [Theory]
    [InlineData(29, false)]
    [InlineData(30, true)]
    [InlineData(24 * 3600, true)]
    [InlineData(24 * 3600 + 1, false)]
    [InlineData(0, false)]
    public async Task StartCanary_DurationBoundaries_ThirtySecondsToTwentyFourHours_K1(int seconds, bool accepted)
    {
        var id = await EveryStateAsync();
        var duration = Duration.FromSeconds(seconds);

        if (accepted)
        {
            Assert.Equal(_h.Now + duration, (await StartAsync(id, "1.0.0", "1.1.0", duration: duration)).EndsAt);
            return;
        }

        var ex = await UnchangedAsync(id, () => RefusedAsync("K1", () => StartAsync(id, "1.0.0", "1.1.0", duration: duration)));
        Assert.Equal(("Integration", "version 1.1.0"), (ex.AggregateKind, ex.Subject));
        Assert.Contains("30 seconds to 24 hours", ex.Message);
    }

    [Fact]
    public async Task StartCanary_DurationOneTickOverTwentyFourHours_Refused_K1()
    {
        var id = await EveryStateAsync();

        await RefusedAsync("K1", () => StartAsync(id, "1.0.0", "1.1.0", duration: Duration.FromHours(24) + Duration.Epsilon));
    }

    [Fact]
    public async Task StartCanary_WhileAnotherIsActive_RefusedEvenForOtherVersions_K1()
    {
        var id = await EveryStateAsync();
        var first = await StartAsync(id, "1.0.0", "1.1.0");
        _h.Clock.Advance(Hour - Duration.FromSeconds(1));

        var ex = await UnchangedAsync(id, () => RefusedAsync("K1", () => StartAsync(id, "1.1.0", "1.0.0")));

        Assert.Contains(first.Id.ToString(), ex.Message);
        Assert.Contains("at most one", ex.Message);
    }

    [Fact]
    public async Task StartCanary_AfterThePreviousEnded_StartsTheNext_K1()
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.0.0", "1.1.0");
        _h.Clock.Advance(Hour);

        var second = await StartAsync(id, "1.1.0", "1.0.0");

        Assert.Equal(second.Id, (await _h.LoadAsync(id)).ActiveCanary(_h.Now)?.Id);
    }

    [Theory]
    [InlineData("1.5.0-beta", "1.1.0")]
    [InlineData("1.0.0", "1.5.0-beta")]
    public async Task StartCanary_EitherVersionLabeled_Refused_Z5_K1(string from, string to)
    {
        var id = await EveryStateAsync();

        await UnchangedAsync(id, () => RefusedAsync("Z5", () => StartAsync(id, from, to, scope: CanaryScope.ForUser("olivia"))));
    }

    [Theory]
    [InlineData("1.2.0", "Z11")]
    [InlineData("1.3.0", "Z13")]
    public async Task StartCanary_ToLegacyOrDeprecating_Refused_M3_K1(string to, string rule)
    {
        var id = await EveryStateAsync();

        var ex = await UnchangedAsync(id, () => RefusedAsync(rule, () => StartAsync(id, "1.0.0", to)));

        Assert.StartsWith($"Cannot start a canary to version {to}", ex.Message);
    }

    [Fact]
    public async Task StartCanary_ToDeprecated_Refused_Z14_K1()
    {
        var id = await EveryStateAsync();
        _h.Clock.Advance(Duration.FromDays(31));

        await UnchangedAsync(id, () => RefusedAsync("Z14", () => StartAsync(id, "1.0.0", "1.3.0")));
    }

    [Fact]
    public async Task StartCanary_FromLegacyOrDeprecating_IsAllowed_K1()
    {
        var id = await EveryStateAsync();

        var canary = await StartAsync(id, "1.3.0", "1.1.0");

        Assert.Equal(V("1.3.0"), canary.From);
    }

    [Fact]
    public async Task StartCanary_AcrossMajors_RefusedUnlessConfigured_M3_K1()
    {
        var id = await EveryStateAsync();
        await _h.CreateAsync(id, "2.0.0");
        await _h.PromoteAsync(id, "2.0.0");

        var ex = await UnchangedAsync(id, () => RefusedAsync("M3", () => StartAsync(id, "1.1.0", "2.0.0")));
        Assert.Contains("MAJOR", ex.Message);

        var open = new IntegrationHarness(o => o.MigrationsWithinMajorOnly = false);
        var other = await open.EveryStateAsync();
        await open.CreateAsync(other, "2.0.0");
        await open.PromoteAsync(other, "2.0.0");
        Assert.Equal(V("2.0.0"), (await open.Service.StartCanaryAsync(other, V("1.1.0"), V("2.0.0"), 5, Hour, CanaryScope.All, Owner)).To);
    }

    [Fact]
    public async Task StartCanary_PrivateTargetForEveryone_Refused_M3_K1()
    {
        var id = await EveryStateAsync();

        var ex = await UnchangedAsync(id, () => RefusedAsync("M3", () => StartAsync(id, "1.1.0", "1.4.0")));

        Assert.Contains("Private", ex.Message);
    }

    [Theory]
    [InlineData("olivia", null)]
    [InlineData(null, "acme")]
    [InlineData("olivia", "acme")]
    public async Task StartCanary_PrivateTargetForOneOwner_SharesItWithThatPrincipalInTheSameStep_M3_K1_X8(string? user, string? account)
    {
        var id = await EveryStateAsync();
        var revision = (await _h.LoadAsync(id)).Revision;

        await StartAsync(id, "1.1.0", "1.4.0", scope: CanaryScope.Of(user, account));

        // The user when the scope names one, else the account as an account: never a user whose id is the account's (X8).
        var loaded = await _h.LoadAsync(id);
        var version = loaded.GetVersion(V("1.4.0"));
        Assert.Equal(revision + 1, loaded.Revision);
        var principal = user is not null ? OwnerRef.User(user) : OwnerRef.Account(account!);
        Assert.True(loaded.CanAccess(V("1.4.0"), principal));
        Assert.Equal(user is null ? [] : [new ActorId(user)], version.SharedWith);
        Assert.Equal(user is null ? [account!] : [], version.SharedWithAccounts);
        Assert.False(loaded.CanAccess(V("1.4.0"), new ActorId("acme")));
    }

    [Fact]
    public async Task Unshare_PrivateTargetFromTheCanarysAccount_RefusedWhileActive_K1_X8()
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.1.0", "1.4.0", scope: CanaryScope.ForAccount("acme"));

        await UnchangedAsync(id, () => RefusedAsync("K1", () => _h.Service.UnshareWithAsync(id, V("1.4.0"), OwnerRef.Account("acme"), Owner)));

        _h.Clock.Advance(Hour);
        await _h.Service.UnshareWithAsync(id, V("1.4.0"), OwnerRef.Account("acme"), Owner);
        Assert.Empty((await _h.LoadAsync(id)).GetVersion(V("1.4.0")).SharedWithAccounts);
    }

    [Fact]
    public async Task StartCanary_TargetDropsAConnector_Refused_M3_K1()
    {
        var id = await EveryStateAsync();
        await _h.CreateAsync(id, "1.5.0", Workflow(("Salesforce", "NewLead")));

        var ex = await UnchangedAsync(id, () => RefusedAsync("M3", () => StartAsync(id, "1.1.0", "1.5.0", scope: CanaryScope.ForUser("olivia"))));

        Assert.Contains("Gmail", string.Join(" ", ex.Problems));
    }

    [Fact]
    public async Task StartCanary_UnknownVersion_NotFound_K1()
    {
        var id = await EveryStateAsync();

        await UnchangedAsync(id, () => Assert.ThrowsAsync<EntityNotFoundException>(() => StartAsync(id, "1.0.0", "1.9.0")));
    }

    [Fact]
    public async Task DeleteVersion_TargetOrSourceOfAnActiveCanary_Refused_K1()
    {
        var id = await EveryStateAsync();
        await _h.CreateAsync(id, "1.5.0");
        await _h.Service.PromoteAsync(id, V("1.5.0"), Owner);
        await StartAsync(id, "1.0.0", "1.1.0");

        // 1.1.0 (now Available, no installations) and 1.0.0 could be deleted were it not for the canary.
        var ex = await UnchangedAsync(id, () => RefusedAsync("K1", () => _h.Service.DeleteVersionAsync(id, V("1.1.0"), Owner)));
        Assert.Contains("Delete the canary first", ex.Message);
        await UnchangedAsync(id, () => RefusedAsync("K1", () => _h.Service.DeleteVersionAsync(id, V("1.0.0"), Owner)));

        _h.Clock.Advance(Hour);
        await _h.Service.DeleteVersionAsync(id, V("1.1.0"), Owner);
        Assert.Null((await _h.LoadAsync(id)).FindVersion(V("1.1.0")));
    }

    [Fact]
    public async Task MarkLegacyOrDeprecate_TargetOfAnActiveCanary_Refused_K1()
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.1.0", "1.0.0");

        await UnchangedAsync(id, () => RefusedAsync("K1", () => _h.MarkLegacyAsync(id, "1.0.0")));
        await UnchangedAsync(id, () => RefusedAsync("K1", () => _h.DeprecateAsync(id, "1.0.0")));
    }

    [Fact]
    public async Task EditContent_PrivateTargetOfAnActiveCanary_RefusedUntilItEnds_K1()
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.1.0", "1.4.0", scope: CanaryScope.ForUser("olivia"));
        var breaking = Workflow(("Salesforce", "NewLead"));

        var ex = await UnchangedAsync(id, () => RefusedAsync("K1", () => _h.Service.EditContentAsync(id, V("1.4.0"), breaking, Owner)));
        Assert.Contains("Delete the canary first", ex.Message);
        Assert.Equal(CrmContent, (await _h.LoadAsync(id)).GetVersion(V("1.4.0")).Content);

        _h.Clock.Advance(Hour);
        await _h.Service.EditContentAsync(id, V("1.4.0"), breaking, Owner);
        Assert.Equal(breaking, (await _h.LoadAsync(id)).GetVersion(V("1.4.0")).Content);
    }

    [Fact]
    public async Task GetActions_DuringACanary_AgreeWithTheCommands_K1_X5()
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.1.0", "1.0.0");

        var actions = await _h.Service.GetActionsAsync(id, V("1.0.0"), Owner);
        foreach (var blocked in new[] { VersionAction.MarkLegacy, VersionAction.Deprecate, VersionAction.Delete })
        {
            var entry = Assert.Single(actions, a => a.Action == blocked);
            Assert.False(entry.IsPermitted, $"{blocked} reported as permitted during the canary");
            Assert.Equal("K1", entry.BlockedBy.RuleId);
        }

        var integration = await _h.LoadAsync(id);
        var permitted = integration.PermittedActions(V("1.0.0"), _h.Clock.GetCurrentInstant(), 0, _h.Options.EditInstallationLimit);
        Assert.False(permitted.Contains(VersionAction.MarkLegacy));
        Assert.False(permitted.Contains(VersionAction.Delete));
        Assert.Equal("K1", integration.WhyNot(V("1.0.0"), VersionAction.Deprecate, _h.Clock.GetCurrentInstant(), 0, _h.Options.EditInstallationLimit).RuleId);
        // The commands say the same.
        await UnchangedAsync(id, () => RefusedAsync("K1", () => _h.MarkLegacyAsync(id, "1.0.0")));
        await UnchangedAsync(id, () => RefusedAsync("K1", () => _h.Service.DeleteVersionAsync(id, V("1.0.0"), Owner)));

        _h.Clock.Advance(Hour);
        var after = await _h.Service.GetActionsAsync(id, V("1.0.0"), Owner);
        Assert.True(after.Single(a => a.Action == VersionAction.MarkLegacy).IsPermitted);
        Assert.True(after.Single(a => a.Action == VersionAction.Delete).IsPermitted);
    }

    [Fact]
    public async Task GetActions_PrivateTargetDuringACanary_EditContentBlocked_K1_X5()
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.1.0", "1.4.0", scope: CanaryScope.ForUser("olivia"));

        var edit = (await _h.Service.GetActionsAsync(id, V("1.4.0"), Owner)).Single(a => a.Action == VersionAction.EditContent);

        Assert.False(edit.IsPermitted);
        Assert.Equal("K1", edit.BlockedBy.RuleId);
        await UnchangedAsync(id, () => RefusedAsync("K1", () => _h.Service.EditContentAsync(id, V("1.4.0"), CrmContent, Owner)));
    }

    [Fact]
    public async Task Unshare_PrivateTargetFromTheCanarysUser_RefusedWhileActive_K1()
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.1.0", "1.4.0", scope: CanaryScope.ForUser("olivia"));

        await UnchangedAsync(id, () => RefusedAsync("K1", () => _h.Service.UnshareAsync(id, V("1.4.0"), new ActorId("olivia"), Owner)));

        _h.Clock.Advance(Hour);
        await _h.Service.UnshareAsync(id, V("1.4.0"), new ActorId("olivia"), Owner);
        Assert.Empty((await _h.LoadAsync(id)).GetVersion(V("1.4.0")).SharedWith);
    }

    [Fact]
    public async Task StartCanary_MalformedArguments_NameTheParameter_K1()
    {
        var id = await EveryStateAsync();

        Assert.Equal("by", (await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(id, "1.0.0", "1.1.0", by: default(ActorId)))).ParamName);
        Assert.Equal("userId", Assert.Throws<ArgumentException>(() => CanaryScope.ForUser(" ")).ParamName);
        Assert.Equal("accountId", Assert.Throws<ArgumentException>(() => CanaryScope.ForUserInAccount("u", "a\u0007")).ParamName);
        Assert.Equal("to", Assert.Throws<ArgumentException>(() => new Canary(CanaryId.New(), V("1.0.0"), V("1.0.0"), 5, default, Owner, Start, Start + Hour)).ParamName);
    }
}
