using Versioning.Core.Auditing;
using Versioning.Core.Installations;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Installations;

/// <summary>T13: upgrading a template's installations to its Live release.</summary>
public sealed partial class MigrationTests
{
    /// <summary>A template with installations on releases 1 and 2 (accounts a0…) and release 3 Live.</summary>
    private static async Task<(TemplateId Template, List<Installation> Installed)> TemplateOnThreeReleasesAsync(VersioningHarness h, int perRelease)
    {
        var template = await h.NewTemplateAsync();
        var installed = new List<Installation>();
        for (var release = 1; release <= 2; release++)
        {
            for (var i = 0; i < perRelease; i++)
            {
                installed.Add(await h.Templates.InstallAsync(template, OwnerRef.Account($"a{i % 4}"), Team, [new("release", $"{release}"), new("i", $"{i}")]));
            }

            await h.PromoteNewReleaseAsync(template);
        }

        installed.Add(await h.Templates.InstallAsync(template, OwnerRef.Account("a0"), Team, [new("release", "3")]));
        return (template, installed);
    }

    [Fact]
    public async Task StartUpgradeAsync_All_MovesEveryOlderInstallationToLiveKeepingSettings_T13()
    {
        using var h = new VersioningHarness();
        var (template, installed) = await TemplateOnThreeReleasesAsync(h, 6);

        var job = await h.Migrations.StartUpgradeAsync(template, MigrationScope.All, Team, batchSize: 5);
        Assert.Null(job.From);
        Assert.Equal(VersionKey.ForRelease(R(3)), job.To);
        Assert.Equal(12, job.Total);
        job = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal((MigrationState.Completed, 12L), (job.State, job.Moved));
        var all = await h.AllInstallationsAsync(ProductRef.Of(template));
        foreach (var before in installed)
        {
            var after = all[before.Id];
            Assert.Equal(VersionKey.ForRelease(R(3)), after.Pinned);
            Assert.Equal(before.Settings, after.Settings);
            Assert.Equal(before.Owner, after.Owner);
            Assert.Equal(before.Status, after.Status);
            Assert.Equal(before.Pinned == VersionKey.ForRelease(R(3)) ? before.Revision : before.Revision + 1, after.Revision);
        }

        var counts = await h.InstallationStore.CountByVersionAsync(ProductRef.Of(template));
        Assert.Equal(13, Assert.Single(counts).Value.Total);
    }

    [Fact]
    public async Task StartUpgradeAsync_OneAccount_MovesOnlyThatAccountsInstallations_T13()
    {
        using var h = new VersioningHarness();
        var (template, installed) = await TemplateOnThreeReleasesAsync(h, 8);

        var job = await h.Migrations.StartUpgradeAsync(template, MigrationScope.ForAccount("a1"), Team, batchSize: 3);
        job = await h.Migrations.RunAsync(job.Id, Team);

        var all = await h.AllInstallationsAsync(ProductRef.Of(template));
        var expected = installed.Where(i => i.Owner == OwnerRef.Account("a1")).Select(i => i.Id).ToHashSet();
        Assert.Equal(4, expected.Count);
        Assert.Equal(4, job.Moved);
        foreach (var before in installed)
        {
            Assert.Equal(expected.Contains(before.Id) ? VersionKey.ForRelease(R(3)) : before.Pinned, all[before.Id].Pinned);
            Assert.Equal(before.Settings, all[before.Id].Settings);
        }
    }

    [Fact]
    public async Task StartUpgradeAsync_Percentage_MovesExactlyThePredictedCohortPerRelease_T13()
    {
        using var h = new VersioningHarness();
        var (template, installed) = await TemplateOnThreeReleasesAsync(h, 40);
        var live = VersionKey.ForRelease(R(3));

        var job = await h.Migrations.StartUpgradeAsync(template, MigrationScope.Percentage(35), Team, batchSize: 16);
        job = await h.Migrations.RunAsync(job.Id, Team);

        var all = await h.AllInstallationsAsync(ProductRef.Of(template));
        var predicted = installed.Where(i => i.Pinned != live && Cohort.IsSelected(i.Id, i.Pinned, live, 35)).Select(i => i.Id).ToHashSet();
        var moved = installed.Where(i => i.Pinned != all[i.Id].Pinned).Select(i => i.Id).ToHashSet();
        Assert.Equal(predicted, moved);
        Assert.Equal(predicted.Count, job.Moved);
        Assert.NotEmpty(predicted);
    }

