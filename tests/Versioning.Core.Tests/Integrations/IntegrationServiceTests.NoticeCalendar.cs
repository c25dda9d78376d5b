using Versioning.Core.Integrations;

namespace Versioning.Core.Tests.Integrations;

public class NoticeCalendarTests
{
    [Fact]
    public async Task ListNoticesDue_AcrossDaylightSaving_FallsDueAtLocalMidnightFourteenCalendarDaysBefore_Z13()
    {
        var auckland = DateTimeZoneProviders.Tzdb["Pacific/Auckland"];
        var h = new IntegrationHarness(o => o.DeprecationTimeZone = auckland, start: Instant.FromUtc(2027, 2, 1, 0, 0));
        var id = await h.NewIntegrationAsync();
        await h.CreateAsync(id, "1.0.0");
        // Daylight saving ends in Auckland on 2027-04-04: the notice date (03-27) is in NZDT, the deprecation date in NZST.
        var date = new LocalDate(2027, 4, 10);
        await h.Service.DeprecateAsync(id, VersionNumber.Parse("1.0.0"), date, DeprecationReason.Replaced, null, IntegrationHarness.Owner);
        var dueAt = new LocalDate(2027, 3, 27).AtStartOfDayInZone(auckland).ToInstant();

        Assert.Empty(await h.Service.ListNoticesDueAsync(IntegrationHarness.Owner, dueAt - Duration.Epsilon));
        var notice = Assert.Single(await h.Service.ListNoticesDueAsync(IntegrationHarness.Owner, dueAt));
        Assert.Equal(dueAt, notice.DueAt);
        Assert.Equal(new LocalTime(0, 0), notice.DueAt.InZone(auckland).TimeOfDay);
        Assert.NotEqual(notice.EffectiveAt - Duration.FromDays(14), notice.DueAt);
    }

    [Fact]
    public async Task Commands_DefaultIntegrationId_ThrowArgumentExceptionNamingId_X6()
    {
        var h = new IntegrationHarness();
        Assert.Equal("id", (await Assert.ThrowsAsync<ArgumentException>(() => h.Service.GetIntegrationAsync(default, IntegrationHarness.Owner))).ParamName);
        Assert.Equal("id", (await Assert.ThrowsAsync<ArgumentException>(() => h.Service.PromoteAsync(default, VersionNumber.Parse("1.0.0"), IntegrationHarness.Owner))).ParamName);
    }
}
