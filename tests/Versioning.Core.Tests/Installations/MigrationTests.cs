using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Installations;

/// <summary>
/// Migrations of integration installations (M1–M5) and upgrades of template installations (T13), split by aspect:
/// refusals, scopes, job states, upgrades, and scale.
/// </summary>
public sealed partial class MigrationTests
{
    /// <summary>1.0.0 Promoted with <paramref name="installations"/> user installations on it.</summary>
    private static async Task<IntegrationId> PopulatedAsync(VersioningHarness h, int installations = 10)
    {
        var app = await h.NewIntegrationAsync();
        await h.InstallUsersAsync(app, installations);
        return app;
    }

    /// <summary>Asserts the start is refused with <paramref name="ruleId"/> and changes nothing (X1).</summary>
    private static async Task<VersioningRuleException> AssertStartRefusedAsync(VersioningHarness h, IntegrationId app, string from, string to, MigrationScope scope, string ruleId)
    {
        var before = await h.CaptureAsync(ProductRef.Of(app));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.Migrations.StartMigrationAsync(app, V(from), V(to), scope, Team));

        Assert.Equal(ruleId, refused.RuleId);
        Assert.Contains($"({ruleId}", refused.Message, StringComparison.Ordinal);
        Assert.Equal("Integration", refused.AggregateKind);
        Assert.Equal(app.ToString(), refused.AggregateId);
        (await h.CaptureAsync(ProductRef.Of(app))).AssertSameAs(before);
        Assert.Empty(await h.Migrations.ListJobsAsync(ProductRef.Of(app), VersioningHarness.Team));
        return refused;
    }
}
