using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Installations;

/// <summary>Refused migrations name the rule and change nothing (M1, M3, Z5, Z11, Z13, Z14, X1).</summary>
public sealed partial class MigrationTests
{
    [Fact]
    public async Task StartMigrationAsync_SameVersionOnBothSides_RefusedM1AndNothingChanges_M1()
    {
        using var h = new VersioningHarness();
        var app = await PopulatedAsync(h);

        var refused = await AssertStartRefusedAsync(h, app, "1.0.0", "1.0.0", MigrationScope.All, "M1");

        Assert.Equal("version 1.0.0", refused.Subject);
    }

    [Fact]
    public async Task StartMigrationAsync_TargetLegacy_RefusedZ11AndNothingChanges_M3()
    {
        using var h = new VersioningHarness();
        var app = await PopulatedAsync(h);
        await h.AddVersionAsync(app, "1.1.0");
        await h.Integrations.MarkLegacyAsync(app, V("1.1.0"), Team);

        var refused = await AssertStartRefusedAsync(h, app, "1.0.0", "1.1.0", MigrationScope.Percentage(50), "Z11");

        Assert.Equal("Legacy", refused.State);
    }

    [Fact]
    public async Task StartMigrationAsync_TargetDeprecating_RefusedZ13AndNothingChanges_Z13()
    {
        using var h = new VersioningHarness();
        var app = await PopulatedAsync(h);
        await h.AddVersionAsync(app, "1.1.0");
        await h.Integrations.DeprecateAsync(app, V("1.1.0"), new LocalDate(2026, 3, 1), DeprecationReason.LowUsage, null, Team);

        var refused = await AssertStartRefusedAsync(h, app, "1.0.0", "1.1.0", MigrationScope.ForUser("u1"), "Z13");

        Assert.Equal("Deprecating", refused.State);
    }

    [Fact]
    public async Task StartMigrationAsync_TargetDeprecated_RefusedZ14AndNothingChanges_Z14()
    {
        using var h = new VersioningHarness();
        var app = await PopulatedAsync(h);
        await h.AddVersionAsync(app, "1.1.0");
        await h.Integrations.DeprecateAsync(app, V("1.1.0"), new LocalDate(2026, 3, 1), DeprecationReason.LowUsage, null, Team);
        h.Clock.Reset(Instant.FromUtc(2026, 3, 1, 0, 0));

        var refused = await AssertStartRefusedAsync(h, app, "1.0.0", "1.1.0", MigrationScope.Percentage(100), "Z14");

        Assert.Equal("Deprecated", refused.State);
    }

