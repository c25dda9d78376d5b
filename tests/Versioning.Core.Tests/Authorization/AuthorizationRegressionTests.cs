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

        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Templates.PromoteAsync(w.Template, R(2), Mallory));

        var after = await w.H.Templates.GetTemplateAsync(w.Template, Team);
        Assert.Equal(before.Revision, after.Revision);
        Assert.Equal(R(1), after.LiveRelease!.Number);
    }

    [Fact]
    public async Task OutsiderPointingSomeoneElsesWebhookElsewhere_IsDeniedAndSettingsUnchanged_X7()
    {
        using var w = await World.CreateAsync();

        var denied = await Assert.ThrowsAsync<VersioningAccessDeniedException>(
            () => w.H.Installations.SetSettingsAsync(w.OwensInstallation, [new("webhook", "https://mallory.example")], Mallory));

        Assert.Equal("Installation", denied.AggregateKind);
        Assert.Equal("https://owen.example", (await w.H.Installations.GetAsync(w.OwensInstallation, VersioningHarness.Team)).Settings["webhook"]);
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Installations.SetStatusAsync(w.OwensInstallation, RunStatus.Running, Mallory));
        Assert.Equal(RunStatus.Paused, (await w.H.Installations.GetAsync(w.OwensInstallation, VersioningHarness.Team)).Status);
    }

    [Fact]
    public async Task OutsiderRunningOrAbortingTheTeamsMigration_IsDeniedAndNothingMoves_X7()
    {
        using var w = await World.CreateAsync();

        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Migrations.RunAsync(w.Migration, Mallory));
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Migrations.AbortAsync(w.Migration, Mallory));

        var job = await w.H.Migrations.GetJobAsync(w.Migration, VersioningHarness.Team);
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
        Assert.Equal([Team], template.Team);

        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => h.Templates.CreateDraftAsync(template.Id, null, Mallory));
        await h.Templates.AddTeamMemberAsync(template.Id, Mallory, Team);
        await h.Templates.CreateDraftAsync(template.Id, null, Mallory);
        await h.Templates.RemoveTeamMemberAsync(template.Id, Mallory, Team);
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => h.Templates.CreateDraftAsync(template.Id, null, Mallory));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.Templates.RemoveTeamMemberAsync(template.Id, Team, Team));
        Assert.Equal("X7", refused.RuleId);
        Assert.Equal([Team], (await h.Templates.GetTemplateAsync(template.Id, Team)).Team);
    }

    [Fact]
    public async Task CopyRelease_IntoAnotherTeamsTemplate_IsDenied_X7()
    {
        using var w = await World.CreateAsync();
        var mine = await w.H.Templates.CreateTemplateAsync("Mallory's", Mallory);
        var theirs = await w.H.Templates.GetTemplateAsync(w.Template, Team);

        // Neither direction: copying their draft out, nor writing a copy of mine into their template.
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Templates.CopyReleaseAsync(w.Template, R(2), mine.Id, Mallory));
        await w.H.Templates.CreateDraftAsync(mine.Id, null, Mallory);
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Templates.CopyReleaseAsync(mine.Id, R(1), w.Template, Mallory));

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
        await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Integrations.InstallAsync(app, OwnerRef.User("acme"), user, version: VersionNumber.Parse("1.1.0")));

        // The account may: a new installation it owns can name the version.
        var installed = await h.Integrations.InstallAsync(app, OwnerRef.Account("acme"), new ActorId("acme-admin"), version: VersionNumber.Parse("1.1.0"));
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
        Assert.Equal([R(1)], seen.Releases.Select(r => r.Number));
        Assert.Empty(seen.AuditTrail);
        Assert.Equal(ReleaseState.Live, (await w.H.Templates.GetReportAsync(w.Template, R(1), Mallory)).State);
        Assert.NotEmpty(await w.H.Templates.GetActionsAsync(w.Template, R(1), Mallory));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Templates.GetReportAsync(w.Template, R(2), Mallory));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Templates.GetActionsAsync(w.Template, R(2), Mallory));
        Assert.Equal([R(1), R(2)], (await w.H.Templates.GetTemplateAsync(w.Template, Tess)).Releases.Select(r => r.Number));

        await w.H.Templates.SetPublishedAsync(w.Template, false, Team);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Templates.GetTemplateAsync(w.Template, Mallory));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Templates.GetReportAsync(w.Template, R(1), Mallory));
    }

    [Fact]
    public async Task InstallationReads_OutsiderWithTheId_IsToldItDoesNotExistExactlyLikeAMissingOne_X8()
    {
        using var w = await World.CreateAsync();
        var missing = InstallationId.New();

        var hidden = await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Installations.GetAsync(w.OwensInstallation, Mallory));
        var absent = await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Installations.GetAsync(missing, Mallory));
        var hiddenRun = await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Installations.CanRunAsync(w.OwensInstallation, Mallory));

        Assert.Equal(absent.Message.Replace(missing.ToString(), "ID", StringComparison.Ordinal), hidden.Message.Replace(w.OwensInstallation.ToString(), "ID", StringComparison.Ordinal));
        Assert.Equal(hidden.Message, hiddenRun.Message);
        Assert.DoesNotContain("owen", hidden.Message, StringComparison.Ordinal);
        Assert.Empty(await w.H.Installations.ListAsync(ProductRef.Of(w.App), Mallory, null, 100));
        Assert.Equal("https://owen.example", (await w.H.Installations.GetAsync(w.OwensInstallation, Owen)).Settings["webhook"]);
    }

    [Fact]
    public async Task InstallationReads_EmptyViewerOrBadPageSize_RefusedNamingTheParameter_X8()
    {
        using var w = await World.CreateAsync();

        Assert.Equal("viewer", (await Assert.ThrowsAsync<ArgumentException>(() => w.H.Installations.GetAsync(w.OwensInstallation, default))).ParamName);
        Assert.Equal("viewer", (await Assert.ThrowsAsync<ArgumentException>(() => w.H.Installations.CanRunAsync(w.OwensInstallation, default))).ParamName);
        Assert.Equal("viewer", (await Assert.ThrowsAsync<ArgumentException>(() => w.H.Installations.ListAsync(ProductRef.Of(w.App), default, null, 10))).ParamName);
        Assert.Equal("take", (await Assert.ThrowsAnyAsync<ArgumentException>(() => w.H.Installations.ListAsync(ProductRef.Of(w.App), Owen, null, 0))).ParamName);
        Assert.Equal("viewer", (await Assert.ThrowsAsync<ArgumentException>(() => w.H.Migrations.GetJobAsync(w.Migration, default))).ParamName);
        Assert.Equal("viewer", (await Assert.ThrowsAsync<ArgumentException>(() => w.H.Migrations.ListJobsAsync(ProductRef.Of(w.App), default))).ParamName);
        Assert.Equal("viewer", (await Assert.ThrowsAsync<ArgumentException>(() => w.H.Integrations.ListEndedCanariesAsync(default))).ParamName);
    }

    [Fact]
    public async Task ListInstallations_UserAmongManyOthers_PagesThroughOnlyTheirOwnInFullPages_X8()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var owens = new List<InstallationId>();
        for (var i = 0; i < 12; i++)
        {
            await h.InstallAsync(app, OwnerRef.Account($"account-{i}"));
            if (i % 4 == 0)
            {
                owens.Add((await h.InstallAsync(app, OwnerRef.User(Owen.Value), by: Owen)).Id);
            }
        }

        var first = await h.Installations.ListAsync(ProductRef.Of(app), Owen, null, 2);
        var second = await h.Installations.ListAsync(ProductRef.Of(app), Owen, first[^1].Id, 2);

        Assert.Equal(2, first.Count);
        Assert.Single(second);
        Assert.Equal(owens.Order(), first.Concat(second).Select(i => i.Id));
        Assert.All(first.Concat(second), i => Assert.Equal(OwnerRef.User(Owen.Value), i.Owner));
        Assert.Equal(15, (await h.Installations.ListAsync(ProductRef.Of(app), Team, null, 100)).Count);
    }

    [Fact]
    public async Task MigrationJobReads_NonTeamViewers_NotFoundAndNotListed_X8()
    {
        using var w = await World.CreateAsync();

        foreach (var viewer in new[] { Mallory, Owen, new ActorId("acme") })
        {
            var hidden = await Assert.ThrowsAsync<EntityNotFoundException>(() => w.H.Migrations.GetJobAsync(w.Migration, viewer));
            Assert.Equal("Migration", hidden.Kind);
            Assert.DoesNotContain("1.1.0", hidden.Message, StringComparison.Ordinal);
            Assert.Empty(await w.H.Migrations.ListJobsAsync(ProductRef.Of(w.App), viewer));
        }

        Assert.Equal(VersioningHarness.V("1.1.0"), (await w.H.Migrations.GetJobAsync(w.Migration, Tess)).To.ToVersionNumber());
    }

    [Fact]
    public async Task ListEndedCanaries_OutsiderSeesNoneOfAnotherTeamsCanaries_X8()
    {
        using var w = await World.CreateAsync();
        var later = w.H.Clock.GetCurrentInstant() + NodaTime.Duration.FromMinutes(1);
        var mine = await w.H.NewIntegrationAsync();
        await w.H.Integrations.AddTeamMemberAsync(mine, Mallory, Team);
        await w.H.AddVersionAsync(mine, "1.1.0", promote: true);
        await w.H.Integrations.StartCanaryAsync(mine, VersioningHarness.V("1.0.0"), VersioningHarness.V("1.1.0"), 10, NodaTime.Duration.FromSeconds(30), CanaryScope.All, Mallory);

        var mallorys = await w.H.Integrations.ListEndedCanariesAsync(Mallory, later);
        var teams = await w.H.Integrations.ListEndedCanariesAsync(Team, later);

        Assert.Equal([mine], mallorys.Select(e => e.IntegrationId));
        Assert.Equal(new[] { mine, w.App }.Order(), teams.Select(e => e.IntegrationId).Order());
        Assert.Empty(await w.H.Integrations.ListEndedCanariesAsync(Owen, later));
    }

    [Fact]
    public async Task ListEndedCanaries_WorkerAllowedByAHostPolicy_SeesAndRecordsEveryExpiry_X8()
    {
        var worker = new ActorId("canary-worker");
        using var h = new VersioningHarness(policy: new WorkerPolicy(worker));
        var app = await h.NewIntegrationAsync();
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        await h.Integrations.StartCanaryAsync(app, VersioningHarness.V("1.0.0"), VersioningHarness.V("1.1.0"), 10, NodaTime.Duration.FromSeconds(30), CanaryScope.All, Team);
        var later = h.Clock.GetCurrentInstant() + NodaTime.Duration.FromMinutes(1);

        var ended = Assert.Single(await h.Integrations.ListEndedCanariesAsync(worker, later));
        Assert.Empty(await h.Integrations.ListEndedCanariesAsync(Mallory, later));
        h.Clock.AdvanceSeconds(60);
        Assert.True(await h.Integrations.RecordCanaryExpiredAsync(ended.IntegrationId, ended.Canary.Id, worker));
        Assert.Empty(await h.Integrations.ListEndedCanariesAsync(worker));
    }

    [Fact]
    public async Task RunMigration_DeniedBeforeAnyBatch_IsCountedAndTracedWithRuleX7_X7()
    {
        using var w = await World.CreateAsync();
        using var recorder = new DiagnosticsRecorder(nameof(RunMigration_DeniedBeforeAnyBatch_IsCountedAndTracedWithRuleX7_X7));

        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => w.H.Migrations.RunAsync(w.Migration, Mallory));

        var denied = Assert.Single(recorder.Activities, a => a.OperationName == "RunMigration");
        Assert.Equal(ActivityStatusCode.Error, denied.Status);
        Assert.Equal("X7", denied.GetTagItem("versioning.rule"));
        Assert.True(recorder.Measurements.GetValueOrDefault("versioning.refusals/RunMigration") >= 1);
        Assert.DoesNotContain(recorder.Activities, a => a.OperationName == "RunMigrationBatch");
    }

    /// <summary>A host's policy: the default, plus a background worker that may list and record canary expiries.</summary>
    private sealed class WorkerPolicy(ActorId worker) : IAccessPolicy
    {
        private readonly DefaultAccessPolicy _default = new();

        public bool CanChange(ActorId actor, string command, AccessTarget target)
            => (actor == worker && command is ("ListEndedCanaries" or "RecordCanaryExpired")) || _default.CanChange(actor, command, target);
    }
}
