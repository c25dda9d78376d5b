using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations.Canaries;

public sealed partial class CanaryTests
{
    [Fact]
    public async Task Route_WithoutACanary_ReturnsThePinnedVersion_K2()
    {
        var id = await EveryStateAsync();
        var integration = await _h.LoadAsync(id);

        Assert.Equal("1.0.0", integration.Route(Installation(id, "1.0.0", OwnerRef.Account("acme")), "run-1", _h.Now).Value);
    }

    [Fact]
    public async Task Route_HundredPercent_DivertsEveryExecutionOfTheSourceOnly_K2()
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.0.0", "1.1.0", percent: 100);
        var integration = await _h.LoadAsync(id);

        for (var i = 0; i < 1_000; i++)
        {
            Assert.Equal("1.1.0", integration.Route(Installation(id, "1.0.0", OwnerRef.User($"user-{i}")), $"run-{i}", _h.Now).Value);
        }

        Assert.Equal("1.2.0", integration.Route(Installation(id, "1.2.0", OwnerRef.Account("acme")), "run-1", _h.Now).Value);
        Assert.Equal("1.1.0", integration.Route(Installation(id, "1.1.0", OwnerRef.Account("acme")), "run-1", _h.Now).Value);
    }

    [Fact]
    public async Task Route_BeforeTheCanaryStarted_ReturnsThePinnedVersion_K2()
    {
        var id = await EveryStateAsync();
        var canary = await StartAsync(id, "1.0.0", "1.1.0", percent: 100);
        var integration = await _h.LoadAsync(id);

        Assert.Equal("1.0.0", integration.Route(Installation(id, "1.0.0", OwnerRef.Account("acme")), "run-1", canary.StartedAt - Duration.Epsilon).Value);
    }

    [Fact]
    public async Task Route_OnePercentOfManyKeys_DivertsAboutOnePercent_K2()
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.0.0", "1.1.0", percent: 1);
        var integration = await _h.LoadAsync(id);
        var installation = Installation(id, "1.0.0", OwnerRef.Account("acme"));

        var diverted = Enumerable.Range(0, 100_000).Count(i => integration.Route(installation, $"run-{i}", _h.Now).Value == "1.1.0");

        // Binomial(100 000, 1 %): mean 1 000, standard deviation 31.5; ±6 deviations.
        Assert.InRange(diverted, 811, 1_189);
    }

    [Theory]
    [InlineData("user", "olivia", null, true)]
    [InlineData("user", "olivia", "acme", true)]
    [InlineData("user", "oscar", null, false)]
    [InlineData("account", "olivia", null, false)]
    public async Task Route_UserScope_CoversThatUsersInstallationsOnly_K2(string ownerKind, string ownerId, string? account, bool diverted)
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.0.0", "1.1.0", percent: 100, scope: CanaryScope.ForUser("olivia"));

        Assert.Equal(diverted ? "1.1.0" : "1.0.0", await RouteAsync(id, ownerKind, ownerId, account));
    }

    [Theory]
    [InlineData("account", "acme", null, true)]
    [InlineData("account", "globex", null, false)]
    [InlineData("user", "olivia", null, false)]
    [InlineData("user", "olivia", "acme", true)]
    [InlineData("user", "acme", null, false)]
    [InlineData("account", "globex", "acme", true)]
    public async Task Route_AccountScope_CoversTheAccountsInstallationsAndExecutionsWithinIt_K2(string ownerKind, string ownerId, string? account, bool diverted)
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.0.0", "1.1.0", percent: 100, scope: CanaryScope.ForAccount("acme"));

        Assert.Equal(diverted ? "1.1.0" : "1.0.0", await RouteAsync(id, ownerKind, ownerId, account));
    }

    [Theory]
    [InlineData("user", "olivia", "acme", true)]
    [InlineData("user", "olivia", null, false)]
    [InlineData("user", "olivia", "globex", false)]
    [InlineData("user", "oscar", "acme", false)]
    [InlineData("account", "acme", "acme", false)]
    public async Task Route_UserWithinAccountScope_CoversThatUserOnlyWithinThatAccount_K2(string ownerKind, string ownerId, string? account, bool diverted)
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.0.0", "1.1.0", percent: 100, scope: CanaryScope.ForUserInAccount("olivia", "acme"));

        Assert.Equal(diverted ? "1.1.0" : "1.0.0", await RouteAsync(id, ownerKind, ownerId, account));
    }

    [Fact]
    public async Task Route_MalformedArguments_NameTheParameter_K2()
    {
        var id = await EveryStateAsync();
        var integration = await _h.LoadAsync(id);
        var foreign = Installation(IntegrationId.New(), "1.0.0", OwnerRef.Account("acme"));

        Assert.Equal("executionKey", Assert.Throws<ArgumentException>(() => integration.Route(Installation(id, "1.0.0", OwnerRef.Account("acme")), "", _h.Now)).ParamName);
        Assert.Equal("installation", Assert.Throws<ArgumentException>(() => integration.Route(foreign, "run-1", _h.Now)).ParamName);
        Assert.Equal("installation", Assert.Throws<ArgumentNullException>(() => integration.Route(null!, "run-1", _h.Now)).ParamName);
    }

    [Fact]
    public async Task StartRouteDelete_ChangeNoInstallation_K5()
    {
        var id = await EveryStateAsync();
        await _h.InstallManyAsync(id, "1.0.0", 20);
        var before = await _h.Installations.ListAsync(ProductRef.Of(id), null, 1_000);

        var canary = await StartAsync(id, "1.0.0", "1.1.0", percent: 50);
        var integration = await _h.LoadAsync(id);
        var routed = before.Select(i => integration.Route(i, $"run-of-{i.Id}", _h.Now).Value).ToList();
        await _h.Service.DeleteCanaryAsync(id, canary.Id, Owner);
        _h.Clock.Advance(Duration.FromDays(2));
        var second = await StartAsync(id, "1.0.0", "1.1.0", percent: 100);
        _h.Clock.Advance(Duration.FromDays(2));
        await _h.Service.RecordCanaryExpiredAsync(id, second.Id, Owner);

        Assert.Contains("1.1.0", routed);
        Assert.Contains("1.0.0", routed);
        var after = await _h.Installations.ListAsync(ProductRef.Of(id), null, 1_000);
        Assert.Equal(before.Select(i => (i.Id, i.Pinned, i.Revision, i.UpdatedAt)), after.Select(i => (i.Id, i.Pinned, i.Revision, i.UpdatedAt)));
        Assert.Equal(20, (await _h.Installations.CountAsync(ProductRef.Of(id), VersionKey.ForVersion(V("1.0.0")))).Total);
    }

    [Fact]
    public async Task Route_WithAnActiveCanary_AllocatesNothing_K6()
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.0.0", "1.1.0", percent: 50, scope: CanaryScope.ForUserInAccount("olivia", "acme"));
        var integration = await _h.LoadAsync(id);
        var installation = Installation(id, "1.0.0", OwnerRef.User("olivia"));
        var keys = Enumerable.Range(0, 256).Select(i => $"run-{i}").ToArray();
        var at = _h.Now;
        Route(integration, installation, keys, at);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var diverted = Route(integration, installation, keys, at);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.InRange(diverted, 1, 255);

        static int Route(Integration integration, Installation installation, string[] keys, Instant at)
        {
            var count = 0;
            foreach (var key in keys)
            {
                if (integration.Route(installation, key, "acme", at).Value == "1.1.0")
                {
                    count++;
                }
            }

            return count;
        }
    }

    private async Task<string> RouteAsync(IntegrationId id, string ownerKind, string ownerId, string? account)
    {
        var integration = await _h.LoadAsync(id);
        var owner = ownerKind == "user" ? OwnerRef.User(ownerId) : OwnerRef.Account(ownerId);
        return integration.Route(Installation(id, "1.0.0", owner), "run-1", account ?? "", _h.Now).Value;
    }
}
