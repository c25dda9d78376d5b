using Versioning.Core.Auditing;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CopyRelease_AnyStateToSameTemplate_NewDraftWithEqualContentAndProvenance_T8(int number)
    {
        var template = Lineage();
        template.SetNotes(R(number), "Notes travel with the copy.", Alice, At(6));
        var source = template.GetRelease(R(number));

        var copy = template.CopyRelease(R(number), template, Bob, At(10));

        Assert.Equal(R(4), copy.Number);
        Assert.Equal(ReleaseState.Draft, copy.State);
        Assert.Equal(RunStatus.Paused, copy.RunStatus);
        Assert.Equal(source.Content, copy.Content);
        Assert.Equal(source.Connectors, copy.Connectors);
        Assert.Equal("Notes travel with the copy.", copy.Notes);
        Assert.Equal(new ReleaseProvenance(template.Id, R(number)), copy.CopiedFrom);
        Assert.Equal((Bob, At(10)), (copy.CreatedBy, copy.CreatedAt));
        Assert.Null(copy.PromotedAt);
        Assert.Same(source, template.GetRelease(R(number)));
        Assert.Equal(copy, template.GetRelease(R(4)));
    }

    [Fact]
    public void CopyRelease_SameTemplate_AuditsCopiedToAndCopiedFrom_T8()
    {
        var template = Lineage();
        var entries = template.AuditTrail.Count;

        template.CopyRelease(R(2), template, Bob, At(10));

        var added = template.AuditTrail.Skip(entries).ToArray();
        Assert.Equal(
            [(AuditAction.CopiedTo, "release 2"), (AuditAction.CopiedFrom, "release 4")],
            added.Select(e => (e.Action, e.Subject!)));
        Assert.All(added, e => Assert.Equal((Bob, At(10)), (e.Actor, e.At)));
        Assert.Contains("release 4", added[0].Details, StringComparison.Ordinal);
        Assert.Contains("release 2", added[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public void CopyRelease_AnotherTemplate_NumberedThereWithProvenanceAndAuditOnBothSides_T8()
    {
        var source = Lineage();
        var destination = NewTemplate("HubSpot sync");
        destination.CreateDraft(null, Alice, At(1));
        var sourceEntries = source.AuditTrail.Count;
        var destinationEntries = destination.AuditTrail.Count;

        var copy = source.CopyRelease(R(2), destination, Bob, At(10));

        Assert.Equal(R(2), copy.Number);
        Assert.Equal(Workflows.OneStep("V2"), copy.Content);
        Assert.Equal(new ReleaseProvenance(source.Id, R(2)), copy.CopiedFrom);
        Assert.Equal(copy, destination.GetRelease(R(2)));
        Assert.Equal(2, destination.LastReleaseNumber);
        Assert.Equal(3, source.LastReleaseNumber);
        Assert.Equal([R(1), R(2), R(3)], source.Releases.Select(r => r.Number));
        var copiedTo = Assert.Single(source.AuditTrail.Skip(sourceEntries));
        Assert.Equal((AuditAction.CopiedTo, "release 2", Bob), (copiedTo.Action, copiedTo.Subject!, copiedTo.Actor));
        Assert.Contains(destination.Id.ToString(), copiedTo.Details, StringComparison.Ordinal);
        var copiedFrom = Assert.Single(destination.AuditTrail.Skip(destinationEntries));
        Assert.Equal((AuditAction.CopiedFrom, "release 2", Bob), (copiedFrom.Action, copiedFrom.Subject!, copiedFrom.Actor));
        Assert.Contains(source.Id.ToString(), copiedFrom.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void CopyRelease_CopyIsIndependentOfLaterSourceChanges_T8()
    {
        var template = NewTemplate();
        template.CreateDraft(Workflows.OneStep("Before"), Alice, At(1));

        var copy = template.CopyRelease(R(1), template, Bob, At(2));
        template.EditContent(R(1), Workflows.OneStep("After"), Bob, At(3));

        Assert.Equal(Workflows.OneStep("Before"), template.GetRelease(copy.Number).Content);
    }
}
