using Versioning.Core.Integrations;
using Versioning.Core.Services;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

/// <summary>
/// The integration version rules (Z1–Z17, X1, X2, X6) through <see cref="IntegrationService"/> on the in-memory stores.
/// Split by aspect into partial files: Numbering, Creation, Editing, Access, Promotion, Installation, Legacy,
/// Deprecation, Deletion, Listing, History, Refusals (X1), Clock (X2), Errors (X6).
/// </summary>
public partial class IntegrationServiceTests
{
    private readonly IntegrationHarness _h = new();

    /// <summary>Runs <paramref name="act"/>, expects a refusal for <paramref name="ruleId"/> and returns it.</summary>
    private static async Task<VersioningRuleException> RefusedAsync(string ruleId, Func<Task> act)
    {
        var ex = await Assert.ThrowsAsync<VersioningRuleException>(act);
        Assert.True(ruleId == ex.RuleId, $"Expected rule {ruleId} but got {ex.RuleId}: {ex.Message}");
        return ex;
    }

    private async Task<VersionState> StateNowAsync(IntegrationId id, string number)
        => (await _h.VersionAsync(id, number)).StateAt(_h.Now);

    private async Task<int> PromotedCountAsync(IntegrationId id, Instant at)
        => (await _h.LoadAsync(id)).Versions.Count(v => v.StateAt(at) == VersionState.Promoted);
}
