using Versioning.Core.Auditing;
using Versioning.Core.Authorization;
using Versioning.Core.Integrations;
using Versioning.Core.Services;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations.Canaries;

public sealed partial class CanaryTests
{
    [Fact]
    public async Task StartCanary_ByAnOutsider_DeniedAsStartCanary_K4()
    {
        var id = await EveryStateAsync();

        var ex = await UnchangedAsync(id, () => Assert.ThrowsAsync<VersioningAccessDeniedException>(() => StartAsync(id, "1.0.0", "1.1.0", by: Outsider)));

        Assert.Equal(("StartCanary", Outsider), (ex.Command, ex.Actor));
    }

    [Fact]
    public async Task StartCanary_AsksThePolicyWithTheCommandName_K4()
    {
        var policy = new RecordingPolicy();
        var h = new IntegrationHarness();
        var service = new IntegrationService(h.Integrations, h.Installations, [], policy, h.Clock, h.Options);
        var id = await h.EveryStateAsync();

        var canary = await service.StartCanaryAsync(id, V("1.0.0"), V("1.1.0"), 10, Hour, CanaryScope.All, Owner);
        await service.DeleteCanaryAsync(id, canary.Id, Owner);

        Assert.Equal(["StartCanary", "DeleteCanary"], policy.Commands);
    }

    [Fact]
    public async Task DeleteCanary_ByAnOutsider_DeniedAsDeleteCanary_K4()
    {
        var id = await EveryStateAsync();
        var canary = await StartAsync(id, "1.0.0", "1.1.0");

        var ex = await UnchangedAsync(id, () => Assert.ThrowsAsync<VersioningAccessDeniedException>(() => _h.Service.DeleteCanaryAsync(id, canary.Id, Outsider)));

        Assert.Equal("DeleteCanary", ex.Command);
        Assert.NotNull((await _h.LoadAsync(id)).ActiveCanary(_h.Now));
    }

    [Fact]
    public async Task StartCanary_IsAuditedAndRaisesOneEvent_K4()
    {
        var id = await EveryStateAsync();
        var events = (await _h.AllEventsAsync()).Count;

        var canary = await StartAsync(id, "1.0.0", "1.1.0", percent: 10);

        var entry = (await _h.LoadAsync(id)).AuditTrail[^1];
        Assert.Equal((AuditAction.CanaryStarted, Owner, _h.Now, "1.1.0"), (entry.Action, entry.Actor, entry.At, entry.Subject));
        Assert.Contains(canary.Id.ToString(), entry.Details);
        Assert.Contains("10%", entry.Details);
        var raised = (await _h.AllEventsAsync()).Skip(events).ToList();
        Assert.Equal(["CanaryStarted"], raised.Select(e => e.Type));
        Assert.Equal(id.ToString(), raised[0].AggregateId);
    }

    [Fact]
    public async Task DeleteCanary_EndsItNowAuditedWithAnEvent_K4()
    {
        var id = await EveryStateAsync();
        var canary = await StartAsync(id, "1.0.0", "1.1.0", percent: 100);
        _h.Clock.Advance(Duration.FromMinutes(10));
        var events = (await _h.AllEventsAsync()).Count;

        var deleted = await _h.Service.DeleteCanaryAsync(id, canary.Id, Owner);

        Assert.Equal(canary, deleted);
        var loaded = await _h.LoadAsync(id);
        Assert.Empty(loaded.Canaries);
        Assert.Null(loaded.ActiveCanary(_h.Now));
        Assert.Equal((AuditAction.CanaryDeleted, _h.Now), (loaded.AuditTrail[^1].Action, loaded.AuditTrail[^1].At));
        Assert.Equal(["CanaryDeleted"], (await _h.AllEventsAsync()).Skip(events).Select(e => e.Type));
        Assert.Empty(await _h.Service.ListEndedCanariesAsync(Owner, _h.Now + Duration.FromDays(1)));
    }

