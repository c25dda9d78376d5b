using Versioning.Core.Auditing;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateServiceTests
{
    [Fact]
    public async Task CopyReleaseAsync_SameTemplate_SavedWithProvenanceAndBothAuditEntries_T8()
    {
        var id = await _scenario.NewLineageAsync();

        var (target, copy) = await Service.CopyReleaseAsync(id, R(2), id, Bob);

        Assert.Equal(id, target);
        var stored = await _scenario.LoadAsync(id);
        Assert.Equal(copy, stored.GetRelease(R(4)));
        Assert.Equal(Workflows.OneStep("V2"), copy.Content);
        Assert.Equal(new ReleaseProvenance(id, R(2)), copy.CopiedFrom);
        Assert.Equal(
            [(AuditAction.CopiedTo, "release 2"), (AuditAction.CopiedFrom, "release 4")],
            stored.AuditTrail.TakeLast(2).Select(e => (e.Action, e.Subject!)));
    }

    [Fact]
    public async Task CopyReleaseAsync_AnotherTemplate_SavesBothTemplatesInOneStep_T8()
    {
        var source = await _scenario.NewLineageAsync();
        var destination = await _scenario.NewTemplateAsync("HubSpot sync");
        await Service.CreateDraftAsync(destination, null, Alice);
        var sourceRevision = (await _scenario.LoadAsync(source)).Revision;
        var destinationRevision = (await _scenario.LoadAsync(destination)).Revision;
        var events = _scenario.Store.EventCount;

        var (target, copy) = await Service.CopyReleaseAsync(source, R(1), destination, Bob);

        Assert.Equal(destination, target);
        Assert.Equal(R(2), copy.Number);
        var storedSource = await _scenario.LoadAsync(source);
        var storedDestination = await _scenario.LoadAsync(destination);
        Assert.Equal(copy, storedDestination.GetRelease(R(2)));
        Assert.Equal(Workflows.OneStep("V1"), copy.Content);
        Assert.Equal(storedSource.GetRelease(R(1)).Content, copy.Content);
        Assert.Equal(new ReleaseProvenance(source, R(1)), copy.CopiedFrom);
        Assert.Equal(ReleaseState.Draft, copy.State);
        Assert.Equal([R(1), R(2), R(3)], storedSource.Releases.Select(r => r.Number));
        Assert.Equal((sourceRevision + 1, destinationRevision + 1), (storedSource.Revision, storedDestination.Revision));
        Assert.Equal((AuditAction.CopiedTo, "release 1"), (storedSource.AuditTrail[^1].Action, storedSource.AuditTrail[^1].Subject!));
        Assert.Equal((AuditAction.CopiedFrom, "release 2"), (storedDestination.AuditTrail[^1].Action, storedDestination.AuditTrail[^1].Subject!));
        var saved = await _scenario.Events.ReadAsync(events, 100);
        Assert.Equal(
            [(source.ToString(), "CopiedTo"), (destination.ToString(), "CopiedFrom")],
            saved.Select(e => (e.AggregateId, e.Type)));
    }

    [Fact]
    public async Task CopyReleaseToNewTemplateAsync_CreatesTemplateWhoseFirstReleaseIsTheCopy_T8()
    {
        var source = await _scenario.NewLineageAsync();
        await Service.SetNotesAsync(source, R(2), "Salesforce edition", Alice);

        var (newId, copy) = await Service.CopyReleaseToNewTemplateAsync(source, R(2), "  HubSpot sync ", Bob);

        Assert.NotEqual(source, newId);
        var created = await _scenario.LoadAsync(newId);
        Assert.Equal("HubSpot sync", created.Name);
        Assert.False(created.Published);
        Assert.Equal((Bob, _scenario.Clock.GetCurrentInstant()), (created.CreatedBy, created.CreatedAt));
        var release = Assert.Single(created.Releases);
        Assert.Equal(copy, release);
        Assert.Equal((R(1), ReleaseState.Draft, RunStatus.Paused), (release.Number, release.State, release.RunStatus));
        Assert.Equal(Workflows.OneStep("V2"), release.Content);
        Assert.Equal("Salesforce edition", release.Notes);
        Assert.Equal(new ReleaseProvenance(source, R(2)), release.CopiedFrom);
        Assert.Equal([AuditAction.Created, AuditAction.CopiedFrom], created.AuditTrail.Select(e => e.Action));
        Assert.Equal(AuditAction.CopiedTo, (await _scenario.LoadAsync(source)).AuditTrail[^1].Action);
        Assert.Equal(2, (await Service.ListTemplatesAsync()).Count);
    }

    [Fact]
    public async Task CopyReleaseToNewTemplateAsync_ThenSwapCrmConnector_CrmUseCase_T9()
    {
        var salesforce = await _scenario.NewTemplateAsync("Salesforce → Slack");
        await Service.CreateDraftAsync(salesforce, Workflows.CrmToSlack(), Alice);
        await Service.PromoteAsync(salesforce, R(1), Alice);

        var (hubspot, copy) = await Service.CopyReleaseToNewTemplateAsync(salesforce, R(1), "HubSpot → Slack", Bob);
        var swapped = await Service.SwapConnectorAsync(hubspot, copy.Number, "Salesforce", Workflows.HubSpot, Bob);

        Assert.Equal([Workflows.HubSpot, Workflows.Slack], swapped.Connectors);
        Assert.Equal(["FindContact", "PostMessage", "UpdateContact"], swapped.Content.Steps.Select(s => s.Operation));
        Assert.Equal(swapped, (await _scenario.LoadAsync(hubspot)).GetRelease(R(1)));
        Assert.Equal(Workflows.CrmToSlack(), (await _scenario.LoadAsync(salesforce)).GetRelease(R(1)).Content);
    }

    [Fact]
    public async Task SwapConnectorAsync_LiveRelease_RefusedAndStoreUnchanged_T9()
    {
        var id = await _scenario.NewTemplateAsync();
        await Service.CreateDraftAsync(id, Workflows.CrmToSlack(), Alice);
        await Service.PromoteAsync(id, R(1), Alice);
        var before = await _scenario.CaptureAsync(id);

        await TemplateAssert.RefusedAsync("T3", () => Service.SwapConnectorAsync(id, R(1), "Salesforce", Workflows.HubSpot, Bob));

        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
    }
}
