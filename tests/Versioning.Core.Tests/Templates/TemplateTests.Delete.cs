using Versioning.Core.Auditing;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    [Fact]
    public void DeleteRelease_Draft_LeavesListButAuditEntriesRemain_T10()
    {
        var template = Lineage();
        template.SetNotes(R(3), "To be dropped", Alice, At(6));
        var entriesBefore = template.AuditTrail.ToArray();

        template.DeleteRelease(R(3), 0, Bob, At(10));

        Assert.Null(template.FindRelease(R(3)));
        Assert.Equal([R(1), R(2)], template.Releases.Select(r => r.Number));
        Assert.Equal(entriesBefore, template.AuditTrail.Take(entriesBefore.Length));
        Assert.Contains(template.AuditTrail, e => e.Subject == "release 3" && e.Action == AuditAction.ReleaseCreated);
        Assert.Contains(template.AuditTrail, e => e.Subject == "release 3" && e.Action == AuditAction.NotesChanged);
        var deleted = template.AuditTrail[^1];
        Assert.Equal((AuditAction.Deleted, Bob, At(10), "release 3"), (deleted.Action, deleted.Actor, deleted.At, deleted.Subject));
        Assert.Contains("Draft", deleted.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteRelease_Deprecated_Allowed_T10()
    {
        var template = Lineage();

        template.DeleteRelease(R(1), 0, Bob, At(10));

        Assert.Equal([R(2), R(3)], template.Releases.Select(r => r.Number));
        Assert.Equal(R(2), template.LiveRelease!.Number);
        Assert.Contains("Deprecated", template.AuditTrail[^1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteRelease_Live_RefusedWithAdvice_T10()
    {
        var template = Lineage();

        var ex = TemplateAssert.Refused("T10", () => template.DeleteRelease(R(2), 0, Bob, At(10)));

        Assert.Equal(("release 2", "Live"), (ex.Subject, ex.State));
        Assert.Contains("promote another release first", ex.Message, StringComparison.Ordinal);
        Assert.Equal(R(2), template.LiveRelease!.Number);
        Assert.Equal([R(1), R(2), R(3)], template.Releases.Select(r => r.Number));
    }

    [Theory]
    [InlineData(1, "Deprecated")]
    [InlineData(3, "Draft")]
    public void DeleteRelease_WithInstallationsPinned_Refused_T10(int number, string state)
    {
        var template = Lineage();

        var ex = TemplateAssert.Refused("T10", () => template.DeleteRelease(R(number), 1, Bob, At(10)));

        Assert.Equal(state, ex.State);
        Assert.Contains("installations are pinned", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(template.FindRelease(R(number)));
    }

    [Fact]
    public void DeleteRelease_ThenDeleteLiveOnlyAfterPromotingAnother_T10()
    {
        var template = Lineage();

        template.Promote(R(3), Bob, At(10));
        template.DeleteRelease(R(2), 0, Bob, At(11));

        Assert.Equal([R(1), R(3)], template.Releases.Select(r => r.Number));
        Assert.Equal(R(3), template.LiveRelease!.Number);
    }

    [Fact]
    public void DeleteRelease_ReleaseBeforeLive_KeepsLiveReleaseTracked_T10()
    {
        var template = Lineage();

        template.DeleteRelease(R(1), 0, Bob, At(10));
        template.CreateDraft(null, Alice, At(11));

        Assert.Equal(R(2), template.LiveRelease!.Number);
        TemplateAssert.Refused("T5", () => template.Promote(R(2), Bob, At(12)));
        template.Promote(R(4), Bob, At(13));
        Assert.Equal(ReleaseState.Deprecated, template.GetRelease(R(2)).State);
        Assert.Single(template.Releases, r => r.State == ReleaseState.Live);
    }
}