    [Fact]
    public async Task DeleteCanary_Unknown_NotFound_K4()
    {
        var id = await EveryStateAsync();

        var ex = await UnchangedAsync(id, () => Assert.ThrowsAsync<EntityNotFoundException>(() => _h.Service.DeleteCanaryAsync(id, CanaryId.New(), Owner)));

        Assert.Equal("Canary", ex.Kind);
        Assert.Equal("canaryId", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.DeleteCanaryAsync(id, default, Owner))).ParamName);
    }

    [Fact]
    public async Task ListCanaries_HidesACanaryToAPrivateVersionFromThoseWhoCannotSeeIt_K4()
    {
        var id = await EveryStateAsync();
        var canary = await StartAsync(id, "1.1.0", "1.4.0", scope: CanaryScope.ForUser("olivia"));

        Assert.Equal([canary], await _h.Service.ListCanariesAsync(id, Owner));
        Assert.Equal([canary], await _h.Service.ListCanariesAsync(id, new ActorId("olivia")));
        Assert.Empty(await _h.Service.ListCanariesAsync(id, OtherOutsider));
    }

    [Fact]
    public async Task ListCanaries_EmptyViewer_RefusedNamingTheParameter_X6()
    {
        var id = await EveryStateAsync();
        await StartAsync(id, "1.0.0", "1.1.0");

        Assert.Equal("viewer", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.ListCanariesAsync(id, default))).ParamName);
    }

    [Fact]
    public async Task GetIntegration_ShowsAnOutsiderOnlyTheCanariesThatAreTheirs_X8()
    {
        var id = await EveryStateAsync();
        // To a never-public version, for olivia: only she (and the team) may see it.
        var toPrivate = await StartAsync(id, "1.1.0", "1.4.0", scope: CanaryScope.ForUser("olivia"));

        Assert.Equal([toPrivate], (await _h.Service.GetIntegrationAsync(id, Owner)).Canaries);
        Assert.Equal([toPrivate], (await _h.Service.GetIntegrationAsync(id, Outsider)).Canaries);
        var oscars = await _h.Service.GetIntegrationAsync(id, OtherOutsider);
        Assert.Empty(oscars.Canaries);
        Assert.DoesNotContain(oscars.AuditTrail, e => e.Details.Contains(toPrivate.Id.ToString(), StringComparison.Ordinal));

        // Between public versions, but for one user or one account: not oscar's either, nor its history.
        await _h.Service.DeleteCanaryAsync(id, toPrivate.Id, Owner);
        var forOlivia = await StartAsync(id, "1.0.0", "1.1.0", scope: CanaryScope.ForUserInAccount("olivia", "acme"));
        Assert.Empty((await _h.Service.GetIntegrationAsync(id, OtherOutsider)).Canaries);
        Assert.Empty(await _h.Service.ListCanariesAsync(id, OtherOutsider));
        Assert.Equal([forOlivia], (await _h.Service.GetIntegrationAsync(id, Outsider)).Canaries);
        await _h.Service.DeleteCanaryAsync(id, forOlivia.Id, Owner);
        var forAcme = await StartAsync(id, "1.0.0", "1.1.0", scope: CanaryScope.ForAccount("acme"));
        oscars = await _h.Service.GetIntegrationAsync(id, OtherOutsider);
        Assert.Empty(oscars.Canaries);
        Assert.DoesNotContain(oscars.AuditTrail, e => e.Action is AuditAction.CanaryStarted or AuditAction.CanaryDeleted or AuditAction.CanaryExpired);

        // For all executions between public versions: everyone's, with its start in the history.
        await _h.Service.DeleteCanaryAsync(id, forAcme.Id, Owner);
        var forAll = await StartAsync(id, "1.0.0", "1.1.0");
        oscars = await _h.Service.GetIntegrationAsync(id, OtherOutsider);
        Assert.Equal([forAll], oscars.Canaries);
        var seen = Assert.Single(oscars.AuditTrail, e => e.Action is AuditAction.CanaryStarted or AuditAction.CanaryDeleted or AuditAction.CanaryExpired);
        Assert.Contains(forAll.Id.ToString(), seen.Details, StringComparison.Ordinal);
        Assert.Equal(4, (await _h.Service.GetIntegrationAsync(id, Owner)).AuditTrail.Count(e => e.Action == AuditAction.CanaryStarted));
    }

    private sealed class RecordingPolicy : IAccessPolicy
    {
        public List<string> Commands { get; } = [];

        public bool CanChange(ActorId actor, string command, AccessTarget target)
        {
            Commands.Add(command);
            return target.IsTeamMember(actor);
        }
    }
}
