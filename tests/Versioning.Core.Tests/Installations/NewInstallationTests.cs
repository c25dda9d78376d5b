using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Installations;

/// <summary>Z10, Z11, Z13, Z14: which version a new installation of an integration gets, and which it may not.</summary>
public sealed class NewInstallationTests
{
    private static readonly ActorId Outsider = new("olivia");

    [Fact]
    public async Task InstallAsync_NoVersionNamed_GetsThePromotedVersion_Z10()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        await h.AddVersionAsync(app, "1.2.0");

        var installation = await h.InstallAsync(app, OwnerRef.User("olivia"), by: Outsider);

        Assert.Equal(K("1.1.0"), installation.Pinned);
        Assert.Equal(RunStatus.Paused, installation.Status);
        var integration = await h.Integrations.GetIntegrationAsync(app, Team);
        Assert.Equal(V("1.1.0"), integration.ResolveForNewInstallation(null, Outsider, h.Clock.GetCurrentInstant()));
    }

    [Fact]
    public async Task InstallAsync_AvailableVersionNamed_GetsIt_Z10()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.AddVersionAsync(app, "1.1.0", promote: true);

        var installation = await h.InstallAsync(app, OwnerRef.User("olivia"), "1.0.0", by: Outsider);

        Assert.Equal(K("1.0.0"), installation.Pinned);
    }

    [Fact]
    public async Task InstallAsync_PrivateVersionNamedBySharedOrTeamUser_GetsItOtherwiseNotFound_Z10()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.AddVersionAsync(app, "1.1.0");
        var before = await h.CaptureAsync(ProductRef.Of(app));

        await Assert.ThrowsAsync<EntityNotFoundException>(() => h.InstallAsync(app, OwnerRef.User("olivia"), "1.1.0", by: Outsider));
        (await h.CaptureAsync(ProductRef.Of(app))).AssertSameAs(before);

        Assert.Equal(K("1.1.0"), (await h.InstallAsync(app, OwnerRef.User("team"), "1.1.0", by: Team)).Pinned);
        await h.Integrations.ShareAsync(app, V("1.1.0"), Outsider, Team);
        Assert.Equal(K("1.1.0"), (await h.InstallAsync(app, OwnerRef.User("olivia"), "1.1.0", by: Outsider)).Pinned);
    }

    [Fact]
    public async Task InstallAsync_NothingPromotedAndNoVersionNamed_RefusedZ10_Z10()
    {
        using var h = new VersioningHarness();
        var integration = await h.Integrations.CreateIntegrationAsync("Unreleased", Team);
        await h.AddVersionAsync(integration.Id, "1.0.0");

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.InstallAsync(integration.Id, OwnerRef.User("team")));

        Assert.Equal("Z10", refused.RuleId);
        Assert.Empty(await h.InstallationStore.CountByVersionAsync(ProductRef.Of(integration.Id)));
    }

    [Fact]
    public async Task InstallAsync_LegacyVersionNamed_RefusedZ11AndNothingSaved_Z10()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        await h.Integrations.MarkLegacyAsync(app, V("1.0.0"), Team);
        var before = await h.CaptureAsync(ProductRef.Of(app));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.InstallAsync(app, OwnerRef.User("olivia"), "1.0.0", by: Outsider));

        Assert.Equal(("Z11", "Legacy"), (refused.RuleId, refused.State));
        (await h.CaptureAsync(ProductRef.Of(app))).AssertSameAs(before);
    }

    [Fact]
    public async Task InstallAsync_DeprecatingVersionNamed_RefusedZ13AndNothingSaved_Z13()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.InstallAsync(app, OwnerRef.User("early"));
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        await h.Integrations.DeprecateAsync(app, V("1.0.0"), new LocalDate(2026, 6, 1), DeprecationReason.Other, "moved to v1.1", Team);
        var before = await h.CaptureAsync(ProductRef.Of(app));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.InstallAsync(app, OwnerRef.User("olivia"), "1.0.0", by: Outsider));

        Assert.Equal(("Z13", "Deprecating"), (refused.RuleId, refused.State));
        (await h.CaptureAsync(ProductRef.Of(app))).AssertSameAs(before);
        Assert.Equal(K("1.1.0"), (await h.InstallAsync(app, OwnerRef.User("olivia"), by: Outsider)).Pinned);
    }

    [Fact]
    public async Task InstallAsync_DeprecatedVersionNamed_RefusedZ14AndNothingSaved_Z14()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        await h.Integrations.DeprecateAsync(app, V("1.0.0"), new LocalDate(2026, 6, 1), DeprecationReason.ApiChange, null, Team);
        h.Clock.Reset(Instant.FromUtc(2026, 6, 1, 0, 0));
        var before = await h.CaptureAsync(ProductRef.Of(app));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.InstallAsync(app, OwnerRef.User("olivia"), "1.0.0", by: Outsider));

        Assert.Equal(("Z14", "Deprecated"), (refused.RuleId, refused.State));
        (await h.CaptureAsync(ProductRef.Of(app))).AssertSameAs(before);
    }

    [Fact]
    public async Task DeprecateAsync_VersionInUseWhileNoOtherPromoted_RefusedZ13_Z13()
    {
        using var h = new VersioningHarness();
        var integration = await h.Integrations.CreateIntegrationAsync("Unreleased", Team);
        await h.AddVersionAsync(integration.Id, "1.0.0");
        await h.InstallAsync(integration.Id, OwnerRef.User("team"), "1.0.0");
        var before = await h.CaptureAsync(ProductRef.Of(integration.Id));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.Integrations.DeprecateAsync(integration.Id, V("1.0.0"), new LocalDate(2026, 6, 1), DeprecationReason.LowUsage, null, Team));

        Assert.Equal("Z13", refused.RuleId);
        (await h.CaptureAsync(ProductRef.Of(integration.Id))).AssertSameAs(before);
    }
}
