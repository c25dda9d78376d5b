using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Services;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations.Canaries;

/// <summary>
/// Canary releases (K1–K6) through <see cref="IntegrationService"/> on the in-memory stores. Split by aspect into partial
/// files: Start (K1 and its refusals), Commands (K4: authorization, audit, events, deletion), Expiry (K3), Routing
/// (K2, K5, K6).
/// </summary>
public sealed partial class CanaryTests
{
    private static readonly Duration Hour = Duration.FromHours(1);

    private readonly IntegrationHarness _h = new();

    /// <summary>1.0.0 Available, 1.1.0 Promoted, 1.2.0 Legacy, 1.3.0 Deprecating, 1.4.0 Private, 1.5.0-beta Private (labeled).</summary>
    private Task<IntegrationId> EveryStateAsync() => _h.EveryStateAsync();

    private Task<Canary> StartAsync(IntegrationId id, string from, string to, int percent = 10, Duration? duration = null, CanaryScope scope = default, ActorId? by = null)
        => _h.Service.StartCanaryAsync(id, V(from), V(to), percent, duration ?? Hour, scope, by ?? Owner);

    private static async Task<VersioningRuleException> RefusedAsync(string ruleId, Func<Task> act)
    {
        var ex = await Assert.ThrowsAsync<VersioningRuleException>(act);
        Assert.True(ruleId == ex.RuleId, $"Expected rule {ruleId} but got {ex.RuleId}: {ex.Message}");
        return ex;
    }

    /// <summary>Runs a refused command and checks it changed nothing (X1): same stored snapshot object, no new event.</summary>
    private async Task<T> UnchangedAsync<T>(IntegrationId id, Func<Task<T>> refusal)
    {
        var before = _h.Stored(id);
        var events = (await _h.AllEventsAsync()).Count;
        var result = await refusal();
        Assert.Same(before, _h.Stored(id));
        Assert.Equal(events, (await _h.AllEventsAsync()).Count);
        return result;
    }

    private static Installation Installation(IntegrationId id, string pinned, OwnerRef owner) => new()
    {
        Id = InstallationId.New(),
        Product = ProductRef.Of(id),
        Owner = owner,
        Pinned = VersionKey.ForVersion(V(pinned)),
        Status = RunStatus.Running,
        CreatedAt = Start,
        UpdatedAt = Start,
    };
}