    [Fact]
    public async Task RunAsync_UpgradeCompleted_AppendsInstallationsUpgradedToTheTemplatesAuditTrail_T13()
    {
        using var h = new VersioningHarness();
        var (template, _) = await TemplateOnThreeReleasesAsync(h, 3);
        var job = await h.Migrations.StartUpgradeAsync(template, MigrationScope.All, Team, batchSize: 2);
        await h.Migrations.RunAsync(job.Id, Team, maxBatches: 1);
        Assert.DoesNotContain((await h.Templates.GetTemplateAsync(template, Team)).AuditTrail, e => e.Action == AuditAction.InstallationsUpgraded);

        h.Clock.AdvanceDays(1);
        await h.Templates.AddTeamMemberAsync(template, new ActorId("ops"), Team);
        await h.Migrations.RunAsync(job.Id, new ActorId("ops"));

        var entry = Assert.Single((await h.Templates.GetTemplateAsync(template, Team)).AuditTrail, e => e.Action == AuditAction.InstallationsUpgraded);
        Assert.Equal("release 3", entry.Subject);
        Assert.Equal(new ActorId("ops"), entry.Actor);
        Assert.Equal(h.Clock.GetCurrentInstant(), entry.At);
        Assert.Contains("6 installation(s)", entry.Details, StringComparison.Ordinal);
        Assert.Contains(job.Id.ToString(), entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartUpgradeAsync_TemplateWithoutLiveRelease_RefusedT13AndNothingChanges_T13()
    {
        using var h = new VersioningHarness();
        var template = await h.Templates.CreateTemplateAsync("No live", Team);
        await h.Templates.CreateDraftAsync(template.Id, null, Team);
        var before = await h.CaptureAsync(ProductRef.Of(template.Id));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.Migrations.StartUpgradeAsync(template.Id, MigrationScope.All, Team));

        Assert.Equal("T13", refused.RuleId);
        Assert.Equal("Template", refused.AggregateKind);
        (await h.CaptureAsync(ProductRef.Of(template.Id))).AssertSameAs(before);
        Assert.Empty(await h.Migrations.ListJobsAsync(ProductRef.Of(template.Id), VersioningHarness.Team));
    }

    [Fact]
    public async Task RunAsync_AnotherReleasePromotedMidUpgrade_FailsT13AndKeepsWhatMoved_T13()
    {
        using var h = new VersioningHarness();
        var (template, _) = await TemplateOnThreeReleasesAsync(h, 5);
        var job = await h.Migrations.StartUpgradeAsync(template, MigrationScope.All, Team, batchSize: 4);
        await h.Migrations.RunAsync(job.Id, Team, maxBatches: 1);
        await h.PromoteNewReleaseAsync(template);

        var failed = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal(MigrationState.Failed, failed.State);
        Assert.Contains("(T13)", failed.FailureReason, StringComparison.Ordinal);
        Assert.Equal(4, (await h.InstallationStore.CountAsync(ProductRef.Of(template), VersionKey.ForRelease(R(3)))).Total - 1);
        Assert.DoesNotContain((await h.Templates.GetTemplateAsync(template, Team)).AuditTrail, e => e.Action == AuditAction.InstallationsUpgraded);
    }

    [Fact]
    public async Task Promote_NewLiveRelease_NeverMovesExistingInstallations_T12()
    {
        using var h = new VersioningHarness();
        var template = await h.NewTemplateAsync();
        var installation = await h.Templates.InstallAsync(template, OwnerRef.Account("acme"), Team);

        await h.PromoteNewReleaseAsync(template);
        var newcomer = await h.Templates.InstallAsync(template, OwnerRef.Account("globex"), Team);

        Assert.Equal(installation, await h.Installations.GetAsync(installation.Id, VersioningHarness.Team));
        Assert.Equal(VersionKey.ForRelease(R(2)), newcomer.Pinned);
        Assert.Equal(RunStatus.Paused, newcomer.Status);
    }

    [Fact]
    public async Task InstallAsync_UnpublishedTemplate_RefusedT12AndNothingSaved_T12()
    {
        using var h = new VersioningHarness();
        var template = await h.NewTemplateAsync();
        await h.Templates.SetPublishedAsync(template, false, Team);
        var before = await h.CaptureAsync(ProductRef.Of(template));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.Templates.InstallAsync(template, OwnerRef.Account("acme"), Team));

        Assert.Equal("T12", refused.RuleId);
        (await h.CaptureAsync(ProductRef.Of(template))).AssertSameAs(before);
    }
}
