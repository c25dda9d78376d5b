using Versioning.Core.Auditing;
using Versioning.Core.Content;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    [Fact]
    public void CreateDraft_NumbersReleasesOneTwoThree_T2()
    {
        var template = NewTemplate();

        var numbers = Enumerable.Range(1, 3).Select(i => template.CreateDraft(null, Alice, At(i)).Number).ToArray();

        Assert.Equal([R(1), R(2), R(3)], numbers);
        Assert.Equal([R(1), R(2), R(3)], template.Releases.Select(r => r.Number));
        Assert.Equal(3, template.LastReleaseNumber);
    }

    [Fact]
    public void CreateDraft_NewReleaseIsDraftWithGivenOrEmptyContent_T2()
    {
        var template = NewTemplate();

        var empty = template.CreateDraft(null, Alice, At(1));
        var full = template.CreateDraft(Workflows.CrmToSlack(), Bob, At(2));

        Assert.Equal(ReleaseState.Draft, empty.State);
        Assert.Equal(WorkflowDefinition.Empty, empty.Content);
        Assert.Equal(ReleaseState.Draft, full.State);
        Assert.Equal(Workflows.CrmToSlack(), full.Content);
        Assert.Null(full.CopiedFrom);
        Assert.Equal(string.Empty, full.Notes);
    }

    [Fact]
    public void CreateDraft_SeveralDraftsCoexist_T2()
    {
        var template = NewTemplate();

        template.CreateDraft(null, Alice, At(1));
        template.CreateDraft(null, Alice, At(2));
        template.CreateDraft(null, Alice, At(3));
        template.Promote(R(2), Alice, At(4));
        template.CreateDraft(null, Alice, At(5));

        Assert.Equal(
            [ReleaseState.Draft, ReleaseState.Live, ReleaseState.Draft, ReleaseState.Draft],
            template.Releases.Select(r => r.State));
    }

    [Fact]
    public void CreateDraft_NumbersNeverReusedAfterDelete_T2()
    {
        var template = NewTemplate();
        template.CreateDraft(null, Alice, At(1));
        template.CreateDraft(null, Alice, At(2));
        template.CreateDraft(null, Alice, At(3));

        template.DeleteRelease(R(3), 0, Alice, At(4));
        var afterDeletingHighest = template.CreateDraft(null, Alice, At(5));
        template.DeleteRelease(R(1), 0, Alice, At(6));
        template.DeleteRelease(R(2), 0, Alice, At(7));
        template.DeleteRelease(R(4), 0, Alice, At(8));
        var afterDeletingAll = template.CreateDraft(null, Alice, At(9));

        Assert.Equal(R(4), afterDeletingHighest.Number);
        Assert.Equal(R(5), afterDeletingAll.Number);
        Assert.Equal([R(5)], template.Releases.Select(r => r.Number));
        Assert.Null(template.FindRelease(R(3)));
    }

    [Fact]
    public void CreateDraft_NumberingSurvivesSnapshotRoundTrip_T2()
    {
        var template = NewTemplate();
        template.CreateDraft(null, Alice, At(1));
        template.CreateDraft(null, Alice, At(2));
        template.DeleteRelease(R(2), 0, Alice, At(3));

        var reloaded = Template.FromSnapshot(template.ToSnapshot());

        Assert.Equal(2, reloaded.LastReleaseNumber);
        Assert.Equal(R(3), reloaded.CreateDraft(null, Alice, At(4)).Number);
    }

    [Fact]
    public void CreateDraft_NumbersArePerTemplate_T2()
    {
        var first = NewTemplate("First");
        var second = NewTemplate("Second");

        first.CreateDraft(null, Alice, At(1));
        first.CreateDraft(null, Alice, At(2));
        var other = second.CreateDraft(null, Alice, At(3));

        Assert.Equal(R(1), other.Number);
    }

    [Fact]
    public void CreateDraft_RecordsCreatorInstantAndAuditEntry_T2()
    {
        var template = NewTemplate();

        var release = template.CreateDraft(null, Bob, At(7));

        Assert.Equal((Bob, At(7), At(7)), (release.CreatedBy, release.CreatedAt, release.UpdatedAt));
        var entry = template.AuditTrail[^1];
        Assert.Equal((AuditAction.ReleaseCreated, Bob, At(7), "release 1"), (entry.Action, entry.Actor, entry.At, entry.Subject));
    }
}
