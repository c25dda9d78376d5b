using Versioning.Core.Installations;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Installations;

/// <summary>I2: a release or version that installations are pinned to cannot be deleted (T10, Z15).</summary>
public sealed partial class InstallationTests
{
    [Fact]
    public async Task DeleteReleaseAsync_DeprecatedReleaseWithPinnedInstallation_RefusedT10AndNothingChanges_I2()
    {
        using var h = new VersioningHarness();
        var template = await h.NewTemplateAsync();
        var installation = await h.Templates.InstallAsync(template, OwnerRef.Account("acme"), Team);
        await h.PromoteNewReleaseAsync(template);
        var before = await h.CaptureAsync(ProductRef.Of(template));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.Templates.DeleteReleaseAsync(template, R(1), Team));

        Assert.Equal("T10", refused.RuleId);
        (await h.CaptureAsync(ProductRef.Of(template))).AssertSameAs(before);
        Assert.Equal(ReleaseState.Deprecated, (await h.Templates.GetTemplateAsync(template, Team)).GetRelease(R(1)).State);
        Assert.Equal(VersionKey.ForRelease(R(1)), (await h.Installations.GetAsync(installation.Id, VersioningHarness.Team)).Pinned);
    }

    [Fact]
    public async Task DeleteReleaseAsync_AfterPinnedInstallationsUpgraded_Succeeds_I2()
    {
        using var h = new VersioningHarness();
        var template = await h.NewTemplateAsync();
        await h.Templates.InstallAsync(template, OwnerRef.Account("acme"), Team);
        await h.PromoteNewReleaseAsync(template);
        var job = await h.Migrations.StartUpgradeAsync(template, MigrationScope.All, Team);
        await h.Migrations.RunAsync(job.Id, Team);

        var after = await h.Templates.DeleteReleaseAsync(template, R(1), Team);

        Assert.Null(after.FindRelease(R(1)));
    }

    [Fact]
    public async Task DeleteVersionAsync_AvailableVersionWithOnlyAPausedInstallation_RefusedZ15AndNothingChanges_I2()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var installation = await h.InstallAsync(app, OwnerRef.User("alice"));
        Assert.Equal(RunStatus.Paused, installation.Status);
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        var before = await h.CaptureAsync(ProductRef.Of(app));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.Integrations.DeleteVersionAsync(app, V("1.0.0"), Team));

        Assert.Equal("Z15", refused.RuleId);
        (await h.CaptureAsync(ProductRef.Of(app))).AssertSameAs(before);
        Assert.NotNull((await h.Integrations.GetIntegrationAsync(app, Team)).FindVersion(V("1.0.0")));
    }

    [Fact]
    public async Task DeleteVersionAsync_AfterPinnedInstallationsMigrated_Succeeds_I2()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.InstallUsersAsync(app, 3);
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team);
        await h.Migrations.RunAsync(job.Id, Team);

        var after = await h.Integrations.DeleteVersionAsync(app, V("1.0.0"), Team);

        Assert.Null(after.FindVersion(V("1.0.0")));
        Assert.Contains(V("1.0.0"), after.UsedNumbers);
    }
}
