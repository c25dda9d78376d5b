using Versioning.Core.Integrations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Templates;

namespace Versioning.Core.Tests.Lifecycles;

/// <summary>S1: what the Stateless machine of a lifecycle is made of (the equivalence itself is S2's properties).</summary>
public class StatelessProjectionTests
{
    [Fact]
    public void ToStateMachine_ReadsAndWritesTheStateThroughTheCallersAccessorAndMutator_S1()
    {
        var stored = ReleaseState.Draft;
        var writes = new List<ReleaseState>();
        var machine = ReleaseLifecycle.Definition.ToStateMachine(() => stored, s => { writes.Add(s); stored = s; }, () => new ReleaseFacts(true, 0));

        machine.Fire(ReleaseAction.Promote);
        Assert.Equal(ReleaseState.Live, stored);
        Assert.Equal([ReleaseState.Live], writes);

        // The caller changes the state behind the machine's back: the machine follows it.
        stored = ReleaseState.Deprecated;
        Assert.Equal(ReleaseState.Deprecated, machine.State);
        Assert.False(machine.CanFire(ReleaseAction.Run));
    }

    [Fact]
    public void ToStateMachine_GuardsReadTheCallersFactsAtEachQuestion_S1()
    {
        var facts = new ReleaseFacts(TemplatePublished: true, InstallationCount: 0);
        var state = ReleaseState.Draft;
        var machine = ReleaseLifecycle.Definition.ToStateMachine(() => state, s => state = s, () => facts);

        Assert.True(machine.CanFire(ReleaseAction.Delete));
        facts = facts with { InstallationCount = 4 };
        Assert.False(machine.CanFire(ReleaseAction.Delete));
    }

    [Fact]
    public void ToStateMachine_GuardDescriptions_CarryTheRuleIdAndTheGuardText_S1()
    {
        var state = ReleaseState.Draft;
        var releases = ReleaseLifecycle.Definition.ToStateMachine(() => state, s => state = s, () => new ReleaseFacts(false, 2));
        Assert.False(releases.CanFire(ReleaseAction.Delete, out var unmet));
        Assert.Equal(["T10: no installations pinned"], unmet);

        var versionState = VersionState.Private;
        var versions = VersionLifecycle.Definition.ToStateMachine(() => versionState, s => versionState = s, () => new VersionFacts(true, 0, 5, false));
        var promote = versions.GetInfo().States.Single(s => s.UnderlyingState.Equals(VersionState.Private))
            .FixedTransitions.Single(t => t.Trigger.UnderlyingTrigger.Equals(VersionAction.Promote));
        Assert.Equal(["Z5: not labeled"], promote.GuardConditionsMethodDescriptions.Select(g => g.Description));

        // Several guards on an internal transition become one Stateless guard described by all their rules.
        var reviewState = ReviewLifecycle.State.Draft;
        var reviews = ReviewLifecycle.Definition.ToStateMachine(() => reviewState, s => reviewState = s, () => new ReviewLifecycle.Facts(12, true, false));
        Assert.False(reviews.CanFire(ReviewLifecycle.Action.Edit, out var unmetEdit));
        Assert.Equal(["R1: unlocked and R2: fewer than ten reviewers"], unmetEdit);
    }

    [Fact]
    public void ToStateMachine_InternalTransitionsAndExits_AreStatelessInternalTransitions_S1()
    {
        var state = ReleaseState.Draft;
        var machine = ReleaseLifecycle.Definition.ToStateMachine(() => state, s => state = s, () => new ReleaseFacts(true, 0));
        var draft = machine.GetInfo().States.Single(s => s.UnderlyingState.Equals(ReleaseState.Draft)).FixedTransitions
            .ToDictionary(t => (ReleaseAction)t.Trigger.UnderlyingTrigger, t => t.IsInternalTransition);

        Assert.True(draft[ReleaseAction.EditContent]);
        Assert.True(draft[ReleaseAction.Delete]);
        Assert.False(draft[ReleaseAction.Promote]);

        // The exit convention: firing Delete keeps the state; the caller removes the item.
        machine.Fire(ReleaseAction.Delete);
        Assert.Equal(ReleaseState.Draft, state);
        Assert.True(ReleaseLifecycle.Definition.TryApply(ReleaseState.Draft, ReleaseAction.Delete, new ReleaseFacts(true, 0), out _, out var kind, out _));
        Assert.Equal(TransitionKind.Exit, kind);
    }

