using Versioning.Core.Auditing;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    [Fact]
    public void CreateDraft_NewReleaseStartsPaused_T11()
    {
        var template = Lineage();

        Assert.All(template.Releases, r => Assert.Equal(RunStatus.Paused, r.RunStatus));
        Assert.Equal(RunStatus.Paused, template.CopyRelease(R(2), template, Bob, At(10)).RunStatus);
    }

    [Fact]
    public void RunThenPause_Draft_TogglesRunStatusAndAudits_T11()
    {
        var template = NewTemplate();
        template.CreateDraft(null, Alice, At(1));

        template.Run(R(1), Bob, At(2));
        var running = template.GetRelease(R(1));
        template.Pause(R(1), Carol, At(3));

        Assert.Equal((RunStatus.Running, ReleaseState.Draft), (running.RunStatus, running.State));
        Assert.Equal(RunStatus.Paused, template.GetRelease(R(1)).RunStatus);
        Assert.Equal(
            [(AuditAction.Started, Bob, At(2)), (AuditAction.Paused, Carol, At(3))],
            template.AuditTrail.Skip(2).Select(e => (e.Action, e.Actor, e.At)));
    }

    [Fact]
    public void Run_IsIndependentOfState_PromotionKeepsRunStatus_T11()
    {
        var template = NewTemplate();
        template.CreateDraft(null, Alice, At(1));
        template.CreateDraft(null, Alice, At(2));
        template.Run(R(1), Alice, At(3));

        template.Promote(R(1), Alice, At(4));
        template.Promote(R(2), Alice, At(5));

        Assert.Equal((ReleaseState.Deprecated, RunStatus.Running), (template.GetRelease(R(1)).State, template.GetRelease(R(1)).RunStatus));
        Assert.Equal((ReleaseState.Live, RunStatus.Paused), (template.GetRelease(R(2)).State, template.GetRelease(R(2)).RunStatus));
        template.Run(R(2), Alice, At(6));
        Assert.Equal(RunStatus.Running, template.GetRelease(R(2)).RunStatus);
    }

    [Fact]
    public void Run_Deprecated_RefusedButPauseAllowed_T11()
    {
        var template = NewTemplate();
        template.CreateDraft(null, Alice, At(1));
        template.CreateDraft(null, Alice, At(2));
        template.Run(R(1), Alice, At(3));
        template.Promote(R(1), Alice, At(4));
        template.Promote(R(2), Alice, At(5));

        template.Pause(R(1), Bob, At(6));
        var ex = TemplateAssert.Refused("T11", () => template.Run(R(1), Bob, At(7)));

        Assert.Equal(("release 1", "Deprecated"), (ex.Subject, ex.State));
        Assert.Contains("paused but not started", ex.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Paused, template.GetRelease(R(1)).RunStatus);
        Assert.Equal(AuditAction.Paused, template.AuditTrail[^1].Action);
    }

    [Fact]
    public void RunAndPause_SameStatusAgain_NoAuditEntry_T11()
    {
        var template = NewTemplate();
        template.CreateDraft(null, Alice, At(1));
        var entries = template.AuditTrail.Count;

        template.Pause(R(1), Bob, At(2));
        template.Run(R(1), Bob, At(3));
        template.Run(R(1), Bob, At(4));

        Assert.Equal(entries + 1, template.AuditTrail.Count);
        Assert.Equal(At(3), template.GetRelease(R(1)).UpdatedAt);
    }
}
