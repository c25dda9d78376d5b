using Versioning.Core.Installations;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Installations;

/// <summary>I1: what an installation is made of, for templates and integrations alike.</summary>
public sealed partial class InstallationTests
{
    [Fact]
    public async Task InstallAsync_IntegrationForUser_BelongsToOneOwnerPinsOneVersionPausedWithOwnSettings_I1()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();

        var installation = await h.InstallAsync(app, OwnerRef.User("alice"), settings: [new("channel", "#sales"), new("retries", "3")]);

        Assert.Equal(ProductRef.Of(app), installation.Product);
        Assert.Equal(OwnerKind.User, installation.Owner.Kind);
        Assert.Equal("alice", installation.Owner.Id);
        Assert.Equal(K("1.0.0"), installation.Pinned);
        Assert.Equal(RunStatus.Paused, installation.Status);
        Assert.Equal(new Dictionary<string, string> { ["channel"] = "#sales", ["retries"] = "3" }, installation.Settings);
        Assert.Equal(1, installation.Revision);
        Assert.Equal(installation, await h.Installations.GetAsync(installation.Id, VersioningHarness.Team));
    }

    [Fact]
    public async Task InstallAsync_TemplateForAccount_BelongsToOneOwnerPinsLiveReleasePausedWithOwnSettings_I1()
    {
        using var h = new VersioningHarness();
        var template = await h.NewTemplateAsync();

        var installation = await h.Templates.InstallAsync(template, OwnerRef.Account("acme"), Team, [new("region", "eu")]);

        Assert.Equal(ProductRef.Of(template), installation.Product);
        Assert.Equal(ProductKind.Template, installation.Product.Kind);
        Assert.Equal(OwnerRef.Account("acme"), installation.Owner);
        Assert.Equal(VersionKey.ForRelease(R(1)), installation.Pinned);
        Assert.Equal(RunStatus.Paused, installation.Status);
        Assert.Equal("eu", Assert.Single(installation.Settings).Value);
    }

    [Fact]
    public async Task SetStatusAndSettings_OneInstallation_ChangesOnlyThatInstallationAndKeepsItsPin_I1()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var mine = await h.InstallAsync(app, OwnerRef.Account("acme"), settings: [new("k", "mine")]);
        var theirs = await h.InstallAsync(app, OwnerRef.Account("globex"), settings: [new("k", "theirs")]);

        await h.Installations.SetStatusAsync(mine.Id, RunStatus.Running, Team);
        var changed = await h.Installations.SetSettingsAsync(mine.Id, [new("k", "changed"), new("extra", "1")], Team);

        Assert.Equal(RunStatus.Running, changed.Status);
        Assert.Equal(K("1.0.0"), changed.Pinned);
        Assert.Equal(OwnerRef.Account("acme"), changed.Owner);
        Assert.Equal(new Dictionary<string, string> { ["extra"] = "1", ["k"] = "changed" }, changed.Settings);
        Assert.Equal(3, changed.Revision);
        Assert.Equal(theirs, await h.Installations.GetAsync(theirs.Id, VersioningHarness.Team));
    }

    [Fact]
    public async Task OwnerRef_AccountAndUserWithSameId_AreDifferentOwners_I1()
    {
        Assert.NotEqual(OwnerRef.Account("alice"), OwnerRef.User("alice"));
        Assert.Equal("user:alice", OwnerRef.User("alice").ToString());
        Assert.Equal("account:alice", OwnerRef.Account("alice").ToString());
        var blank = Assert.Throws<ArgumentException>(() => OwnerRef.User("  "));
        Assert.Equal("id", blank.ParamName);

        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => h.Integrations.InstallAsync(app, default, Team));
        Assert.Equal("owner", refused.ParamName);
    }

    [Fact]
    public async Task SetStatusAsync_ToRunningAndBack_IsTheInstallationsOwnStatusNotTheReleases_I1()
    {
        using var h = new VersioningHarness();
        var template = await h.NewTemplateAsync();
        var installation = await h.Templates.InstallAsync(template, OwnerRef.User("bob"), Team);

        var running = await h.Installations.SetStatusAsync(installation.Id, RunStatus.Running, Team);
        var release = (await h.Templates.GetTemplateAsync(template, Team)).GetRelease(R(1));

        Assert.Equal(RunStatus.Running, running.Status);
        Assert.Equal(RunStatus.Paused, release.RunStatus);
        var paused = await h.Installations.SetStatusAsync(installation.Id, RunStatus.Paused, Team);
        Assert.Equal(RunStatus.Paused, paused.Status);
        Assert.Equal(VersionKey.ForRelease(R(1)), paused.Pinned);
    }
}
