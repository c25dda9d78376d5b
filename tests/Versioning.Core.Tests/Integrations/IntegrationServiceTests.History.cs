using Versioning.Core.Auditing;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

public partial class IntegrationServiceTests
{
    [Fact]
    public async Task History_EveryActionAppendsWhatMessageActorVersionAndInstant_Z17()
    {
        var id = await _h.NewIntegrationAsync();
        var step = 0;
        Instant Tick()
        {
            _h.Clock.Advance(Duration.FromMinutes(1) + Duration.FromTicks(++step));
            return _h.Now;
        }

        var expected = new List<(AuditAction Action, ActorId Actor, string? Subject, Instant At)>
        {
            (AuditAction.Created, Owner, null, Start),
        };

        async Task Do(Func<Task> act, params (AuditAction Action, ActorId Actor, string? Subject)[] entries)
        {
            var at = Tick();
            await act();
            expected.AddRange(entries.Select(e => (e.Action, e.Actor, e.Subject, at)));
        }

        await Do(() => _h.Service.AddTeamMemberAsync(id, Teammate, Owner), (AuditAction.TeamChanged, Owner, null));
        await Do(() => _h.Service.CreateVersionAsync(id, V("1.0.0"), CrmContent, Teammate), (AuditAction.ReleaseCreated, Teammate, "1.0.0"));
        await Do(() => _h.Service.SetNotesAsync(id, V("1.0.0"), "First.", Teammate), (AuditAction.NotesChanged, Teammate, "1.0.0"));
        await Do(() => _h.Service.EditContentAsync(id, V("1.0.0"), Workflow(("Salesforce", "NewLead"), ("Gmail", "SendEmail"), ("Slack", "Post")), Owner), (AuditAction.ContentEdited, Owner, "1.0.0"));
        await Do(() => _h.Service.ShareAsync(id, V("1.0.0"), Outsider, Owner), (AuditAction.Shared, Owner, "1.0.0"));
        await Do(() => _h.Service.UnshareAsync(id, V("1.0.0"), Outsider, Owner), (AuditAction.Unshared, Owner, "1.0.0"));
        await Do(() => _h.Service.ShareAsync(id, null, Outsider, Owner), (AuditAction.Shared, Owner, null));
        await Do(() => _h.Service.UnshareAsync(id, null, Outsider, Owner), (AuditAction.Unshared, Owner, null));
        await Do(() => _h.Service.PromoteAsync(id, V("1.0.0"), Teammate), (AuditAction.Promoted, Teammate, "1.0.0"));
        await Do(() => _h.Service.CloneVersionAsync(id, V("1.0.0"), V("1.0.1"), Owner), (AuditAction.ReleaseCreated, Owner, "1.0.1"));
        await Do(() => _h.Service.SetNotesAsync(id, V("1.0.1"), "Second.", Owner), (AuditAction.NotesChanged, Owner, "1.0.1"));
        await Do(() => _h.Service.PromoteAsync(id, V("1.0.1"), Owner), (AuditAction.Demoted, Owner, "1.0.0"), (AuditAction.Promoted, Owner, "1.0.1"));
        await Do(() => _h.Service.MarkLegacyAsync(id, V("1.0.0"), Teammate), (AuditAction.MarkedLegacy, Teammate, "1.0.0"));
        await Do(() => _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(40), DeprecationReason.Other, "Vendor API v1 retired", Owner), (AuditAction.DeprecationScheduled, Owner, "1.0.0"));
        await Do(() => _h.Service.CreateVersionAsync(id, V("1.0.2-beta"), null, Owner), (AuditAction.ReleaseCreated, Owner, "1.0.2-beta"));
        await Do(() => _h.Service.DeleteVersionAsync(id, V("1.0.2-beta"), Owner), (AuditAction.Deleted, Owner, "1.0.2-beta"));
        await Do(() => _h.Service.RemoveTeamMemberAsync(id, Teammate, Owner), (AuditAction.TeamChanged, Owner, null));

        var history = (await _h.LoadAsync(id)).AuditTrail;

        Assert.Equal(expected, history.Select(e => (e.Action, e.Actor, e.Subject, e.At)));
        Assert.All(history, e => Assert.False(string.IsNullOrWhiteSpace(e.Details)));
        Assert.All(history.Where(e => e.Subject is not null), e => Assert.Contains(e.Subject!, e.Details));
        Assert.Contains("Vendor API v1 retired", history.Single(e => e.Action == AuditAction.DeprecationScheduled).Details);
        Assert.Contains("clone of 1.0.0", history.Single(e => e.Subject == "1.0.1" && e.Action == AuditAction.ReleaseCreated).Details);
        Assert.Contains("replacing 1.0.0", history.Single(e => e.Subject == "1.0.1" && e.Action == AuditAction.Promoted).Details);
    }

    [Fact]
    public async Task History_EventsMirrorEveryEntry_Z17()
    {
        var id = await _h.EveryStateAsync();

        var history = (await _h.LoadAsync(id)).AuditTrail;
        var events = (await _h.AllEventsAsync()).Where(e => e.AggregateKind == "Integration").ToList();

        Assert.Equal(
            history.Select(e => (e.Action.ToString(), e.Actor, e.Subject, e.At, e.Details)),
            events.Select(e => (e.Type, e.Actor, e.Subject, e.At, e.Details)));
        Assert.All(events, e => Assert.Equal(id.ToString(), e.AggregateId));
    }

    [Fact]
    public async Task History_IsAppendOnly_EarlierEntriesNeverChange_Z17()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        var snapshot = (await _h.LoadAsync(id)).AuditTrail.ToList();

        await _h.PromoteAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.0.1");
        await _h.Service.DeleteVersionAsync(id, V("1.0.1"), Owner);

        var history = (await _h.LoadAsync(id)).AuditTrail;
        Assert.Equal(snapshot, history.Take(snapshot.Count));
        Assert.Equal(snapshot.Count + 4, history.Count);
    }

    [Fact]
    public async Task History_NoOpCommands_AppendNothing_Z17()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0", notes: "Same.");
        await _h.Service.ShareAsync(id, V("1.0.0"), Outsider, Owner);
        var count = (await _h.LoadAsync(id)).AuditTrail.Count;
        var stored = _h.Stored(id);

        await _h.Service.SetNotesAsync(id, V("1.0.0"), "Same.", Owner);
        await _h.Service.ShareAsync(id, V("1.0.0"), Outsider, Owner);
        await _h.Service.UnshareAsync(id, V("1.0.0"), OtherOutsider, Owner);
        await _h.Service.UnshareAsync(id, null, OtherOutsider, Owner);
        await _h.Service.AddTeamMemberAsync(id, Owner, Owner);

        Assert.Equal(count, (await _h.LoadAsync(id)).AuditTrail.Count);
        Assert.Same(stored, _h.Stored(id));
    }
}