    [Fact]
    public void ToStateMachine_SelfTransition_IsAStatelessReentry_S1()
    {
        var state = ReviewLifecycle.State.Draft;
        var entered = 0;
        var machine = ReviewLifecycle.Definition.ToStateMachine(() => state, s => state = s, () => new ReviewLifecycle.Facts(0, false, false));
        machine.Configure(ReviewLifecycle.State.Draft).OnEntry(() => entered++);

        machine.Fire(ReviewLifecycle.Action.Touch);

        Assert.Equal(ReviewLifecycle.State.Draft, state);
        Assert.Equal(1, entered);
    }

    [Fact]
    public void ToStateMachine_RefusedAction_RaisesTheEnginesRule_ByDefaultNamingTheLifecycle_S1()
    {
        var state = ReleaseState.Live;
        var machine = ReleaseLifecycle.Definition.ToStateMachine(() => state, s => state = s, () => new ReleaseFacts(false, 0));

        var notConfigured = Assert.Throws<VersioningRuleException>(() => machine.Fire(ReleaseAction.Promote));
        Assert.Equal("T5", notConfigured.RuleId);
        Assert.Equal("This release is already Live (T5).", notConfigured.Message);
        Assert.Equal("Lifecycle", notConfigured.AggregateKind);
        Assert.Equal("Template releases", notConfigured.AggregateId);
        Assert.Equal("Live", notConfigured.State);

        var unmetGuard = Assert.Throws<VersioningRuleException>(() => machine.Fire(ReleaseAction.Install));
        Assert.Equal("T12", unmetGuard.RuleId);
        Assert.Equal("The template is not published, so it cannot be installed (T12): publish it first.", unmetGuard.Message);
        Assert.Equal(ReleaseState.Live, state);
    }

    [Fact]
    public void ToStateMachine_CallersRefusal_BuildsTheException_S1()
    {
        var state = ReleaseState.Deprecated;
        var machine = ReleaseLifecycle.Definition.ToStateMachine(
            () => state,
            s => state = s,
            () => default,
            (refusedIn, action, why) => new VersioningRuleException(why.RuleId!, $"{action} in {refusedIn}: {why.Message}", "Template", "t-1", "release 3", refusedIn.ToString()));

        var refused = Assert.Throws<VersioningRuleException>(() => machine.Fire(ReleaseAction.Promote));

        Assert.Equal("T7", refused.RuleId);
        Assert.StartsWith("Promote in Deprecated: A Deprecated release is never promoted directly (T7)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(("Template", "t-1", "release 3"), (refused.AggregateKind, refused.AggregateId, refused.Subject));
    }

    [Fact]
    public void ToStateMachine_RefusalReturningNoException_StillRefusesTheAction_S1()
    {
        var state = ReleaseState.Live;
        var machine = ReleaseLifecycle.Definition.ToStateMachine(() => state, s => state = s, () => default, (_, _, _) => null!);

        var refused = Assert.Throws<InvalidOperationException>(() => machine.Fire(ReleaseAction.Promote));

        Assert.Contains("T5", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ReleaseState.Live, state);
    }

    [Fact]
    public void ToStateMachine_NullArguments_AreRefusedByName_S1()
    {
        var lifecycle = ReleaseLifecycle.Definition;
        Assert.Equal("stateAccessor", Assert.Throws<ArgumentNullException>(() => lifecycle.ToStateMachine(null!, _ => { }, () => default)).ParamName);
        Assert.Equal("stateMutator", Assert.Throws<ArgumentNullException>(() => lifecycle.ToStateMachine(() => ReleaseState.Draft, null!, () => default)).ParamName);
        Assert.Equal("facts", Assert.Throws<ArgumentNullException>(() => lifecycle.ToStateMachine(() => ReleaseState.Draft, _ => { }, null!)).ParamName);
    }
}
