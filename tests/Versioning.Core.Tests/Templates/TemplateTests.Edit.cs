using Versioning.Core.Auditing;
using Versioning.Core.Content;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    [Fact]
    public void EditContent_Draft_ReplacesContentAndAudits_T3()
    {
        var template = NewTemplate();
        template.CreateDraft(Workflows.OneStep("Old"), Alice, At(1));

        template.EditContent(R(1), Workflows.CrmToSlack(), Bob, At(2));

        var release = template.GetRelease(R(1));
        Assert.Equal(Workflows.CrmToSlack(), release.Content);
        Assert.Equal(At(2), release.UpdatedAt);
        Assert.Equal(At(1), release.CreatedAt);
        var entry = template.AuditTrail[^1];
        Assert.Equal((AuditAction.ContentEdited, Bob, At(2), "release 1"), (entry.Action, entry.Actor, entry.At, entry.Subject));
    }

    [Fact]
    public void EditContent_LiveRelease_RefusedNamingReleaseStateAndRule_T3()
    {
        var template = Lineage();

        var ex = TemplateAssert.Refused("T3", () => template.EditContent(R(2), Workflows.CrmToSlack(), Bob, At(10)));

        Assert.Equal("release 2", ex.Subject);
        Assert.Equal("Live", ex.State);
        Assert.Contains("release 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Live", ex.Message, StringComparison.Ordinal);
        Assert.Contains("T3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("copy it to a new Draft", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Workflows.OneStep("V2"), template.GetRelease(R(2)).Content);
    }

    [Fact]
    public void EditContent_DeprecatedRelease_RefusedNamingReleaseStateAndRule_T3()
    {
        var template = Lineage();

        var ex = TemplateAssert.Refused("T3", () => template.EditContent(R(1), Workflows.CrmToSlack(), Bob, At(10)));

        Assert.Equal(("release 1", "Deprecated"), (ex.Subject, ex.State));
        Assert.Contains("release 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Deprecated", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Workflows.OneStep("V1"), template.GetRelease(R(1)).Content);
    }

    [Fact]
    public void SwapConnector_LockedRelease_Refused_T3()
    {
        var template = NewTemplate();
        template.CreateDraft(Workflows.CrmToSlack(), Alice, At(1));
        template.Promote(R(1), Alice, At(2));

        var ex = TemplateAssert.Refused("T3", () => template.SwapConnector(R(1), "Salesforce", Workflows.HubSpot, Bob, At(3)));

        Assert.Equal("Live", ex.State);
        Assert.Equal(Workflows.CrmToSlack(), template.GetRelease(R(1)).Content);
    }

    [Fact]
    public void EditContent_DraftStaysEditableWhileAnotherReleaseIsLive_T3()
    {
        var template = Lineage();

        template.EditContent(R(3), Workflows.OneStep("V3b"), Bob, At(10));

        Assert.Equal(Workflows.OneStep("V3b"), template.GetRelease(R(3)).Content);
    }

    [Fact]
    public void SwapConnector_Draft_ReplacesConnectorInEveryStepUsingIt_T9()
    {
        var template = NewTemplate();
        template.CreateDraft(Workflows.CrmToSlack(), Alice, At(1));

        template.SwapConnector(R(1), "Salesforce", Workflows.HubSpot, Bob, At(2));

        var steps = template.GetRelease(R(1)).Content.Steps;
        Assert.Equal([Workflows.HubSpot, Workflows.Slack, Workflows.HubSpot], steps.Select(s => s.Connector));
        Assert.Equal(["FindContact", "PostMessage", "UpdateContact"], steps.Select(s => s.Operation));
        Assert.Equal("email", steps[0].Settings["field"]);
        Assert.Equal("notified", steps[2].Settings["tag"]);
        Assert.Equal([Workflows.HubSpot, Workflows.Slack], template.GetRelease(R(1)).Connectors);
        var entry = template.AuditTrail[^1];
        Assert.Equal((AuditAction.ContentEdited, Bob, At(2)), (entry.Action, entry.Actor, entry.At));
        Assert.Contains("Salesforce", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void SwapConnector_AnyVersionOfTheNamedConnector_Replaced_T9()
    {
        var template = NewTemplate();
        var mixed = new WorkflowDefinition(
        [
            new Step("Old API", new ConnectorRef("Salesforce", "1.0"), "FindContact"),
            new Step("New API", new ConnectorRef("Salesforce", "2.1"), "FindContact"),
        ]);
        template.CreateDraft(mixed, Alice, At(1));

        template.SwapConnector(R(1), "Salesforce", Workflows.HubSpot, Bob, At(2));

        Assert.All(template.GetRelease(R(1)).Content.Steps, s => Assert.Equal(Workflows.HubSpot, s.Connector));
    }

    [Fact]
    public void SwapConnector_ConnectorNotUsed_ThrowsArgumentExceptionAndChangesNothing_T9()
    {
        var template = NewTemplate();
        template.CreateDraft(Workflows.CrmToSlack(), Alice, At(1));
        var before = template.ToSnapshot();

        var ex = Assert.Throws<ArgumentException>(() => template.SwapConnector(R(1), "Zendesk", Workflows.HubSpot, Bob, At(2)));

        Assert.Equal("connectorName", ex.ParamName);
        TemplateAssert.SameState(before, template.ToSnapshot());
    }

    [Fact]
    public void SwapConnector_CopiedLiveRelease_SwapsInTheCopyOnly_T9()
    {
        var crm = NewTemplate("Salesforce sync");
        crm.CreateDraft(Workflows.CrmToSlack(), Alice, At(1));
        crm.Promote(R(1), Alice, At(2));
        var hubspot = NewTemplate("HubSpot sync");

        var copy = crm.CopyRelease(R(1), hubspot, Bob, At(3));
        hubspot.SwapConnector(copy.Number, "Salesforce", Workflows.HubSpot, Bob, At(4));

        Assert.Equal([Workflows.HubSpot, Workflows.Slack], hubspot.GetRelease(copy.Number).Connectors);
        Assert.Equal([Workflows.Salesforce, Workflows.Slack], crm.GetRelease(R(1)).Connectors);
    }
}
