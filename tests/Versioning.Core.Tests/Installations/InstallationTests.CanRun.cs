using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Installations;

/// <summary>I3: an installation runs when it is Running and its pinned version is not Deprecated at that instant.</summary>
public sealed partial class InstallationTests
{
    private static readonly LocalDate DeprecationDate = new(2026, 2, 1);
    private static readonly Instant DeprecationInstant = Instant.FromUtc(2026, 2, 1, 0, 0);

    /// <summary>1.0.0 with a Running installation, then 1.1.0 Promoted and 1.0.0 deprecated on 2026-02-01 (UTC).</summary>
    private static async Task<(IntegrationId App, Installation Installation)> RunningOnDeprecatingVersionAsync(VersioningHarness h)
    {
        var app = await h.NewIntegrationAsync();
        var installation = await h.InstallAsync(app, OwnerRef.User("alice"));
        installation = await h.Installations.SetStatusAsync(installation.Id, RunStatus.Running, Team);
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        await h.Integrations.DeprecateAsync(app, V("1.0.0"), DeprecationDate, DeprecationReason.Replaced, null, Team);
        return (app, installation);
    }

    [Fact]
    public async Task CanRunAsync_RunningOnDeprecatingVersion_TrueBeforeTheDateFalseFromIt_I3()
    {
        using var h = new VersioningHarness();
        var (_, installation) = await RunningOnDeprecatingVersionAsync(h);

        Assert.True(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));
        h.Clock.Reset(DeprecationInstant - Duration.FromTicks(1));
        Assert.True(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));
        h.Clock.Reset(DeprecationInstant);
        Assert.False(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));
        h.Clock.AdvanceDays(10);
        Assert.False(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));
    }

    [Fact]
    public async Task CanRunAsync_ExplicitInstant_IsJudgedAtThatInstantNotNow_I3()
    {
        using var h = new VersioningHarness();
        var (_, installation) = await RunningOnDeprecatingVersionAsync(h);
        h.Clock.AdvanceDays(100);

        Assert.True(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team, DeprecationInstant - Duration.FromSeconds(1)));
        Assert.False(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team, DeprecationInstant));
        Assert.False(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));
    }

    [Fact]
    public async Task IntegrationCanRun_RunningInstallationAcrossDeprecationInstant_TrueThenFalse_I3()
    {
        using var h = new VersioningHarness();
        var (app, installation) = await RunningOnDeprecatingVersionAsync(h);
        var integration = await h.Integrations.GetIntegrationAsync(app, Team);

        Assert.True(integration.CanRun(installation, DeprecationInstant - Duration.FromMilliseconds(1)));
        Assert.False(integration.CanRun(installation, DeprecationInstant));
        Assert.False(integration.CanRun(installation with { Status = RunStatus.Paused }, DeprecationInstant - Duration.FromDays(1)));
    }

    [Fact]
    public async Task CanRunAsync_PausedInstallationOnPromotedVersion_False_I3()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var installation = await h.InstallAsync(app, OwnerRef.User("alice"));

        Assert.False(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));
        await h.Installations.SetStatusAsync(installation.Id, RunStatus.Running, Team);
        Assert.True(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));
        await h.Installations.SetStatusAsync(installation.Id, RunStatus.Paused, Team);
        Assert.False(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));
    }

    [Fact]
    public async Task CanRunAsync_RunningOnLegacyOrAvailableVersion_True_I3()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var onAvailable = await h.InstallAsync(app, OwnerRef.User("alice"));
        await h.Installations.SetStatusAsync(onAvailable.Id, RunStatus.Running, Team);
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        var onLegacy = await h.InstallAsync(app, OwnerRef.User("bob"));
        await h.Installations.SetStatusAsync(onLegacy.Id, RunStatus.Running, Team);
        await h.AddVersionAsync(app, "1.2.0", promote: true);
        await h.Integrations.MarkLegacyAsync(app, V("1.1.0"), Team);

        Assert.True(await h.Installations.CanRunAsync(onAvailable.Id, VersioningHarness.Team));
        Assert.True(await h.Installations.CanRunAsync(onLegacy.Id, VersioningHarness.Team));
    }

    [Fact]
    public async Task IntegrationCanRun_InstallationOfAnotherProduct_False_I3()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var other = await h.NewIntegrationAsync();
        var installation = await h.InstallAsync(other, OwnerRef.User("alice"));
        installation = await h.Installations.SetStatusAsync(installation.Id, RunStatus.Running, Team);

        var integration = await h.Integrations.GetIntegrationAsync(app, Team);

        Assert.False(integration.CanRun(installation, h.Clock.GetCurrentInstant()));
        Assert.True((await h.Integrations.GetIntegrationAsync(other, Team)).CanRun(installation, h.Clock.GetCurrentInstant()));
    }

    [Fact]
    public async Task CanRunAsync_TemplateInstallationOnDeprecatedRelease_StillRuns_I3()
    {
        using var h = new VersioningHarness();
        var template = await h.NewTemplateAsync();
        var installation = await h.Templates.InstallAsync(template, OwnerRef.Account("acme"), Team);
        Assert.False(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));
        await h.Installations.SetStatusAsync(installation.Id, RunStatus.Running, Team);
        Assert.True(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));

        await h.PromoteNewReleaseAsync(template);
        h.Clock.AdvanceDays(400);

        var loaded = await h.Templates.GetTemplateAsync(template, Team);
        Assert.Equal(ReleaseState.Deprecated, loaded.GetRelease(R(1)).State);
        Assert.True(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));
        Assert.True(loaded.CanRun(await h.Installations.GetAsync(installation.Id, VersioningHarness.Team), h.Clock.GetCurrentInstant()));
        await h.Installations.SetStatusAsync(installation.Id, RunStatus.Paused, Team);
        Assert.False(await h.Installations.CanRunAsync(installation.Id, VersioningHarness.Team));
    }
}
