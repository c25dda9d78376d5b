using NodaTime.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Text;
using Versioning.Core.Auditing;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Events;
using Versioning.Core.Templates;
using Versioning.Core.Testing;
using Versioning.Core.Services;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

/// <summary>
/// Tests of <see cref="TemplateService"/> over the in-memory stores: what is saved, in how many revisions, with which
/// events. Split by aspect into partial files (TemplateServiceTests.Copy.cs, …).
/// </summary>
public partial class TemplateServiceTests
{
    private readonly TemplateScenario _scenario = new();

    private TemplateService Service => _scenario.Service;

    [Fact]
    public async Task CreateTemplateAsync_SavesTrimmedUnpublishedTemplateAtRevisionOne_T1()
    {
        var created = await Service.CreateTemplateAsync("  CRM sync  ", Alice);

        var stored = await _scenario.LoadAsync(created.Id);
        Assert.Equal("CRM sync", stored.Name);
        Assert.False(stored.Published);
        Assert.Empty(stored.Releases);
        Assert.Equal(1, stored.Revision);
        Assert.Equal(1, created.Revision);
        Assert.Equal((Alice, TemplateScenario.Start), (stored.CreatedBy, stored.CreatedAt));
        Assert.Equal(
            [new TemplateSummary(created.Id, "CRM sync", false, null, 0, 1)],
            await Service.ListTemplatesAsync());
    }

    [Fact]
    public async Task SetPublishedAsync_PublishedFlagStored_T1()
    {
        var id = await _scenario.NewTemplateAsync();

        await Service.SetPublishedAsync(id, true, Bob);

        Assert.True((await _scenario.LoadAsync(id)).Published);
        Assert.Equal(AuditAction.Published, (await _scenario.LoadAsync(id)).AuditTrail[^1].Action);
    }

    [Fact]
    public async Task CreateDraftAsync_NumbersNeverReusedAfterDeleteAndReload_T2()
    {
        var id = await _scenario.NewTemplateAsync();
        await Service.CreateDraftAsync(id, null, Alice);
        await Service.CreateDraftAsync(id, null, Alice);
        await Service.DeleteReleaseAsync(id, R(2), Alice);

        var next = await Service.CreateDraftAsync(id, null, Alice);

        Assert.Equal(R(3), next.Number);
        var stored = await _scenario.LoadAsync(id);
        Assert.Equal([R(1), R(3)], stored.Releases.Select(r => r.Number));
        Assert.Equal(3, stored.LastReleaseNumber);
    }

    [Fact]
    public async Task EditContentAsync_LiveRelease_RefusedWithRuleT3AndStoreUnchanged_T3()
    {
        var id = await _scenario.NewLineageAsync();
        var before = await _scenario.CaptureAsync(id);

        var ex = await TemplateAssert.RefusedAsync("T3", () => Service.EditContentAsync(id, R(2), Workflows.CrmToSlack(), Bob));

        Assert.Equal(("release 2", "Live"), (ex.Subject, ex.State));
        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
    }

    [Fact]
    public async Task SetNotesAsync_LiveAndDeprecated_StoredAndAudited_T4()
    {
        var id = await _scenario.NewLineageAsync();

        await Service.SetNotesAsync(id, R(1), "Old release.", Bob);
        var live = await Service.SetNotesAsync(id, R(2), "Current release.", Carol);

        var stored = await _scenario.LoadAsync(id);
        Assert.Equal("Current release.", live.Notes);
        Assert.Equal(("Old release.", "Current release."), (stored.GetRelease(R(1)).Notes, stored.GetRelease(R(2)).Notes));
        Assert.Equal(
            [(AuditAction.NotesChanged, Bob, "release 1"), (AuditAction.NotesChanged, Carol, "release 2")],
            stored.AuditTrail.TakeLast(2).Select(e => (e.Action, e.Actor, e.Subject!)));
    }

    [Fact]
    public async Task PromoteAsync_DeprecationAndPromotionSavedInOneRevision_T6()
    {
        var id = await _scenario.NewLineageAsync();
        var revision = (await _scenario.LoadAsync(id)).Revision;
        var events = _scenario.Store.EventCount;

        var live = await Service.PromoteAsync(id, R(3), Bob);

        var stored = await _scenario.LoadAsync(id);
        Assert.Equal((R(3), ReleaseState.Live), (live.Number, live.State));
        Assert.Equal([ReleaseState.Deprecated, ReleaseState.Deprecated, ReleaseState.Live], stored.Releases.Select(r => r.State));
        Assert.Equal(revision + 1, stored.Revision);
        var saved = await _scenario.Events.ReadAsync(events, 100);
        Assert.Equal([("Deprecated", "release 2"), ("Promoted", "release 3")], saved.Select(e => (e.Type, e.Subject!)));
        Assert.All(saved, e => Assert.Equal(revision + 1, e.AggregateRevision));
        Assert.Equal([events + 1, events + 2], saved.Select(e => e.Position));
    }

