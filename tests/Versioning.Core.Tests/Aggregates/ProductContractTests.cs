using Versioning.Core.Aggregates;
using Versioning.Core.Installations;
using Versioning.Core.Tests.Installations;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Aggregates;

/// <summary>
/// A2: templates and integrations through the one product contract and the generic service entry points give the same
/// answers and refusals as their own commands, and a refused generic command changes nothing (X1).
/// </summary>
public sealed class ProductContractTests
{
    [Fact]
    public async Task GenericInstall_Template_PinsTheLiveRelease_AndRefusesAnyOther_T12_A2()
    {
        using var h = new VersioningHarness();
        var id = await h.NewTemplateAsync();
        var live = await h.PromoteNewReleaseAsync(id);
        var product = ProductRef.Of(id);

        var installed = await h.Installations.InstallAsync(product, OwnerRef.User("ann"), Team);
        Assert.Equal(VersionKey.ForRelease(live), installed.Pinned);
        Assert.Equal("Paused", RunStatusOf(installed));

        var before = await h.CaptureAsync(product);
        var ex = await Assert.ThrowsAsync<VersioningRuleException>(() => h.Installations.InstallAsync(product, OwnerRef.User("ann"), Team, version: VersionKey.ForRelease(R(1))));
        Assert.Equal("T12", ex.RuleId);
        (await h.CaptureAsync(product)).AssertSameAs(before);
    }

    [Fact]
    public async Task GenericStart_Template_IsAnUpgradeToLive_AndRefusesASourceOrAnotherTarget_T13_A2()
    {
        using var h = new VersioningHarness();
        var id = await h.NewTemplateAsync();
        var product = ProductRef.Of(id);
        await h.Templates.InstallAsync(id, OwnerRef.User("ann"), Team);
        var live = await h.PromoteNewReleaseAsync(id);
        var before = await h.CaptureAsync(product);

        Assert.Equal("T13", (await Assert.ThrowsAsync<VersioningRuleException>(() => h.Migrations.StartAsync(product, VersionKey.ForRelease(R(1)), null, MigrationScope.All, Team))).RuleId);
        Assert.Equal("T13", (await Assert.ThrowsAsync<VersioningRuleException>(() => h.Migrations.StartAsync(product, null, VersionKey.ForRelease(R(1)), MigrationScope.All, Team))).RuleId);
        (await h.CaptureAsync(product)).AssertSameAs(before);

        var job = await h.Migrations.StartAsync(product, null, null, MigrationScope.All, Team);
        Assert.Equal((null, VersionKey.ForRelease(live), 1L), (job.From, job.To, job.Total));
        Assert.Equal(MigrationState.Completed, (await h.Migrations.RunAsync(job.Id, Team)).State);
    }

    [Fact]
    public async Task GenericStart_Integration_ChecksLikeStartMigration_AndNeedsBothVersions_M1_A2()
    {
        using var h = new VersioningHarness();
        var id = await h.NewIntegrationAsync();
        await h.AddVersionAsync(id, "1.1.0", promote: true);
        var product = ProductRef.Of(id);
        await h.InstallAsync(id, OwnerRef.User("ann"), "1.0.0");
        var before = await h.CaptureAsync(product);

        Assert.Equal("M1", (await Assert.ThrowsAsync<VersioningRuleException>(() => h.Migrations.StartAsync(product, K("1.0.0"), K("1.0.0"), MigrationScope.All, Team))).RuleId);
        Assert.Equal("to", (await Assert.ThrowsAsync<ArgumentException>(() => h.Migrations.StartAsync(product, K("1.0.0"), null, MigrationScope.All, Team))).ParamName);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Migrations.StartAsync(product, K("1.0.0"), VersionKey.FromStored("not-a-version"), MigrationScope.All, Team));
        (await h.CaptureAsync(product)).AssertSameAs(before);

        var job = await h.Migrations.StartAsync(product, K("1.0.0"), K("1.1.0"), MigrationScope.All, Team);
        Assert.Equal((K("1.0.0"), K("1.1.0"), 1L), (job.From, job.To, job.Total));
    }

    [Fact]
    public async Task BothAggregates_AnswerI3ThroughTheContract_LikeCanRun_I3_A2()
    {
        using var h = new VersioningHarness();
        var templateId = await h.NewTemplateAsync();
        var integrationId = await h.NewIntegrationAsync();
        var template = (IProduct)await h.Templates.GetTemplateAsync(templateId, Team);
        var integration = (IProduct)await h.Integrations.GetIntegrationAsync(integrationId, Team);
        var at = h.Clock.GetCurrentInstant();

        Assert.True(template.RunsInstallationsOn(VersionKey.ForRelease(R(1)), at));
        Assert.False(template.RunsInstallationsOn(VersionKey.ForRelease(R(9)), at));
        Assert.False(template.RunsInstallationsOn(K("1.0.0"), at));
        Assert.True(integration.RunsInstallationsOn(K("1.0.0"), at));
        Assert.False(integration.RunsInstallationsOn(VersionKey.FromStored("1"), at));
        Assert.Equal(ProductRef.Of(templateId), template.Product);
        Assert.Equal(ProductRef.Of(integrationId), integration.Product);
    }

    private static string RunStatusOf(Installation installation) => installation.Status.ToString();
}