    [Fact]
    public async Task StartMigrationAsync_FromDeprecatedVersion_IsAllowedAsSource_Z14()
    {
        using var h = new VersioningHarness();
        var app = await PopulatedAsync(h, 4);
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        await h.Integrations.DeprecateAsync(app, V("1.0.0"), new LocalDate(2026, 3, 1), DeprecationReason.Replaced, null, Team);
        h.Clock.Reset(Instant.FromUtc(2026, 3, 2, 0, 0));

        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team);
        job = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal(MigrationState.Completed, job.State);
        Assert.Equal(4, job.Moved);
        Assert.Equal(4, (await h.InstallationStore.CountAsync(ProductRef.Of(app), K("1.1.0"))).Total);
    }

    [Fact]
    public async Task StartMigrationAsync_AcrossMajors_RefusedM3AndNothingChanges_M3()
    {
        using var h = new VersioningHarness();
        var app = await PopulatedAsync(h);
        await h.AddVersionAsync(app, "2.0.0", promote: true);

        var refused = await AssertStartRefusedAsync(h, app, "1.0.0", "2.0.0", MigrationScope.All, "M3");

        Assert.Contains("MAJOR", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartMigrationAsync_AcrossMajorsWithOptionOff_IsAllowed_M3()
    {
        using var h = new VersioningHarness(o => o.MigrationsWithinMajorOnly = false);
        var app = await PopulatedAsync(h, 3);
        await h.AddVersionAsync(app, "2.0.0", promote: true);

        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("2.0.0"), MigrationScope.All, Team);
        job = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal(3, job.Moved);
    }

    [Fact]
    public async Task StartMigrationAsync_LabeledTarget_RefusedZ5AndNothingChanges_Z5()
    {
        using var h = new VersioningHarness();
        var app = await PopulatedAsync(h);
        await h.AddVersionAsync(app, "1.1.0-beta");

        var refused = await AssertStartRefusedAsync(h, app, "1.0.0", "1.1.0-beta", MigrationScope.ForUser("u1"), "Z5");

        Assert.Equal("version 1.1.0-beta", refused.Subject);
        Assert.False((await h.Integrations.GetIntegrationAsync(app, Team)).CanAccess(V("1.1.0-beta"), new ActorId("u1")));
    }

    [Fact]
    public async Task StartMigrationAsync_LabeledSource_RefusedZ5AndNothingChanges_Z5()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.AddVersionAsync(app, "1.0.0-beta");
        await h.InstallAsync(app, OwnerRef.User("team"), "1.0.0-beta");

        var refused = await AssertStartRefusedAsync(h, app, "1.0.0-beta", "1.0.0", MigrationScope.ForUser("team"), "Z5");

        Assert.Equal("version 1.0.0-beta", refused.Subject);
    }

    [Theory]
    [InlineData("Legacy")]
    [InlineData("Deprecating")]
    [InlineData("Deprecated")]
    public async Task StartMigrationAsync_LabeledSourceNoLongerPrivate_RefusedZ5AndNothingChanges_Z5(string state)
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.AddVersionAsync(app, "1.0.0-beta");
        await h.InstallAsync(app, OwnerRef.User("team"), "1.0.0-beta");
        if (state == "Legacy")
        {
            await h.Integrations.MarkLegacyAsync(app, V("1.0.0-beta"), Team);
        }
        else
        {
            await h.Integrations.DeprecateAsync(app, V("1.0.0-beta"), new LocalDate(2026, 3, 1), DeprecationReason.Replaced, null, Team);
            if (state == "Deprecated")
            {
                h.Clock.Reset(Instant.FromUtc(2026, 3, 1, 0, 0));
            }
        }

        var refused = await AssertStartRefusedAsync(h, app, "1.0.0-beta", "1.0.0", MigrationScope.All, "Z5");

        Assert.Equal(("version 1.0.0-beta", state), (refused.Subject, refused.State));
        var integration = await h.Integrations.GetIntegrationAsync(app, Team);
        Assert.Equal("Z5", integration.WhyNot(V("1.0.0-beta"), VersionAction.MigrateFrom, h.Clock.GetCurrentInstant(), 1, 5).RuleId);
    }

    [Fact]
    public async Task StartMigrationAsync_PercentageToPrivateTarget_RefusedM3AndNothingChanges_M3()
    {
        using var h = new VersioningHarness();
        var app = await PopulatedAsync(h);
        await h.AddVersionAsync(app, "1.1.0");

        var refused = await AssertStartRefusedAsync(h, app, "1.0.0", "1.1.0", MigrationScope.Percentage(10), "M3");

        Assert.Equal("Private", refused.State);
        await AssertStartRefusedAsync(h, app, "1.0.0", "1.1.0", MigrationScope.All, "M3");
    }

    [Fact]
    public async Task StartMigrationAsync_TargetDropsConnectorAndOperation_RefusedM3ListingWhatWasRemoved_M3()
    {
        using var h = new VersioningHarness();
        var app = await PopulatedAsync(h);
        await h.AddVersionAsync(app, "1.1.0", ContentWithoutMail);

        var refused = await AssertStartRefusedAsync(h, app, "1.0.0", "1.1.0", MigrationScope.ForUser("u1"), "M3");

        Assert.Equal(["connector Mail removed", "operation Mail.Send removed"], refused.Problems);
        Assert.False((await h.Integrations.GetIntegrationAsync(app, Team)).CanAccess(V("1.1.0"), new ActorId("u1")));
    }

    [Fact]
    public async Task StartMigrationAsync_BreakingTargetEvenWithHigherMinorAndPromotable_RefusedM3_M3()
    {
        using var h = new VersioningHarness(o => o.MigrationsWithinMajorOnly = false);
        var app = await PopulatedAsync(h);
        await h.AddVersionAsync(app, "2.0.0", ContentWithoutMail, promote: true);

        var refused = await AssertStartRefusedAsync(h, app, "1.0.0", "2.0.0", MigrationScope.All, "M3");

        Assert.Contains("connector Mail removed", refused.Problems);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-5)]
    public void Percentage_OutsideOneToHundred_ThrowsArgumentOutOfRangeNamingPercent_M2(int percent)
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => MigrationScope.Percentage(percent));

        Assert.Equal("percent", refused.ParamName);
        Assert.Equal(percent, refused.ActualValue);
    }

    [Fact]
    public async Task StartMigrationAsync_UnknownVersionOrNonTeamActor_RefusedAndNothingChanges_X1()
    {
        using var h = new VersioningHarness();
        var app = await PopulatedAsync(h);
        var before = await h.CaptureAsync(ProductRef.Of(app));

        await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.9.0"), MigrationScope.All, Team));
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.0.0"), MigrationScope.All, new ActorId("mallory")));
        var nullScope = await Assert.ThrowsAsync<ArgumentNullException>(() => h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.0.0"), null!, Team));
        Assert.Equal("scope", nullScope.ParamName);

        (await h.CaptureAsync(ProductRef.Of(app))).AssertSameAs(before);
    }
}