    [Fact]
    public async Task PromoteAsync_AtMostOneLiveInTheStoreAndListing_T5()
    {
        var id = await _scenario.NewLineageAsync();

        await Service.PromoteAsync(id, R(3), Bob);
        await TemplateAssert.RefusedAsync("T5", () => Service.PromoteAsync(id, R(3), Bob));

        var stored = await _scenario.LoadAsync(id);
        Assert.Single(stored.Releases, r => r.State == ReleaseState.Live);
        Assert.Equal(R(3), Assert.Single(await Service.ListTemplatesAsync()).LiveReleaseNumber);
    }

    [Fact]
    public async Task CopyThenPromoteAsync_DeprecatedRelease_RollsBack_T7()
    {
        var id = await _scenario.NewLineageAsync();
        await TemplateAssert.RefusedAsync("T7", () => Service.PromoteAsync(id, R(1), Bob));

        var (target, copy) = await Service.CopyReleaseAsync(id, R(1), null, Bob);
        await Service.PromoteAsync(id, copy.Number, Bob);

        var stored = await _scenario.LoadAsync(id);
        Assert.Equal(id, target);
        Assert.Equal(R(4), stored.LiveRelease!.Number);
        Assert.Equal(Workflows.OneStep("V1"), stored.LiveRelease.Content);
        Assert.Equal(ReleaseState.Deprecated, stored.GetRelease(R(2)).State);
    }

    [Fact]
    public async Task RunAndPauseAsync_StoredAndDeprecatedCannotRun_T11()
    {
        var id = await _scenario.NewLineageAsync();

        var running = await Service.RunAsync(id, R(2), Bob);
        await Service.PauseAsync(id, R(1), Bob);
        await TemplateAssert.RefusedAsync("T11", () => Service.RunAsync(id, R(1), Bob));

        Assert.Equal(RunStatus.Running, running.RunStatus);
        var stored = await _scenario.LoadAsync(id);
        Assert.Equal([RunStatus.Paused, RunStatus.Running, RunStatus.Paused], stored.Releases.Select(r => r.RunStatus));
    }

    [Fact]
    public async Task Commands_AuditTrailPersistedAndOnlyGrowsAcrossSaves_T14()
    {
        var id = await _scenario.NewTemplateAsync(published: true);
        var previous = (await _scenario.LoadAsync(id)).AuditTrail.ToArray();
        var commands = new Func<Task>[]
        {
            () => Service.CreateDraftAsync(id, Workflows.CrmToSlack(), Bob),
            () => Service.EditContentAsync(id, R(1), Workflows.OneStep("E"), Bob),
            () => Service.PromoteAsync(id, R(1), Carol),
            () => Service.CopyReleaseAsync(id, R(1), null, Carol),
            () => Service.PromoteAsync(id, R(2), Carol),
            () => Service.DeleteReleaseAsync(id, R(1), Alice),
        };

        foreach (var command in commands)
        {
            _scenario.Clock.Advance(Duration.FromMinutes(1));
            await command();

            var trail = (await _scenario.LoadAsync(id)).AuditTrail.ToArray();
            Assert.True(trail.Length > previous.Length);
            Assert.Equal(previous, trail.Take(previous.Length));
            Assert.All(trail.Skip(previous.Length), e => Assert.Equal(_scenario.Clock.GetCurrentInstant(), e.At));
            previous = trail;
        }

        var events = await _scenario.Events.ReadAsync(0, 1000);
        Assert.Equal(previous.Select(e => e.Action.ToString()), events.Select(e => e.Type));
    }

    [Fact]
    public async Task AddVersioning_FakeClockRegisteredFirst_StampsEveryAuditEntryAndEvent_T14()
    {
        var clock = new FakeClock(InstantPattern.General.Parse("2030-01-02T03:04:05Z").Value);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddVersioning(o => o.MaxConflictRetries = 5);
        using var provider = services.BuildServiceProvider();
        var service = provider.GetRequiredService<TemplateService>();

        var template = await service.CreateTemplateAsync("DI", Alice);
        clock.AdvanceDays(1);
        await service.CreateDraftAsync(template.Id, null, Alice);

        var stored = await service.GetTemplateAsync(template.Id, Actors.Alice);
        Assert.Equal([clock.GetCurrentInstant() - Duration.FromDays(1), clock.GetCurrentInstant()], stored.AuditTrail.Select(e => e.At));
        var events = await provider.GetRequiredService<IEventReader>().ReadAsync(0, 10);
        Assert.Equal([(Alice, clock.GetCurrentInstant() - Duration.FromDays(1)), (Alice, clock.GetCurrentInstant())], events.Select(e => (e.Actor, e.At)));
    }
}
