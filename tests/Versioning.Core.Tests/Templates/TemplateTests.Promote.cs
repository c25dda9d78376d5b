using Versioning.Core.Auditing;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    [Fact]
    public void Promote_LiveRelease_RefusedAsAlreadyLive_T5()
    {
        var template = Lineage();

        var ex = TemplateAssert.Refused("T5", () => template.Promote(R(2), Bob, At(10)));

        Assert.Equal(("release 2", "Live"), (ex.Subject, ex.State));
        Assert.Equal(ReleaseState.Deprecated, template.GetRelease(R(1)).State);
        Assert.Equal(R(2), template.LiveRelease!.Number);
    }

    [Fact]
    public void Promote_EveryDraftInTurn_AtMostOneLiveAtEveryStep_T5()
    {
        var template = NewTemplate();
        for (var i = 1; i <= 5; i++)
        {
            template.CreateDraft(Workflows.OneStep($"V{i}"), Alice, At(i));
        }

        foreach (var number in new[] { 3, 1, 5, 2, 4 })
        {
            template.Promote(R(number), Alice, At(10 + number));

            var live = Assert.Single(template.Releases, r => r.State == ReleaseState.Live);
            Assert.Equal(R(number), live.Number);
            Assert.Same(live, template.LiveRelease);
        }
    }

    [Fact]
    public void Promote_ReplacesLiveAndDeprecatesPrevious_T6()
    {
        var template = NewTemplate();
        template.CreateDraft(Workflows.OneStep("V1"), Alice, At(1));
        template.CreateDraft(Workflows.OneStep("V2"), Alice, At(2));
        template.Promote(R(1), Alice, At(3));
        var entries = template.AuditTrail.Count;

        template.Promote(R(2), Bob, At(4));

        var previous = template.GetRelease(R(1));
        var live = template.GetRelease(R(2));
        Assert.Equal(ReleaseState.Deprecated, previous.State);
        Assert.Equal(At(4), previous.DeprecatedAt);
        Assert.Equal((Alice, (Instant?)At(3)), (previous.PromotedBy!.Value, previous.PromotedAt));
        Assert.Equal(ReleaseState.Live, live.State);
        Assert.Equal((Bob, (Instant?)At(4)), (live.PromotedBy!.Value, live.PromotedAt));
        Assert.Same(live, template.LiveRelease);
        Assert.Equal(
            [(AuditAction.Deprecated, "release 1", At(4)), (AuditAction.Promoted, "release 2", At(4))],
            template.AuditTrail.Skip(entries).Select(e => (e.Action, e.Subject!, e.At)));
    }

    [Fact]
    public void Promote_FirstDraft_BecomesLiveWithoutDeprecatingAnything_T6()
    {
        var template = NewTemplate();
        template.CreateDraft(null, Alice, At(1));
        template.CreateDraft(null, Alice, At(2));

        template.Promote(R(1), Bob, At(3));

        Assert.Equal([ReleaseState.Live, ReleaseState.Draft], template.Releases.Select(r => r.State));
        Assert.Null(template.GetRelease(R(1)).DeprecatedAt);
        Assert.DoesNotContain(template.AuditTrail, e => e.Action == AuditAction.Deprecated);
    }

    [Fact]
    public void Promote_OtherDraftsAndDeprecatedReleasesUntouched_T6()
    {
        var template = Lineage();
        template.CreateDraft(Workflows.OneStep("V4"), Alice, At(6));
        var deprecated = template.GetRelease(R(1));
        var otherDraft = template.GetRelease(R(4));

        template.Promote(R(3), Bob, At(10));

        Assert.Same(deprecated, template.GetRelease(R(1)));
        Assert.Same(otherDraft, template.GetRelease(R(4)));
        Assert.Equal(
            [ReleaseState.Deprecated, ReleaseState.Deprecated, ReleaseState.Live, ReleaseState.Draft],
            template.Releases.Select(r => r.State));
    }

    [Fact]
    public void Promote_DeprecatedLockedAfterwards_EditRefused_T6()
    {
        var template = Lineage();

        TemplateAssert.Refused("T3", () => template.EditContent(R(1), Workflows.CrmToSlack(), Bob, At(10)));
    }

    [Fact]
    public void Promote_DeprecatedRelease_RefusedWithCopyAdvice_T7()
    {
        var template = Lineage();

        var ex = TemplateAssert.Refused("T7", () => template.Promote(R(1), Bob, At(10)));

        Assert.Equal(("release 1", "Deprecated"), (ex.Subject, ex.State));
        Assert.Contains("copy it to a new Draft", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ReleaseState.Deprecated, template.GetRelease(R(1)).State);
        Assert.Equal(R(2), template.LiveRelease!.Number);
    }

    [Fact]
    public void CopyThenPromote_DeprecatedRelease_RollsBackToItsContent_T7()
    {
        var template = Lineage();

        var copy = template.CopyRelease(R(1), template, Bob, At(10));
        template.Promote(copy.Number, Bob, At(11));

        Assert.Equal(R(4), copy.Number);
        var live = template.LiveRelease!;
        Assert.Equal(R(4), live.Number);
        Assert.Equal(Workflows.OneStep("V1"), live.Content);
        Assert.Equal(new ReleaseProvenance(template.Id, R(1)), live.CopiedFrom);
        Assert.Equal(ReleaseState.Deprecated, template.GetRelease(R(1)).State);
        Assert.Equal(ReleaseState.Deprecated, template.GetRelease(R(2)).State);
        Assert.Equal(ReleaseState.Draft, template.GetRelease(R(3)).State);
    }
}
