using System.Diagnostics;
using Versioning.Core.Authorization;
using Versioning.Core.Tests.Diagnostics;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Versioning.Core.Tests.Installations;
using static Versioning.Core.Tests.Authorization.AuthorizationMatrixTests;

namespace Versioning.Core.Tests.Authorization;

/// <summary>Regression tests for the findings of the security review (X7, X8), one per finding.</summary>
public sealed class AuthorizationRegressionTests
{
    [Fact]
    public async Task OutsiderPromotingAnotherTeamsTemplateRelease_IsDeniedAndNothingChanges_X7()
    {
        using var w = await World.CreateAsync();
        var before = await w.H.Templates.GetTemplateAsync(w.Template, Team);

        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Templates.PromoteAsync(w.Template, 2, Mallory));

        var after = await w.H.Templates.GetTemplateAsync(w.Template, Team);
        Assert.Equal(before.Revision, after.Revision);
        Assert.Equal(1, after.LiveRelease!.Number);
    }

    [Fact]
    public async Task OutsiderPointingSomeoneElsesWebhookElsewhere_IsDeniedAndSettingsUnchanged_X7()
    {
        using var w = await World.CreateAsync();

        var denied = await Assert.ThrowsAsync<VersioningAccessDeniedException>(
            () => w.H.Installations.SetSettingsAsync(w.OwensInstallation, [new("webhook", "https://mallory.example")], Mallory));

        Assert.Equal("Installation", denied.AggregateKind);
        Assert.Equal("https://owen.example", (await w.H.Installations.GetAsync(w.OwensInstallation)).Settings["webhook"]);
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Installations.SetStatusAsync(w.OwensInstallation, RunStatus.Running, Mallory));
        Assert.Equal(RunStatus.Paused, (await w.H.Installations.GetAsync(w.OwensInstallation)).Status);
    }

    [Fact]
    public async Task OutsiderRunningOrAbortingTheTeamsMigration_IsDeniedAndNothingMoves_X7()
    {
        using var w = await World.CreateAsync();

        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Migrations.RunAsync(w.Migration, Mallory));
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Migrations.AbortAsync(w.Migration, Mallory));

        var job = await w.H.Migrations.GetJobAsync(w.Migration);
        Assert.Equal(MigrationState.Requested, job.State);
        Assert.Equal(0, job.Moved);
    }

    [Fact]
    public async Task AccountOwnedInstallation_UserWhoseIdIsTheAccountsId_CannotChangeIt_X7_X8()
    {
        using var w = await World.CreateAsync();

        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Installations.SetStatusAsync(w.AcmesInstallation, RunStatus.Running, new ActorId("acme")));

        Assert.Equal(RunStatus.Running, (await w.H.Installations.SetStatusAsync(w.AcmesInstallation, RunStatus.Running, Team)).Status);
    }

    [Fact]
    public async Task TemplateTeam_CreatorIsFirstMember_AddedMemberMayChangeRemovedMemberMayNot_X7()
    {
        using var h = new VersioningHarness();
        var template = await h.Templates.CreateTemplateAsync("Team work", Team);
        Assert.Equal([Team.Value], template.Team);

        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => h.Templates.CreateDraftAsync(template.Id, null, Mallory));
        await h.Templates.AddTeamMemberAsync(template.Id, Mallory, Team);
        await h.Templates.CreateDraftAsync(template.Id, null, Mallory);
        await h.Templates.RemoveTeamMemberAsync(template.Id, Mallory, Team);
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => h.Templates.CreateDraftAsync(template.Id, null, Mallory));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.Templates.RemoveTeamMemberAsync(template.Id, Team, Team));
        Assert.Equal("X7", refused.RuleId);
        Assert.Equal([Team.Value], (await h.Templates.GetTemplateAsync(template.Id, Team)).Team);
    }

    [Fact]
    public async Task CopyRelease_IntoAnotherTeamsTemplate_IsDenied_X7()
    {
        using var w = await World.CreateAsync();
        var mine = await w.H.Templates.CreateTemplateAsync("Mallory's", Mallory);
        var theirs = await w.H.Templates.GetTemplateAsync(w.Template, Team);

        // Neither direction: copying their draft out, nor writing a copy of mine into their template.
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Templates.CopyReleaseAsync(w.Template, 2, mine.Id, Mallory));
        await w.H.Templates.CreateDraftAsync(mine.Id, null, Mallory);
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Templates.CopyReleaseAsync(mine.Id, 1, w.Template, Mallory));

        Assert.Equal(theirs.Revision, (await w.H.Templates.GetTemplateAsync(w.Template, Team)).Revision);
    }

    [Fact]
    public async Task Denial_IsCountedAndTracedLikeARefusalWithRuleX7_X7()
    {
        using var recorder = new DiagnosticsRecorder(nameof(Denial_IsCountedAndTracedLikeARefusalWithRuleX7_X7));

        using var h = new VersioningHarness();
        var template = await h.Templates.CreateTemplateAsync("Observed", Team);
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => h.Templates.RenameAsync(template.Id, "Stolen", Mallory));

        var denied = Assert.Single(recorder.Activities, a => a.OperationName == "RenameTemplate");
        Assert.Equal(ActivityStatusCode.Error, denied.Status);
        Assert.Equal("X7", denied.GetTagItem("versioning.rule"));
        Assert.True(recorder.Measurements.GetValueOrDefault("versioning.refusals/RenameTemplate") >= 1);
    }

    [Fact]
    public async Task NeverSharedPrivateVersion_MarkedLegacyThenDeprecated_StaysHiddenFromOutsiders_X8()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.AddVersionAsync(app, "1.1.0");
        await h.Integrations.SetNotesAsync(app, VersionNumber.Parse("1.1.0"), "Secret roadmap.", Team);
        await h.Integrations.MarkLegacyAsync(app, VersionNumber.Parse("1.1.0"), Team);
        await AssertHidden();
        await h.Integrations.DeprecateAsync(app, VersionNumber.Parse("1.1.0"), new NodaTime.LocalDate(2026, 3, 1), DeprecationReason.Replaced, null, Team);
        await AssertHidden();

        async Task AssertHidden()
        {
            await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Integrations.GetVersionAsync(app, VersionNumber.Parse("1.1.0"), Mallory));
            await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Integrations.GetActionsAsync(app, VersionNumber.Parse("1.1.0"), Mallory));
            var seen = await h.Integrations.GetIntegrationAsync(app, Mallory);
            Assert.Equal(["1.0.0"], seen.Versions.Select(v => v.Number.ToString()));
            Assert.DoesNotContain(seen.AuditTrail, e => e.Details.Contains("1.1.0", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task OneAccountMigrationToAPrivateVersion_SharesWithTheAccountNotWithAUserOfThatId_M3_X8()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.InstallAsync(app, OwnerRef.Account("acme"));
        await h.AddVersionAsync(app, "1.1.0");

        var job = await h.Migrations.StartMigrationAsync(app, VersionNumber.Parse("1.0.0"), VersionNumber.Parse("1.1.0"), MigrationScope.ForAccount("acme"), Team);
        var done = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal(MigrationState.Completed, done.State);
        Assert.Equal(1, done.Moved);
        var version = (await h.Integrations.GetIntegrationAsync(app, Team)).GetVersion(VersionNumber.Parse("1.1.0"));
        Assert.Equal(["acme"], version.SharedWithAccounts);
        Assert.Empty(version.SharedWith);

        // The user "acme" is not the account "acme": they neither see nor install the version.
        var user = new ActorId("acme");
        await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Integrations.GetVersionAsync(app, VersionNumber.Parse("1.1.0"), user));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Integrations.InstallAsync(app, OwnerRef.User("acme"), VersionNumber.Parse("1.1.0"), null, user));

        // The account may: a new installation it owns can name the version.
        var installed = await h.Integrations.InstallAsync(app, OwnerRef.Account("acme"), VersionNumber.Parse("1.1.0"), null, new ActorId("acme-admin"));
        Assert.Equal(VersionKey.ForVersion(VersionNumber.Parse("1.1.0")), installed.Pinned);
    }

    [Fact]
    public async Task AccountShareRemoved_BeforeTheMigrationRuns_JobFailsInsteadOfMovingTheAccount_M3_X8()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.InstallAsync(app, OwnerRef.Account("acme"));
        await h.AddVersionAsync(app, "1.1.0");
        var job = await h.Migrations.StartMigrationAsync(app, VersionNumber.Parse("1.0.0"), VersionNumber.Parse("1.1.0"), MigrationScope.ForAccount("acme"), Team);

        // A share with the user "acme" does not stand in for the account's.
        await h.Integrations.ShareAsync(app, VersionNumber.Parse("1.1.0"), new ActorId("acme"), Team);
        await h.Integrations.UnshareWithAsync(app, VersionNumber.Parse("1.1.0"), OwnerRef.Account("acme"), Team);
        var done = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal(MigrationState.Failed, done.State);
        Assert.Equal(0, done.Moved);
    }

    [Fact]
    public async Task TemplateReads_OutsiderSeesOnlyThePublishedLiveRelease_X8()
    {
        using var w = await World.CreateAsync();

        var seen = await w.H.Templates.GetTemplateAsync(w.Template, Mallory);
        Assert.Equal([1], seen.Releases.Select(r => r.Number));
        Assert.Empty(seen.AuditTrail);
        Assert.Equal(ReleaseState.Live, (await w.H.Templates.GetReportAsync(w.Template, 1, Mallory)).State);
        Assert.NotEmpty(await w.H.Templates.GetActionsAsync(w.Template, 1, Mallory));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Templates.GetReportAsync(w.Template, 2, Mallory));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Templates.GetActionsAsync(w.Template, 2, Mallory));
        Assert.Equal([1, 2], (await w.H.Templates.GetTemplateAsync(w.Template, Tess)).Releases.Select(r => r.Number));

        await w.H.Templates.SetPublishedAsync(w.Template, false, Team);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Templates.GetTemplateAsync(w.Template, Mallory));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Templates.GetReportAsync(w.Template, 1, Mallory));
    }
}
