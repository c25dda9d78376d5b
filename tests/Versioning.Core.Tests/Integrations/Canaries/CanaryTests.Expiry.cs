using Versioning.Core.Auditing;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations.Canaries;

public sealed partial class CanaryTests
{
    [Fact]
    public async Task Route_ExactlyAtTheEndInstant_StopsDiverting_K3()
    {
        var id = await EveryStateAsync();
        var canary = await StartAsync(id, "1.0.0", "1.1.0", percent: 100, duration: Duration.FromSeconds(30));
        var integration = await _h.LoadAsync(id);
        var installation = Installation(id, "1.0.0", OwnerRef.Account("acme"));

        Assert.Equal("1.1.0", integration.Route(installation, "run-1", canary.EndsAt - Duration.Epsilon).Value);
        Assert.Equal("1.0.0", integration.Route(installation, "run-1", canary.EndsAt).Value);
        Assert.Equal("1.0.0", integration.Route(installation, "run-1", canary.EndsAt + Duration.FromDays(1)).Value);
        Assert.False(canary.IsActiveAt(canary.EndsAt));
        Assert.True(canary.IsActiveAt(canary.EndsAt - Duration.Epsilon));
    }

    [Fact]
    public async Task ListEndedCanaries_FromTheEndInstantOn_UntilTheExpiryIsRecorded_K3()
    {
        var id = await EveryStateAsync();
        var canary = await StartAsync(id, "1.0.0", "1.1.0");

        Assert.Empty(await _h.Service.ListEndedCanariesAsync(Owner, canary.EndsAt - Duration.Epsilon));
        var ended = Assert.Single(await _h.Service.ListEndedCanariesAsync(Owner, canary.EndsAt));
        Assert.Equal((id, "CRM sync", canary), (ended.IntegrationId, ended.IntegrationName, ended.Canary));
    }

    [Fact]
    public async Task RecordCanaryExpired_RaisesTheExpiryEventOnce_K3()
    {
        var id = await EveryStateAsync();
        var canary = await StartAsync(id, "1.0.0", "1.1.0");
        _h.Clock.Advance(Hour + Duration.FromMinutes(5));
        var events = (await _h.AllEventsAsync()).Count;

        Assert.True(await _h.Service.RecordCanaryExpiredAsync(id, canary.Id, Owner));
        Assert.False(await _h.Service.RecordCanaryExpiredAsync(id, canary.Id, Owner));

        var raised = (await _h.AllEventsAsync()).Skip(events).ToList();
        Assert.Equal(["CanaryExpired"], raised.Select(e => e.Type));
        Assert.Equal(canary.EndsAt, raised[0].At);
        Assert.Empty((await _h.LoadAsync(id)).Canaries);
        Assert.Empty(await _h.Service.ListEndedCanariesAsync(Owner));
    }

    [Fact]
    public async Task RecordCanaryExpired_BeforeTheEnd_Refused_K3()
    {
        var id = await EveryStateAsync();
        var canary = await StartAsync(id, "1.0.0", "1.1.0");
        _h.Clock.Advance(Hour - Duration.Epsilon);

        await UnchangedAsync(id, () => RefusedAsync("K3", () => _h.Service.RecordCanaryExpiredAsync(id, canary.Id, Owner)));
    }

    [Fact]
    public async Task DeleteCanary_AfterItEndedByItself_Refused_K3()
    {
        var id = await EveryStateAsync();
        var canary = await StartAsync(id, "1.0.0", "1.1.0");
        _h.Clock.Advance(Hour);

        var ex = await UnchangedAsync(id, () => RefusedAsync("K3", () => _h.Service.DeleteCanaryAsync(id, canary.Id, Owner)));

        Assert.Contains("ended by itself", ex.Message);
    }

    [Fact]
    public async Task StartCanary_AfterAnEndedOne_RecordsItsExpiryFirst_K3()
    {
        var id = await EveryStateAsync();
        var first = await StartAsync(id, "1.0.0", "1.1.0");
        _h.Clock.Advance(Duration.FromHours(3));

        var second = await StartAsync(id, "1.1.0", "1.0.0");

        var loaded = await _h.LoadAsync(id);
        Assert.Equal([second], loaded.Canaries);
        Assert.Equal([AuditAction.CanaryExpired, AuditAction.CanaryStarted], loaded.AuditTrail.TakeLast(2).Select(e => e.Action));
        Assert.Contains(first.Id.ToString(), loaded.AuditTrail[^2].Details);
        Assert.False(await _h.Service.RecordCanaryExpiredAsync(id, first.Id, Owner));
    }
}
