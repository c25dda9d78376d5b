using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

public partial class IntegrationServiceTests
{
    private static readonly DateTimeZone Auckland = DateTimeZoneProviders.Tzdb["Pacific/Auckland"];

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.2.0")]
    [InlineData("1.4.0")]
    [InlineData("1.5.0-beta")]
    public async Task Deprecate_FromPrivateAvailableOrLegacy_IsDeprecatingUntilTheDate_Z12(string number)
    {
        var id = await _h.EveryStateAsync();
        var date = _h.Today.PlusDays(45);

        var schedule = await _h.Service.DeprecateAsync(id, V(number), date, DeprecationReason.Replaced, null, Owner);

        Assert.Equal(date, schedule.Date);
        Assert.Equal(date.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), schedule.EffectiveAt);
        Assert.Equal(DeprecationReason.Replaced, schedule.Reason);
        Assert.Null(schedule.OtherText);
        Assert.Equal((_h.Now, Owner), (schedule.ScheduledAt, schedule.ScheduledBy));
        var version = await _h.VersionAsync(id, number);
        Assert.Equal(VersionState.Deprecating, version.StoredState);
        Assert.Equal(schedule, version.Deprecation);
        Assert.Equal(VersionState.Deprecating, version.StateAt(schedule.EffectiveAt - Duration.Epsilon));
        Assert.Equal(VersionState.Deprecated, version.StateAt(schedule.EffectiveAt));
    }

    [Fact]
    public async Task Deprecate_Promoted_Refused_Z12()
    {
        var id = await _h.EveryStateAsync();

        var ex = await RefusedAsync("Z12", () => _h.DeprecateAsync(id, "1.1.0", 30));

        Assert.Equal("Promoted", ex.State);
        Assert.Null((await _h.VersionAsync(id, "1.1.0")).Deprecation);
    }

    [Fact]
    public async Task Deprecate_AgainWithAnotherDate_Refused_Z12()
    {
        var id = await _h.EveryStateAsync();
        var original = (await _h.VersionAsync(id, "1.3.0")).Deprecation;

        var ex = await RefusedAsync("Z12", () => _h.DeprecateAsync(id, "1.3.0", 60));

        Assert.Equal("Deprecating", ex.State);
        Assert.Contains("cannot be changed", ex.Message);
        Assert.Equal(original, (await _h.VersionAsync(id, "1.3.0")).Deprecation);
    }

    [Fact]
    public async Task Deprecate_IsIrreversible_Z12()
    {
        var id = await _h.EveryStateAsync();

        await RefusedAsync("Z12", () => _h.PromoteAsync(id, "1.3.0"));
        await RefusedAsync("Z12", () => _h.MarkLegacyAsync(id, "1.3.0"));
        _h.Clock.AdvanceDays(30);
        await RefusedAsync("Z12", () => _h.PromoteAsync(id, "1.3.0"));
        await RefusedAsync("Z12", () => _h.MarkLegacyAsync(id, "1.3.0"));
        await RefusedAsync("Z12", () => _h.DeprecateAsync(id, "1.3.0", 30));

        // The way forward is a clone, which starts Private.
        var clone = await _h.Service.CloneVersionAsync(id, V("1.3.0"), V("1.4.1"), Owner);
        Assert.Equal(VersionState.Private, clone.StoredState);
        Assert.Equal(VersionState.Deprecated, await StateNowAsync(id, "1.3.0"));
    }

    [Theory]
    [InlineData(DeprecationReason.ApiChange)]
    [InlineData(DeprecationReason.SecurityIssue)]
    [InlineData(DeprecationReason.Replaced)]
    [InlineData(DeprecationReason.LowUsage)]
    public async Task Deprecate_FixedReason_IsRecordedWithoutText_Z12(DeprecationReason reason)
    {
        var id = await _h.EveryStateAsync();

        var schedule = await _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(30), reason, null, Owner);

        Assert.Equal(reason, schedule.Reason);
        Assert.Equal(reason.ToString(), schedule.ReasonText);
    }

    [Theory]
    [InlineData("x", "x")]
    [InlineData("  The vendor shut the API down  ", "The vendor shut the API down")]
    [InlineData("12345678901234567890123456789012345678901234567890", "12345678901234567890123456789012345678901234567890")]
    public async Task Deprecate_OtherWith1To50Characters_IsRecorded_Z12(string text, string expected)
    {
        var id = await _h.EveryStateAsync();

        var schedule = await _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(30), DeprecationReason.Other, text, Owner);

        Assert.Equal(DeprecationReason.Other, schedule.Reason);
        Assert.Equal(expected, schedule.OtherText);
        Assert.Equal($"Other: {expected}", schedule.ReasonText);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("123456789012345678901234567890123456789012345678901")]
    [InlineData("bad\u0001text")]
    public async Task Deprecate_OtherWithBadText_ThrowsNamingOtherText_Z12(string text)
    {
        var id = await _h.EveryStateAsync();
        var stored = _h.Stored(id);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(30), DeprecationReason.Other, text, Owner));

        Assert.Equal("otherText", ex.ParamName);
        Assert.Same(stored, _h.Stored(id));
    }

    [Fact]
    public async Task Deprecate_OtherWithoutText_ThrowsArgumentNullNamingOtherText_Z12()
    {
        var id = await _h.EveryStateAsync();

        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(30), DeprecationReason.Other, null, Owner));

        Assert.Equal("otherText", ex.ParamName);
    }

    [Fact]
    public async Task Deprecate_TextWithAFixedReason_ThrowsNamingOtherText_Z12()
    {
        var id = await _h.EveryStateAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(30), DeprecationReason.LowUsage, "few users", Owner));

        Assert.Equal("otherText", ex.ParamName);
    }

    [Fact]
    public async Task Deprecate_UndefinedReason_ThrowsNamingReason_Z12()
    {
        var id = await _h.EveryStateAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(30), (DeprecationReason)42, null, Owner));

        Assert.Equal("reason", ex.ParamName);
    }

    [Fact]
    public async Task Deprecate_Exactly21DaysAheadAtMidnightUtc_Accepted_Z12()
    {
        Assert.Equal(Instant.FromUtc(2026, 1, 1, 0, 0), _h.Now);
        var id = await _h.EveryStateAsync();

        var schedule = await _h.Service.DeprecateAsync(id, V("1.0.0"), new LocalDate(2026, 1, 22), DeprecationReason.ApiChange, null, Owner);

        Assert.Equal(_h.Now + Duration.FromDays(21), schedule.EffectiveAt);
    }

    [Fact]
    public async Task Deprecate_21DaysMinusOneSecond_Refused_Z12()
    {
        var h = new IntegrationHarness(start: Instant.FromUtc(2026, 1, 1, 0, 0, 1));
        var id = await h.EveryStateAsync();
        var stored = h.Stored(id);
        var date = new LocalDate(2026, 1, 22);
        Assert.Equal(Duration.FromDays(21) - Duration.FromSeconds(1), date.AtStartOfDayInZone(h.Options.DeprecationTimeZone).ToInstant() - h.Now);

        var ex = await RefusedAsync("Z12", () => h.Service.DeprecateAsync(id, V("1.0.0"), date, DeprecationReason.ApiChange, null, Owner));

        // A rule violation (X6), not an argument error: it names the version, its state and the window.
        Assert.Equal(("Integration", id.ToString(), "version 1.0.0", "Available"), (ex.AggregateKind, ex.AggregateId, ex.Subject, ex.State));
        Assert.IsNotAssignableFrom<ArgumentException>(ex);
        Assert.Contains("2026-01-22", ex.Message);
        Assert.Contains("between 21 and 365 days", ex.Message);
        Assert.Same(stored, h.Stored(id));
        await h.Service.DeprecateAsync(id, V("1.0.0"), date.PlusDays(1), DeprecationReason.ApiChange, null, Owner);
    }

    [Fact]
    public async Task Deprecate_ZoneWhoseDateStarts21DaysMinusOneSecondAhead_Refused_Z12()
    {
        // Clock at midnight UTC; in a zone one second ahead of UTC the date 2026-01-22 starts at 23:59:59Z the day before.
        var h = new IntegrationHarness(o => o.DeprecationTimeZone = DateTimeZone.ForOffset(Offset.FromSeconds(1)));
        var id = await h.EveryStateAsync();
        var date = new LocalDate(2026, 1, 22);

        var ex = await RefusedAsync("Z12", () => h.Service.DeprecateAsync(id, V("1.0.0"), date, DeprecationReason.ApiChange, null, Owner));

        Assert.Equal("version 1.0.0", ex.Subject);
        var schedule = await h.Service.DeprecateAsync(id, V("1.0.0"), date.PlusDays(1), DeprecationReason.ApiChange, null, Owner);
        Assert.Equal(Instant.FromUtc(2026, 1, 22, 23, 59, 59), schedule.EffectiveAt);
    }

    [Fact]
    public async Task Deprecate_365DaysAhead_Accepted_366Refused_Z12()
    {
        var id = await _h.EveryStateAsync();

        await RefusedAsync("Z12", () => _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(366), DeprecationReason.ApiChange, null, Owner));
        var schedule = await _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(365), DeprecationReason.ApiChange, null, Owner);

        Assert.Equal(_h.Now + Duration.FromDays(365), schedule.EffectiveAt);
        Assert.Equal(new LocalDate(2027, 1, 1), schedule.Date);
    }

    [Fact]
    public async Task Deprecate_365DaysPlusOneTick_Refused_Z12()
    {
        var h = new IntegrationHarness(start: Instant.FromUtc(2026, 1, 1, 0, 0) - Duration.Epsilon);
        var id = await h.EveryStateAsync();

        var ex = await RefusedAsync("Z12", () => h.Service.DeprecateAsync(id, V("1.0.0"), new LocalDate(2027, 1, 1), DeprecationReason.ApiChange, null, Owner));

        Assert.Contains("2027-01-01", ex.Message);
        await h.Service.DeprecateAsync(id, V("1.0.0"), new LocalDate(2026, 12, 31), DeprecationReason.ApiChange, null, Owner);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(367)]
    [InlineData(5000)]
    public async Task Deprecate_DateOutsideWindow_Refused_Z12(int days)
    {
        var id = await _h.EveryStateAsync();

        var ex = await RefusedAsync("Z12", () => _h.DeprecateAsync(id, "1.0.0", days));

        Assert.Equal(("version 1.0.0", "Available"), (ex.Subject, ex.State));
        Assert.Equal(VersionState.Available, await StateNowAsync(id, "1.0.0"));
    }

    [Theory]
    [InlineData(29, false)]
    [InlineData(30, true)]
    [InlineData(40, true)]
    [InlineData(41, false)]
    public async Task Deprecate_ConfiguredWindow_IsUsed_Z12(int days, bool allowed)
    {
        var h = new IntegrationHarness(o =>
        {
            o.MinimumDeprecationDays = 30;
            o.MaximumDeprecationDays = 40;
        });
        var id = await h.EveryStateAsync();

        Func<Task> deprecate = () => h.DeprecateAsync(id, "1.0.0", days);

        if (allowed)
        {
            await deprecate();
            Assert.Equal(VersionState.Deprecating, (await h.VersionAsync(id, "1.0.0")).StateAt(h.Now));
        }
        else
        {
            await RefusedAsync("Z12", deprecate);
        }
    }

    [Fact]
    public async Task Deprecating_BecomesDeprecatedFromTheClockAlone_NothingIsSaved_Z12()
    {
        var id = await _h.EveryStateAsync();
        var stored = _h.Stored(id);
        var events = _h.Store.EventCount;
        var effective = (await _h.VersionAsync(id, "1.3.0")).Deprecation!.EffectiveAt;

        _h.Clock.Reset(effective - Duration.Epsilon);
        Assert.Equal(VersionState.Deprecating, await StateNowAsync(id, "1.3.0"));
        Assert.Equal(VersionState.Deprecating, (await _h.Service.ListVersionsAsync(id, Owner, includeDeprecated: true)).Single(r => r.Number == V("1.3.0")).State);

        _h.Clock.Reset(effective);
        Assert.Equal(VersionState.Deprecated, await StateNowAsync(id, "1.3.0"));
        Assert.Equal(VersionState.Deprecated, (await _h.Service.ListVersionsAsync(id, Owner, includeDeprecated: true)).Single(r => r.Number == V("1.3.0")).State);

        Assert.Same(stored, _h.Stored(id));
        Assert.Equal(events, _h.Store.EventCount);
        Assert.Equal(VersionState.Deprecating, (await _h.VersionAsync(id, "1.3.0")).StoredState);
    }

    [Theory]
    [InlineData(2027, 4, 4)]
    [InlineData(2027, 9, 26)]
    [InlineData(2027, 9, 27)]
    public async Task Deprecating_FlipsToDeprecatedAtStartOfDateInZoneAcrossDaylightSaving_Z12(int year, int month, int day)
    {
        var h = new IntegrationHarness(o => o.DeprecationTimeZone = Auckland, start: Instant.FromUtc(2027, 1, 1, 0, 0));
        var id = await h.EveryStateAsync();
        var date = new LocalDate(year, month, day);

        var schedule = await h.Service.DeprecateAsync(id, V("1.0.0"), date, DeprecationReason.ApiChange, null, Owner);

        var effective = schedule.EffectiveAt;
        Assert.Equal(date.AtStartOfDayInZone(Auckland).ToInstant(), effective);
        Assert.Equal(new LocalDateTime(year, month, day, 0, 0), effective.InZone(Auckland).LocalDateTime);
        var version = await h.VersionAsync(id, "1.0.0");
        Assert.Equal(VersionState.Deprecating, version.StateAt(effective - Duration.Epsilon));
        Assert.Equal(VersionState.Deprecated, version.StateAt(effective));
        Assert.Equal(VersionState.Deprecated, version.StateAt(effective + Duration.FromDays(1000)));

        // The service agrees: one tick before, a Deprecating refusal; at the instant, a Deprecated one.
        h.Clock.Reset(effective - Duration.Epsilon);
        await RefusedAsync("Z13", () => h.InstallAsync(id, "1.0.0", Owner));
        h.Clock.Reset(effective);
        await RefusedAsync("Z14", () => h.InstallAsync(id, "1.0.0", Owner));
        Assert.DoesNotContain(V("1.0.0"), (await h.Service.ListVersionsAsync(id, Owner)).Select(r => r.Number));
    }

    [Fact]
    public async Task Deprecating_AucklandDatesUseTheOffsetInForceThatMidnight_Z12()
    {
        var h = new IntegrationHarness(o => o.DeprecationTimeZone = Auckland, start: Instant.FromUtc(2027, 1, 1, 0, 0));
        var id = await h.EveryStateAsync();
        await h.CreateAsync(id, "1.4.1");

        // 2027-04-04 starts in daylight time (+13); 2027-09-26 starts in standard time (+12) and is a 23-hour day.
        var april = await h.Service.DeprecateAsync(id, V("1.0.0"), new LocalDate(2027, 4, 4), DeprecationReason.ApiChange, null, Owner);
        var september = await h.Service.DeprecateAsync(id, V("1.4.0"), new LocalDate(2027, 9, 26), DeprecationReason.ApiChange, null, Owner);
        var nextDay = await h.Service.DeprecateAsync(id, V("1.4.1"), new LocalDate(2027, 9, 27), DeprecationReason.ApiChange, null, Owner);

        Assert.Equal(Instant.FromUtc(2027, 4, 3, 11, 0), april.EffectiveAt);
        Assert.Equal(Instant.FromUtc(2027, 9, 25, 12, 0), september.EffectiveAt);
        Assert.Equal(Instant.FromUtc(2027, 9, 26, 11, 0), nextDay.EffectiveAt);
        Assert.Equal(Duration.FromHours(23), nextDay.EffectiveAt - september.EffectiveAt);
    }

    [Fact]
    public async Task Deprecating_DateWhoseMidnightIsSkipped_FlipsAtTheFirstInstantOfTheDate_Z12()
    {
        // In Santiago, clocks jump from 00:00 to 01:00 on 2027-09-05: the date starts at 01:00 local time.
        var santiago = DateTimeZoneProviders.Tzdb["America/Santiago"];
        var h = new IntegrationHarness(o => o.DeprecationTimeZone = santiago, start: Instant.FromUtc(2027, 6, 1, 0, 0));
        var id = await h.EveryStateAsync();
        var date = new LocalDate(2027, 9, 5);

        var schedule = await h.Service.DeprecateAsync(id, V("1.0.0"), date, DeprecationReason.ApiChange, null, Owner);

        Assert.Equal(date.AtStartOfDayInZone(santiago).ToInstant(), schedule.EffectiveAt);
        Assert.Equal(date, schedule.EffectiveAt.InZone(santiago).Date);
        Assert.Equal(date.PlusDays(-1), (schedule.EffectiveAt - Duration.Epsilon).InZone(santiago).Date);
        var version = await h.VersionAsync(id, "1.0.0");
        Assert.Equal(VersionState.Deprecating, version.StateAt(schedule.EffectiveAt - Duration.Epsilon));
        Assert.Equal(VersionState.Deprecated, version.StateAt(schedule.EffectiveAt));
    }

    [Fact]
    public async Task ListNoticesDue_FallsDue14DaysBeforeTheDate_Z13()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        var schedule = await _h.DeprecateAsync(id, "1.0.0", 30);
        var due = schedule.EffectiveAt - Duration.FromDays(14);

        Assert.Empty(await _h.Service.ListNoticesDueAsync(Owner));
        Assert.Empty(await _h.Service.ListNoticesDueAsync(Owner, due - Duration.Epsilon));
        var notice = Assert.Single(await _h.Service.ListNoticesDueAsync(Owner, due));
        Assert.Single(await _h.Service.ListNoticesDueAsync(Owner, schedule.EffectiveAt - Duration.Epsilon));
        Assert.Empty(await _h.Service.ListNoticesDueAsync(Owner, schedule.EffectiveAt));

        Assert.Equal(id, notice.IntegrationId);
        Assert.Equal("CRM sync", notice.IntegrationName);
        Assert.Equal(V("1.0.0"), notice.Version);
        Assert.Equal(schedule.Date, notice.DeprecationDate);
        Assert.Equal(schedule.EffectiveAt, notice.EffectiveAt);
        Assert.Equal(due, notice.DueAt);
        Assert.Equal("ApiChange", notice.Reason);
    }

    [Fact]
    public async Task ListNoticesDue_OfOneIntegration_OnlyItsNotices_Z13()
    {
        var h = new IntegrationHarness();
        var beta = await h.NewIntegrationAsync("Beta");
        var alpha = await h.NewIntegrationAsync("Alpha");
        foreach (var id in new[] { beta, alpha })
        {
            await h.CreateAsync(id, "1.0.0");
            await h.CreateAsync(id, "1.0.1");
            await h.DeprecateAsync(id, "1.0.0", 30);
        }

        await h.DeprecateAsync(beta, "1.0.1", 40);
        var at = h.Now + Duration.FromDays(27);

        var ofBeta = await h.Service.ListNoticesDueAsync(beta, Owner, at);
        var ofAlpha = await h.Service.ListNoticesDueAsync(alpha, Owner, at);

        Assert.Equal([V("1.0.0"), V("1.0.1")], ofBeta.Select(n => n.Version));
        Assert.All(ofBeta, n => Assert.Equal(beta, n.IntegrationId));
        Assert.Equal([V("1.0.0")], ofAlpha.Select(n => n.Version));
        Assert.Equal(3, (await h.Service.ListNoticesDueAsync(Owner, at)).Count);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Service.ListNoticesDueAsync(IntegrationId.New(), Owner, at));
        Assert.Equal("viewer", (await Assert.ThrowsAsync<ArgumentException>(() => h.Service.ListNoticesDueAsync(beta, default, at))).ParamName);
    }

    [Fact]
    public async Task ListNoticesDue_WithoutInstant_UsesTheClock_Z13()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.DeprecateAsync(id, "1.0.0", 30);

        _h.Clock.AdvanceDays(15);
        Assert.Empty(await _h.Service.ListNoticesDueAsync(Owner));
        _h.Clock.AdvanceDays(1);
        Assert.Single(await _h.Service.ListNoticesDueAsync(Owner));
        _h.Clock.AdvanceDays(14);
        Assert.Empty(await _h.Service.ListNoticesDueAsync(Owner));
    }

    [Fact]
    public async Task ListNoticesDue_ConfiguredLeadTimeAndSeveralIntegrations_Z13()
    {
        var h = new IntegrationHarness(o => o.DeprecationNoticeDays = 7);
        var beta = await h.NewIntegrationAsync("Beta");
        var alpha = await h.NewIntegrationAsync("Alpha");
        foreach (var id in new[] { beta, alpha })
        {
            await h.CreateAsync(id, "1.0.0");
            await h.CreateAsync(id, "1.0.1");
            await h.DeprecateAsync(id, "1.0.0", 30);
            await h.DeprecateAsync(id, "1.0.1", 31);
        }

        var at = Start + Duration.FromDays(30 - 7);
        Assert.Empty(await h.Service.ListNoticesDueAsync(Owner, at - Duration.Epsilon));
        var notices = await h.Service.ListNoticesDueAsync(Owner, at);

        Assert.Equal([("Alpha", V("1.0.0")), ("Beta", V("1.0.0"))], notices.Select(n => (n.IntegrationName, n.Version)));
        Assert.Equal(4, (await h.Service.ListNoticesDueAsync(Owner, at + Duration.FromDays(1))).Count);
    }

    [Fact]
    public async Task Deprecating_TakesNoNewInstallationsButKeepsExistingOnes_Z13()
    {
        var id = await _h.EveryStateAsync();
        var existing = await _h.InstallAsync(id, "1.0.0", Outsider);
        await _h.DeprecateAsync(id, "1.0.0", 30);

        var ex = await RefusedAsync("Z13", () => _h.InstallAsync(id, "1.0.0", Outsider));

        Assert.Equal("Deprecating", ex.State);
        Assert.Equal("1.0.0", (await _h.Installations.FindAsync(existing.Id))!.Pinned.Value);
        Assert.True(VersionLifecycle.Definition.Has(VersionState.Deprecating, Versioning.Core.Lifecycles.StateCapabilities.RunsExistingInstallations));
        Assert.False(VersionLifecycle.Definition.Has(VersionState.Deprecating, Versioning.Core.Lifecycles.StateCapabilities.AcceptsNewInstallations));
    }

    [Fact]
    public async Task Deprecate_UsedVersionWithNoOtherPromoted_Refused_Z13()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.InstallAsync(id, "1.0.0", Owner);

        var ex = await RefusedAsync("Z13", () => _h.DeprecateAsync(id, "1.0.0", 30));

        Assert.Equal("Private", ex.State);
        Assert.Contains("Promoted", ex.Message);
    }

    [Fact]
    public async Task Deprecate_UsedVersionWhileAnotherIsPromoted_Accepted_Z13()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.1.0");
        await _h.PromoteAsync(id, "1.0.0");
        await _h.InstallAsync(id);
        await _h.PromoteAsync(id, "1.1.0");

        await _h.DeprecateAsync(id, "1.0.0", 30);

        Assert.Equal(VersionState.Deprecating, await StateNowAsync(id, "1.0.0"));
    }

    [Fact]
    public async Task Deprecate_UnusedVersionWithNoPromoted_Accepted_Z13()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        await _h.DeprecateAsync(id, "1.0.0", 30);

        Assert.Equal(VersionState.Deprecating, await StateNowAsync(id, "1.0.0"));
    }

    [Fact]
    public async Task Deprecate_UsedLegacyVersionWithNoPromoted_Refused_Z13()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.InstallAsync(id, "1.0.0", Owner);
        await _h.MarkLegacyAsync(id, "1.0.0");

        var ex = await RefusedAsync("Z13", () => _h.DeprecateAsync(id, "1.0.0", 30));

        Assert.Equal("Legacy", ex.State);
    }
}
