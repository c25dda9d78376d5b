using Versioning.Core.Auditing;
using Versioning.Core.Installations;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateServiceTests
{
    private static readonly OwnerRef Acme = OwnerRef.Account("acme");
    private static readonly OwnerRef Globex = OwnerRef.Account("globex");

    private static readonly KeyValuePair<string, string>[] AcmeSettings = [new("apiKey", "secret-1"), new("region", "eu")];

    [Fact]
    public async Task InstallAsync_PublishedWithLive_BindsToLiveAndStartsPaused_T12()
    {
        var id = await _scenario.NewLineageAsync(published: true);

        var installation = await Service.InstallAsync(id, Acme, Bob, AcmeSettings);

        Assert.Equal(ProductRef.Of(id), installation.Product);
        Assert.Equal(Acme, installation.Owner);
        Assert.Equal(VersionKey.ForRelease(R(2)), installation.Pinned);
        Assert.Equal(RunStatus.Paused, installation.Status);
        Assert.Equal((_scenario.Clock.GetCurrentInstant(), 1L), (installation.CreatedAt, installation.Revision));
        Assert.Equal(installation, await _scenario.Installations.FindAsync(installation.Id));
        var installed = (await _scenario.Events.ReadAsync(_scenario.Store.EventCount - 1, 1)).Single();
        Assert.Equal(("Installation", "Installed", "2", Bob), (installed.AggregateKind, installed.Type, installed.Subject!, installed.Actor));
    }

    [Fact]
    public async Task InstallAsync_Unpublished_RefusedAndNothingSaved_T12()
    {
        var id = await _scenario.NewLineageAsync(published: false);
        var before = await _scenario.CaptureAsync(id);

        var ex = await TemplateAssert.RefusedAsync("T12", () => Service.InstallAsync(id, Acme, Bob));

        Assert.Contains("not published", ex.Message, StringComparison.Ordinal);
        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
    }

    [Fact]
    public async Task InstallAsync_PublishedWithoutLive_RefusedAndNothingSaved_T12()
    {
        var id = await _scenario.NewTemplateAsync(published: true);
        await Service.CreateDraftAsync(id, null, Alice);
        var before = await _scenario.CaptureAsync(id);

        var ex = await TemplateAssert.RefusedAsync("T12", () => Service.InstallAsync(id, Acme, Bob));

        Assert.Contains("no Live release", ex.Message, StringComparison.Ordinal);
        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
    }

    [Fact]
    public async Task PromoteAsync_ExistingInstallationsKeepTheirRelease_NewOnesGetNewLive_T12()
    {
        var id = await _scenario.NewLineageAsync(published: true);
        var first = await Service.InstallAsync(id, Acme, Bob, AcmeSettings);

        await Service.PromoteAsync(id, R(3), Alice);
        var second = await Service.InstallAsync(id, Globex, Bob);

        Assert.Equal(first, await _scenario.Installations.FindAsync(first.Id));
        Assert.Equal(VersionKey.ForRelease(R(2)), (await _scenario.Installations.FindAsync(first.Id))!.Pinned);
        Assert.Equal(VersionKey.ForRelease(R(3)), second.Pinned);
        var counts = await _scenario.Installations.CountByVersionAsync(ProductRef.Of(id));
        Assert.Equal(1, counts[VersionKey.ForRelease(R(2))].Total);
        Assert.Equal(1, counts[VersionKey.ForRelease(R(3))].Total);
    }

    [Fact]
    public async Task SetPublishedAsync_Unpublish_StopsNewInstallsButKeepsExisting_T12()
    {
        var id = await _scenario.NewLineageAsync(published: true);
        var existing = await Service.InstallAsync(id, Acme, Bob);

        await Service.SetPublishedAsync(id, false, Alice);

        await TemplateAssert.RefusedAsync("T12", () => Service.InstallAsync(id, Globex, Bob));
        Assert.Equal(existing, Assert.Single(await _scenario.InstallationsOfAsync(id)));
    }

    [Fact]
    public async Task InstallAsync_SettingsStoredAndKeptWhenLiveChanges_T13()
    {
        var id = await _scenario.NewLineageAsync(published: true);

        var installation = await Service.InstallAsync(id, Acme, Bob, AcmeSettings);
        await Service.PromoteAsync(id, R(3), Alice);
        await Service.SetNotesAsync(id, R(2), "Superseded", Alice);

        var stored = await _scenario.Installations.FindAsync(installation.Id);
        Assert.Equal(AcmeSettings, stored!.Settings.ToArray());
        Assert.Equal(VersionKey.ForRelease(R(2)), stored.Pinned);
    }

    [Fact]
    public async Task InstallAsync_InvalidSettings_RefusedNamingSettings_T13()
    {
        var id = await _scenario.NewLineageAsync(published: true);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Service.InstallAsync(id, Acme, Bob, [new("k", "1"), new("k", "2")]));

        Assert.Equal("settings", ex.ParamName);
        Assert.Empty(await _scenario.InstallationsOfAsync(id));
    }

    [Fact]
    public async Task RecordInstallationsMigrated_OnlyOnLiveRelease_T13()
    {
        var id = await _scenario.NewLineageAsync();
        var template = await _scenario.LoadAsync(id);

        TemplateAssert.Refused("T13", () => template.RecordInstallationsMigrated(R(1), "to deprecated", Bob, _scenario.Clock.GetCurrentInstant()));
        template.RecordInstallationsMigrated(R(2), "1 installation upgraded from release 1.", Bob, _scenario.Clock.GetCurrentInstant());
        await _scenario.Repository.SaveAsync(template);

        var entry = (await _scenario.LoadAsync(id)).AuditTrail[^1];
        Assert.Equal((AuditAction.InstallationsUpgraded, "release 2"), (entry.Action, entry.Subject!));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task DeleteReleaseAsync_ReleaseWithInstallations_RefusedAndNothingChanges_T10(int number)
    {
        var id = await _scenario.NewTemplateAsync(published: true);
        await Service.CreateDraftAsync(id, null, Alice);
        await Service.PromoteAsync(id, R(1), Alice);
        await Service.InstallAsync(id, Acme, Bob);
        await Service.CreateDraftAsync(id, null, Alice);
        await Service.CreateDraftAsync(id, null, Alice);
        await Service.PromoteAsync(id, R(2), Alice);
        if (number == 3)
        {
            // A Draft with an installation can only come from a store (upgrades are future work): pin one directly.
            var pinned = (await Service.InstallAsync(id, Globex, Bob)) with { Pinned = VersionKey.ForRelease(R(3)) };
            await _scenario.Installations.SaveAsync(pinned, InstallationEvents.Changed(pinned, Bob, _scenario.Clock.GetCurrentInstant()));
        }

        var before = await _scenario.CaptureAsync(id);

        var ex = await TemplateAssert.RefusedAsync("T10", () => Service.DeleteReleaseAsync(id, R(number), Bob));

        Assert.Equal($"release {number}", ex.Subject);
        Assert.Contains("installations are pinned", ex.Message, StringComparison.Ordinal);
        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
    }

    [Fact]
    public async Task DeleteReleaseAsync_DeprecatedWithoutInstallations_RemovedAndAuditKept_T10()
    {
        var id = await _scenario.NewLineageAsync(published: true);
        await Service.InstallAsync(id, Acme, Bob);

        await Service.DeleteReleaseAsync(id, R(1), Bob);

        var stored = await _scenario.LoadAsync(id);
        Assert.Equal([R(2), R(3)], stored.Releases.Select(r => r.Number));
        Assert.Contains(stored.AuditTrail, e => e.Action == AuditAction.ReleaseCreated && e.Subject == "release 1");
        Assert.Contains(stored.AuditTrail, e => e.Action == AuditAction.Deprecated && e.Subject == "release 1");
        Assert.Equal((AuditAction.Deleted, "release 1"), (stored.AuditTrail[^1].Action, stored.AuditTrail[^1].Subject!));
    }

    [Fact]
    public async Task DeleteReleaseAsync_Live_RefusedAndStoreUnchanged_T10()
    {
        var id = await _scenario.NewLineageAsync();
        var before = await _scenario.CaptureAsync(id);

        await TemplateAssert.RefusedAsync("T10", () => Service.DeleteReleaseAsync(id, R(2), Bob));

        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
    }

    [Fact]
    public async Task GetReportAsync_ReportsStatePromotionNotesConnectorsAndInstallationsByRunStatus_T16()
    {
        var id = await _scenario.NewTemplateAsync("CRM sync", published: true);
        await Service.CreateDraftAsync(id, Workflows.CrmToSlack(), Bob);
        var createdAt = _scenario.Clock.GetCurrentInstant();
        _scenario.Clock.Advance(Duration.FromHours(1));
        await Service.PromoteAsync(id, R(1), Carol);
        var promotedAt = _scenario.Clock.GetCurrentInstant();
        await Service.SetNotesAsync(id, R(1), "First public release.", Alice);
        await Service.RunAsync(id, R(1), Alice);
        var running = await Service.InstallAsync(id, Acme, Bob);
        await Service.InstallAsync(id, Globex, Bob);
        await Service.InstallAsync(id, OwnerRef.User("u-7"), Bob);
        var started = running with { Status = RunStatus.Running, UpdatedAt = _scenario.Clock.GetCurrentInstant() };
        await _scenario.Installations.SaveAsync(started, InstallationEvents.Changed(started, Bob, _scenario.Clock.GetCurrentInstant()));

        var report = await Service.GetReportAsync(id, R(1), Actors.Alice);

        Assert.Equal(
            new ReleaseReport(id, "CRM sync", R(1), ReleaseState.Live, RunStatus.Running, Bob, createdAt, Carol, promotedAt,
                "First public release.", report.Connectors, new InstallationCounts(Running: 1, Paused: 2)),
            report);
        Assert.Equal([Workflows.Salesforce, Workflows.Slack], report.Connectors);
        Assert.Equal(3, report.Installations.Total);
    }

    [Fact]
    public async Task GetReportAsync_DraftWithoutInstallations_HasNoPromotionAndZeroCounts_T16()
    {
        var id = await _scenario.NewLineageAsync(published: true);
        await Service.InstallAsync(id, Acme, Bob);

        var draft = await Service.GetReportAsync(id, R(3), Actors.Alice);
        var deprecated = await Service.GetReportAsync(id, R(1), Actors.Alice);

        Assert.Equal((ReleaseState.Draft, RunStatus.Paused), (draft.State, draft.RunStatus));
        Assert.Null(draft.PromotedBy);
        Assert.Null(draft.PromotedAt);
        Assert.Equal(string.Empty, draft.Notes);
        Assert.Equal(new InstallationCounts(0, 0), draft.Installations);
        Assert.Equal(ReleaseState.Deprecated, deprecated.State);
        Assert.Equal(Alice, deprecated.PromotedBy);
        Assert.Equal(new InstallationCounts(0, 1), (await Service.GetReportAsync(id, R(2), Actors.Alice)).Installations);
    }
}
