using Versioning.Core.Events;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    /// <summary>A refused command: how to arrange the template, the command, and the refusal expected.</summary>
    private sealed record RefusalCase(Func<Template> Arrange, Action<Template> Act, Type Exception, string? RuleId = null);

    private static Template UnpublishedLineage() => Lineage();

    private static Template PublishedLineage()
    {
        var template = Lineage();
        template.SetPublished(true, Alice, At(6));
        return template;
    }

    private static Template PublishedLineageWithoutRelease3()
    {
        var template = PublishedLineage();
        template.DeleteRelease(R(3), 0, Alice, At(7));
        return template;
    }

    private static Template PublishedWithoutLive()
    {
        var template = NewTemplate();
        template.SetPublished(true, Alice, At(1));
        template.CreateDraft(null, Alice, At(2));
        return template;
    }

    private static readonly Dictionary<string, RefusalCase> RefusalCases = new()
    {
        ["edit Live"] = new(PublishedLineage, t => t.EditContent(R(2), Workflows.CrmToSlack(), Bob, At(10)), typeof(VersioningRuleException), "T3"),
        ["edit Deprecated"] = new(PublishedLineage, t => t.EditContent(R(1), Workflows.CrmToSlack(), Bob, At(10)), typeof(VersioningRuleException), "T3"),
        ["swap connector in Live"] = new(PublishedLineage, t => t.SwapConnector(R(2), "Slack", Workflows.HubSpot, Bob, At(10)), typeof(VersioningRuleException), "T3"),
        ["promote Live"] = new(PublishedLineage, t => t.Promote(R(2), Bob, At(10)), typeof(VersioningRuleException), "T5"),
        ["promote Deprecated"] = new(PublishedLineage, t => t.Promote(R(1), Bob, At(10)), typeof(VersioningRuleException), "T7"),
        ["delete Live"] = new(PublishedLineage, t => t.DeleteRelease(R(2), 0, Bob, At(10)), typeof(VersioningRuleException), "T10"),
        ["delete Deprecated with installations"] = new(PublishedLineage, t => t.DeleteRelease(R(1), 2, Bob, At(10)), typeof(VersioningRuleException), "T10"),
        ["delete Draft with installations"] = new(PublishedLineage, t => t.DeleteRelease(R(3), 1, Bob, At(10)), typeof(VersioningRuleException), "T10"),
        ["run Deprecated"] = new(PublishedLineage, t => t.Run(R(1), Bob, At(10)), typeof(VersioningRuleException), "T11"),
        ["install unpublished"] = new(UnpublishedLineage, t => t.ReleaseForNewInstallation(), typeof(VersioningRuleException), "T12"),
        ["install without Live"] = new(PublishedWithoutLive, t => t.ReleaseForNewInstallation(), typeof(VersioningRuleException), "T12"),
        ["upgrade to Draft"] = new(PublishedLineage, t => t.RecordInstallationsMigrated(R(3), "moved", Bob, At(10)), typeof(VersioningRuleException), "T13"),
        ["unknown release"] = new(PublishedLineage, t => t.SetNotes(R(9), "x", Bob, At(10)), typeof(EntityNotFoundException)),
        ["promote deleted release"] = new(PublishedLineageWithoutRelease3, t => t.Promote(R(3), Bob, At(10)), typeof(EntityNotFoundException)),
        ["null content"] = new(PublishedLineage, t => t.EditContent(R(3), null!, Bob, At(10)), typeof(ArgumentNullException)),
        ["null notes"] = new(PublishedLineage, t => t.SetNotes(R(3), null!, Bob, At(10)), typeof(ArgumentNullException)),
        ["notes with control character"] = new(PublishedLineage, t => t.SetNotes(R(3), "bell\a", Bob, At(10)), typeof(ArgumentException)),
        ["blank rename"] = new(PublishedLineage, t => t.Rename("  ", Bob, At(10)), typeof(ArgumentException)),
        ["201-char rename"] = new(PublishedLineage, t => t.Rename(new string('x', 201), Bob, At(10)), typeof(ArgumentException)),
        ["default actor on promote"] = new(PublishedLineage, t => t.Promote(R(3), default, At(10)), typeof(ArgumentException)),
        ["default actor on create draft"] = new(PublishedLineage, t => t.CreateDraft(null, default, At(10)), typeof(ArgumentException)),
        ["negative installation count"] = new(PublishedLineage, t => t.DeleteRelease(R(3), -1, Bob, At(10)), typeof(ArgumentOutOfRangeException)),
        ["swap unused connector"] = new(PublishedLineage, t => t.SwapConnector(R(3), "Zendesk", Workflows.HubSpot, Bob, At(10)), typeof(ArgumentException)),
        ["copy to null destination"] = new(PublishedLineage, t => t.CopyRelease(R(2), null!, Bob, At(10)), typeof(ArgumentNullException)),
    };

    public static TheoryData<string> RefusalCaseNames() => [.. RefusalCases.Keys];

    [Theory]
    [MemberData(nameof(RefusalCaseNames))]
    public void RefusedCommand_LeavesStateAuditTrailAndPendingEventsUnchanged_X1(string name)
    {
        var refusal = RefusalCases[name];
        var template = refusal.Arrange();
        var before = template.ToSnapshot();
        var auditCount = template.AuditTrail.Count;
        var pending = template.PendingEvents.ToArray();
        var live = template.LiveRelease;

        var ex = Record.Exception(() => refusal.Act(template));

        Assert.NotNull(ex);
        Assert.IsType(refusal.Exception, ex);
        if (refusal.RuleId is not null)
        {
            Assert.Equal(refusal.RuleId, ((VersioningRuleException)ex).RuleId);
        }

        TemplateAssert.SameState(before, template.ToSnapshot());
        Assert.Equal(auditCount, template.AuditTrail.Count);
        Assert.Equal(pending, template.PendingEvents.ToArray());
        Assert.Same(live, template.LiveRelease);
    }

    [Fact]
    public void RefusedCommand_AfterSave_RaisesNoPendingEvent_X1()
    {
        var template = PublishedLineage();
        template.MarkSaved(1);
        Assert.Empty(template.PendingEvents);

        foreach (var refusal in RefusalCases.Values.Where(r => r.RuleId is not null && r.Arrange == PublishedLineage))
        {
            Assert.ThrowsAny<Exception>(() => refusal.Act(template));
        }

        Assert.Equal(Array.Empty<DomainEvent>(), template.PendingEvents);
        Assert.Equal(1, template.Revision);
    }
}
