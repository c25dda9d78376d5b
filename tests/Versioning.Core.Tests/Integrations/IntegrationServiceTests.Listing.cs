using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

public partial class IntegrationServiceTests
{
    [Fact]
    public async Task ListVersions_ShowsStateCountsDatesAndInstants_Z16()
    {
        var id = await _h.NewIntegrationAsync();
        var t0 = _h.Now;
        await _h.CreateAsync(id, "1.0.0");
        _h.Clock.Advance(Duration.FromHours(1));
        var t1 = _h.Now;
        await _h.CreateAsync(id, "1.1.0");
        await _h.CreateAsync(id, "1.2.0");
        await _h.PromoteAsync(id, "1.0.0");
        await _h.InstallAsync(id, null, Outsider, "a");
        await _h.InstallAsync(id, null, Outsider, "b");
        _h.Clock.Advance(Duration.FromHours(1));
        var t2 = _h.Now;
        await _h.PromoteAsync(id, "1.1.0");
        await _h.InstallAsync(id, null, Outsider, "c");
        await _h.MarkLegacyAsync(id, "1.0.0");
        _h.Clock.Advance(Duration.FromHours(1));
        var t3 = _h.Now;
        await _h.DeprecateAsync(id, "1.2.0", 30);

        var rows = await _h.Service.ListVersionsAsync(id, Owner);

        Assert.Equal(
            [
                new VersionListing(V("1.0.0"), VersionState.Legacy, 2, t2, null, t0, t2),
                new VersionListing(V("1.1.0"), VersionState.Promoted, 1, null, null, t1, t2),
                new VersionListing(V("1.2.0"), VersionState.Deprecating, 0, null, _h.Today.PlusDays(30), t1, t3),
            ],
            rows);
    }

    [Fact]
    public async Task ListVersions_DeprecatedHiddenUnlessAskedFor_Z16()
    {
        var id = await _h.EveryStateAsync();
        var effective = (await _h.VersionAsync(id, "1.3.0")).Deprecation!.EffectiveAt;

        var before = await _h.Service.ListVersionsAsync(id, Owner, effective - Duration.Epsilon);
        var after = await _h.Service.ListVersionsAsync(id, Owner, effective);
        var afterAll = await _h.Service.ListVersionsAsync(id, Owner, effective, includeDeprecated: true);

        Assert.Contains(before, r => r.Number == V("1.3.0") && r.State == VersionState.Deprecating);
        Assert.DoesNotContain(after, r => r.Number == V("1.3.0"));
        Assert.Equal(5, after.Count);
        var row = Assert.Single(afterAll, r => r.Number == V("1.3.0"));
        Assert.Equal(VersionState.Deprecated, row.State);
        Assert.Equal(_h.Today.PlusDays(30), row.DeprecationDate);
    }

    [Fact]
    public async Task ListVersions_AtAnInstant_UsesThatInstantNotTheClock_Z16()
    {
        var id = await _h.EveryStateAsync();

        var now = await _h.Service.ListVersionsAsync(id, Owner, includeDeprecated: true);
        var later = await _h.Service.ListVersionsAsync(id, Owner, _h.Now + Duration.FromDays(100), includeDeprecated: true);
        _h.Clock.AdvanceDays(100);
        var clockLater = await _h.Service.ListVersionsAsync(id, Owner, includeDeprecated: true);

        Assert.Equal(VersionState.Deprecating, now.Single(r => r.Number == V("1.3.0")).State);
        Assert.Equal(VersionState.Deprecated, later.Single(r => r.Number == V("1.3.0")).State);
        Assert.Equal(later, clockLater);
    }

    [Fact]
    public async Task ListVersions_InVersionOrder_Z16()
    {
        var h = new IntegrationHarness(o => o.SequentialVersionNumbers = false);
        var id = await h.NewIntegrationAsync();
        foreach (var n in new[] { "2.0.0", "1.10.0", "1.9.0", "1.9.0-rc", "10.0.0", "1.9.0-alpha" })
        {
            await h.CreateAsync(id, n);
        }

        var rows = await h.Service.ListVersionsAsync(id, Owner);

        Assert.Equal(["1.9.0-alpha", "1.9.0-rc", "1.9.0", "1.10.0", "2.0.0", "10.0.0"], rows.Select(r => r.Number.ToString()));
    }
}
