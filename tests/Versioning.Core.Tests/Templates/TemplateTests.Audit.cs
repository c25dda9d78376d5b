using Versioning.Core.Auditing;
using Versioning.Core.Content;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    [Fact]
    public void AuditTrail_EveryKindOfChange_AppendsActionActorInstantAndDetails_T14()
    {
        var template = NewTemplate();
        var other = NewTemplate("Other");

        template.SetPublished(true, Bob, At(1));
        template.CreateDraft(null, Bob, At(2));
        template.EditContent(R(1), Workflows.CrmToSlack(), Carol, At(3));
        template.SwapConnector(R(1), "Slack", Workflows.HubSpot, Carol, At(4));
        template.SetNotes(R(1), "Notes", Alice, At(5));
        template.Run(R(1), Bob, At(6));
        template.Pause(R(1), Bob, At(7));
        template.Promote(R(1), Carol, At(8));
        template.CreateDraft(null, Bob, At(9));
        template.Promote(R(2), Carol, At(10));
        template.CopyRelease(R(1), other, Alice, At(11));
        template.CopyRelease(R(1), template, Alice, At(12));
        template.RecordInstallationsMigrated(R(2), "All installations upgraded.", Bob, At(13));
        template.DeleteRelease(R(3), 0, Carol, At(14));
        template.Rename("Renamed", Alice, At(15));
        template.SetPublished(false, Alice, At(16));

        Assert.Equal(
        [
            (AuditAction.Created, Alice, T0, null),
            (AuditAction.Published, Bob, At(1), null),
            (AuditAction.ReleaseCreated, Bob, At(2), "release 1"),
            (AuditAction.ContentEdited, Carol, At(3), "release 1"),
            (AuditAction.ContentEdited, Carol, At(4), "release 1"),
            (AuditAction.NotesChanged, Alice, At(5), "release 1"),
            (AuditAction.Started, Bob, At(6), "release 1"),
            (AuditAction.Paused, Bob, At(7), "release 1"),
            (AuditAction.Promoted, Carol, At(8), "release 1"),
            (AuditAction.ReleaseCreated, Bob, At(9), "release 2"),
            (AuditAction.Deprecated, Carol, At(10), "release 1"),
            (AuditAction.Promoted, Carol, At(10), "release 2"),
            (AuditAction.CopiedTo, Alice, At(11), "release 1"),
            (AuditAction.CopiedTo, Alice, At(12), "release 1"),
            (AuditAction.CopiedFrom, Alice, At(12), "release 3"),
            (AuditAction.InstallationsUpgraded, Bob, At(13), "release 2"),
            (AuditAction.Deleted, Carol, At(14), "release 3"),
            (AuditAction.Renamed, Alice, At(15), null),
            (AuditAction.Unpublished, Alice, At(16), (string?)null),
        ],
            template.AuditTrail.Select(e => (e.Action, e.Actor, e.At, e.Subject)));
        Assert.All(template.AuditTrail, e => Assert.False(string.IsNullOrWhiteSpace(e.Details)));
        Assert.Equal(
            [AuditAction.Created, AuditAction.CopiedFrom],
            other.AuditTrail.Select(e => e.Action));
    }

    [Fact]
    public void AuditTrail_EachEntryRaisesMatchingPendingEvent_T14()
    {
        var template = Lineage();

        Assert.Equal(template.AuditTrail.Count, template.PendingEvents.Count);
        Assert.All(template.AuditTrail.Zip(template.PendingEvents), pair =>
        {
            var (entry, e) = pair;
            Assert.Equal(
                (entry.Action.ToString(), entry.Actor, entry.At, entry.Subject, entry.Details, "Template", template.Id.ToString()),
                (e.Type, e.Actor, e.At, e.Subject, e.Details, e.AggregateKind, e.AggregateId));
        });
    }

    [Fact]
    public void AuditTrail_NeverShrinksAndEarlierEntriesNeverChange_T14()
    {
        var template = NewTemplate();
        var seen = new List<AuditEntry>(template.AuditTrail);
        var commands = new Action<int>[]
        {
            m => template.CreateDraft(Workflows.OneStep("A"), Alice, At(m)),
            m => template.SetNotes(R(1), "n", Bob, At(m)),
            m => template.Promote(R(1), Bob, At(m)),
            m => template.CreateDraft(Workflows.OneStep("B"), Alice, At(m)),
            m => template.Promote(R(2), Carol, At(m)),
            m => template.DeleteRelease(R(1), 0, Carol, At(m)),
            m => template.CopyRelease(R(2), template, Alice, At(m)),
            m => template.DeleteRelease(R(3), 0, Alice, At(m)),
        };

        for (var i = 0; i < commands.Length; i++)
        {
            commands[i](i + 1);

            Assert.True(template.AuditTrail.Count > seen.Count, $"command {i} appended nothing");
            Assert.Equal(seen, template.AuditTrail.Take(seen.Count));
            seen = [.. template.AuditTrail];
        }
    }

    [Fact]
    public void Release_ShowsWhoCreatedItAndWhen_T14()
    {
        var template = NewTemplate();

        template.CreateDraft(null, Bob, At(3));
        template.CopyRelease(R(1), template, Carol, At(4));

        Assert.Equal((Bob, At(3)), (template.GetRelease(R(1)).CreatedBy, template.GetRelease(R(1)).CreatedAt));
        Assert.Equal((Carol, At(4)), (template.GetRelease(R(2)).CreatedBy, template.GetRelease(R(2)).CreatedAt));
    }

    [Fact]
    public void Connectors_ListsDistinctConnectorsInOrderOfFirstUse_T15()
    {
        var template = NewTemplate();

        var release = template.CreateDraft(Workflows.CrmToSlack(), Alice, At(1));

        Assert.Equal([Workflows.Salesforce, Workflows.Slack], release.Connectors);
    }

    [Fact]
    public void Connectors_EmptyWorkflow_ListsNone_T15()
    {
        var template = NewTemplate();

        Assert.Empty(template.CreateDraft(null, Alice, At(1)).Connectors);
    }

    [Fact]
    public void Connectors_SameNameDifferentVersions_ListedOncePerVersion_T15()
    {
        var v1 = new ConnectorRef("Salesforce", "1.0");
        var v2 = new ConnectorRef("Salesforce", "2.0");
        var content = new WorkflowDefinition(
        [
            new Step("a", v1, "Find"),
            new Step("b", v2, "Find"),
            new Step("c", new ConnectorRef("Salesforce", "1.0"), "Update"),
        ]);
        var template = NewTemplate();

        var release = template.CreateDraft(content, Alice, At(1));

        Assert.Equal([v1, v2], release.Connectors);
    }

    [Fact]
    public void Connectors_FollowContentEdits_T15()
    {
        var template = NewTemplate();
        template.CreateDraft(Workflows.CrmToSlack(), Alice, At(1));

        template.EditContent(R(1), Workflows.OneStep("Only Slack"), Alice, At(2));

        Assert.Equal([Workflows.Slack], template.GetRelease(R(1)).Connectors);
    }
}
