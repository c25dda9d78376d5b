using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

/// <summary>X2: every instant recorded comes from the injected clock.</summary>
public partial class IntegrationServiceTests
{
    [Fact]
    public async Task EveryRecordedInstant_ComesFromTheInjectedClock_X2()
    {
        // Odd instants with sub-second ticks, far from the real time, so nothing can match by accident.
        var h = new IntegrationHarness(start: Instant.FromUtc(2031, 3, 7, 13, 17, 19) + Duration.FromTicks(1234567));
        var instants = new List<Instant>();
        Instant Next()
        {
            h.Clock.Advance(Duration.FromSeconds(97) + Duration.FromTicks(31 * (instants.Count + 1)));
            instants.Add(h.Now);
            return h.Now;
        }

        var t0 = h.Now;
        var integration = await h.Service.CreateIntegrationAsync("Clocked", Owner);
        var id = integration.Id;
        Assert.Equal(t0, integration.CreatedAt);

        var t1 = Next();
        var created = await h.Service.CreateVersionAsync(id, V("1.0.0"), CrmContent, Owner);
        Assert.Equal((t1, t1), (created.CreatedAt, created.UpdatedAt));

        var t2 = Next();
        var noted = await h.Service.SetNotesAsync(id, V("1.0.0"), "Notes.", Owner);
        Assert.Equal((t1, t2), (noted.CreatedAt, noted.UpdatedAt));

        var t3 = Next();
        var promoted = await h.Service.PromoteAsync(id, V("1.0.0"), Owner);
        Assert.Equal((t3, t3), (promoted.Version.PromotedAt, promoted.Version.UpdatedAt));

        var t4 = Next();
        var installation = await h.InstallAsync(id, null, Outsider);
        Assert.Equal((t4, t4), (installation.CreatedAt, installation.UpdatedAt));

        var t5 = Next();
        await h.Service.CloneVersionAsync(id, V("1.0.0"), V("1.0.1"), Owner);
        await h.Service.SetNotesAsync(id, V("1.0.1"), "More.", Owner);
        var t6 = Next();
        await h.Service.PromoteAsync(id, V("1.0.1"), Owner);
        var t7 = Next();
        var legacy = await h.Service.MarkLegacyAsync(id, V("1.0.0"), Owner);
        Assert.Equal((t7, t7), (legacy.LegacyAt, legacy.UpdatedAt));
        var t8 = Next();
        var schedule = await h.Service.DeprecateAsync(id, V("1.0.0"), h.Today.PlusDays(30), DeprecationReason.LowUsage, null, Owner);
        Assert.Equal(t8, schedule.ScheduledAt);

        var loaded = await h.LoadAsync(id);
        Assert.Equal(t0, loaded.CreatedAt);
        Assert.Equal(t6, loaded.GetVersion(V("1.0.1")).PromotedAt);
        Assert.Equal(t5, loaded.GetVersion(V("1.0.1")).CreatedAt);
        Assert.Equal(t3, loaded.GetVersion(V("1.0.0")).PromotedAt);
        Assert.Equal(t8, loaded.GetVersion(V("1.0.0")).UpdatedAt);
        var recorded = new[] { t0 }.Concat(instants).ToHashSet();
        Assert.All(loaded.AuditTrail, e => Assert.Contains(e.At, recorded));
        Assert.Equal(t0, loaded.AuditTrail[0].At);
        Assert.Equal(t8, loaded.AuditTrail[^1].At);
        Assert.All(await h.AllEventsAsync(), e => Assert.Contains(e.At, recorded));
        Assert.All(await h.Service.ListVersionsAsync(id, Owner, includeDeprecated: true), r =>
        {
            Assert.Contains(r.CreatedAt, recorded);
            Assert.Contains(r.UpdatedAt, recorded);
        });
    }

    [Fact]
    public async Task StateQueries_WithoutAnInstant_UseTheInjectedClock_X2()
    {
        var id = await _h.EveryStateAsync();

        _h.Clock.Reset(Instant.FromUtc(2100, 1, 1, 0, 0));
        var far = await _h.Service.ListVersionsAsync(id, Owner, includeDeprecated: true);
        var actions = await _h.Service.GetActionsAsync(id, V("1.3.0"), Owner);

        Assert.Equal(VersionState.Deprecated, far.Single(r => r.Number == V("1.3.0")).State);
        Assert.Equal("Z14", actions.Single(a => a.Action == VersionAction.Install).BlockedBy.RuleId);
    }

    [Fact]
    public async Task OneCommand_ReadsTheClockOnce_SoAllItsInstantsAgree_X2()
    {
        // The clock moves one second after every read: any second read inside a command would show up.
        var h = new IntegrationHarness();
        var id = await h.NewIntegrationAsync();
        await h.CreateAsync(id, "1.0.0");
        await h.CreateAsync(id, "1.1.0");
        await h.PromoteAsync(id, "1.0.0");
        var expected = h.Clock.GetCurrentInstant();
        h.Clock.AutoAdvance = Duration.FromSeconds(1);

        var result = await h.PromoteAsync(id, "1.1.0");

        Assert.Equal(expected + Duration.FromSeconds(1), h.Clock.GetCurrentInstant());
        var integration = await h.LoadAsync(id);
        Assert.Equal(expected, result.Version.PromotedAt);
        Assert.Equal(expected, integration.GetVersion(V("1.0.0")).UpdatedAt);
        Assert.All(integration.AuditTrail.TakeLast(2), e => Assert.Equal(expected, e.At));
    }
}
