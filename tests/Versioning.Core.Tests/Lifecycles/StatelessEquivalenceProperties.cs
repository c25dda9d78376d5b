using FsCheck;
using FsCheck.Xunit;
using Stateless;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Templates;

namespace Versioning.Core.Tests.Lifecycles;

/// <summary>
/// S2: for every lifecycle (the three built-in ones and a user-defined one), over arbitrary (state, action, facts) and
/// arbitrary action sequences, the engine and its Stateless machine agree on can-fire, the permitted actions, the
/// state after firing and the rule of every refusal.
/// </summary>
[Properties(Arbitrary = new[] { typeof(LifecycleArbitraries) }, MaxTest = 300)]
public class StatelessEquivalenceProperties
{
    [Property]
    public Task ReleaseLifecycle_EngineAndStatelessAgree_OnEveryStateActionAndFacts_S2(ReleaseState state, ReleaseAction action, ReleaseFacts facts)
        => Equivalence.AgreeOnOneStep(ReleaseLifecycle.Definition, state, action, facts);

    [Property]
    public Task VersionLifecycle_EngineAndStatelessAgree_OnEveryStateActionAndFacts_S2(VersionState state, VersionAction action, VersionFacts facts)
        => Equivalence.AgreeOnOneStep(VersionLifecycle.Definition, state, action, facts);

    [Property]
    public Task MigrationLifecycle_EngineAndStatelessAgree_OnEveryStateAndAction_S2(MigrationState state, MigrationAction action, NoFacts facts)
        => Equivalence.AgreeOnOneStep(MigrationLifecycle.Definition, state, action, facts);

    [Property]
    public Task CustomLifecycle_EngineAndStatelessAgree_OnEveryStateActionAndFacts_S2(ReviewLifecycle.State state, ReviewLifecycle.Action action, ReviewLifecycle.Facts facts)
        => Equivalence.AgreeOnOneStep(ReviewLifecycle.Definition, state, action, facts);

    [Property]
    public void ReleaseLifecycle_AnyActionSequence_SameStatesAndRefusals_S2(ReleaseAction[] actions, NonEmptyArray<ReleaseFacts> facts)
        => Equivalence.AgreeOnWalk(ReleaseLifecycle.Definition, actions, facts.Get);

    [Property]
    public void VersionLifecycle_AnyActionSequence_SameStatesAndRefusals_S2(VersionAction[] actions, NonEmptyArray<VersionFacts> facts)
        => Equivalence.AgreeOnWalk(VersionLifecycle.Definition, actions, facts.Get);

    [Property]
    public void MigrationLifecycle_AnyActionSequence_SameStatesAndRefusals_S2(MigrationAction[] actions)
        => Equivalence.AgreeOnWalk(MigrationLifecycle.Definition, actions, [default]);

    [Property]
    public void CustomLifecycle_AnyActionSequence_SameStatesAndRefusals_S2(ReviewLifecycle.Action[] actions, NonEmptyArray<ReviewLifecycle.Facts> facts)
        => Equivalence.AgreeOnWalk(ReviewLifecycle.Definition, actions, facts.Get);
}

/// <summary>The comparison behind the S2 properties, for any lifecycle.</summary>
internal static class Equivalence
{
    /// <summary>One question of each kind, asked of both in <paramref name="state"/> with <paramref name="facts"/>.</summary>
    public static async Task AgreeOnOneStep<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext> lifecycle, TState state, TAction action, TContext facts)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        var current = state;
        var machine = lifecycle.ToStateMachine(() => current, next => current = next, () => facts);

        Assert.Equal(lifecycle.CanApply(state, action, in facts), machine.CanFire(action));
        var permitted = lifecycle.PermittedActions(state, in facts).ToList();
        Assert.Equal(permitted.Order(), (await machine.GetPermittedTriggersAsync()).Order());
        FireBoth(lifecycle, machine, () => current, action, facts);
    }

    /// <summary>
    /// From the initial state, fires every action of <paramref name="actions"/> on both (the facts cycling through
    /// <paramref name="facts"/>): each step permitted by one is permitted by the other and leads to the same state,
    /// each refusal names the same rule and leaves the state as it was.
    /// </summary>
    public static void AgreeOnWalk<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext> lifecycle, TAction[] actions, TContext[] facts)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        var engineState = lifecycle.InitialState;
        var machineState = lifecycle.InitialState;
        var currentFacts = facts[0];
        var machine = lifecycle.ToStateMachine(() => machineState, next => machineState = next, () => currentFacts);
        for (var i = 0; i < actions.Length; i++)
        {
            currentFacts = facts[i % facts.Length];
            Assert.Equal(engineState, machine.State);
            Assert.Equal(lifecycle.CanApply(engineState, actions[i], in currentFacts), machine.CanFire(actions[i]));
            FireBoth(lifecycle, machine, () => machineState, actions[i], currentFacts);
            if (lifecycle.TryApply(engineState, actions[i], in currentFacts, out var target, out _, out _))
            {
                engineState = target;
            }

            Assert.Equal(engineState, machineState);
        }
    }

    private static void FireBoth<TState, TAction, TContext>(
        Lifecycle<TState, TAction, TContext> lifecycle, StateMachine<TState, TAction> machine, Func<TState> machineState, TAction action, TContext facts)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        var before = machineState();
        if (lifecycle.TryApply(before, action, in facts, out var target, out _, out var whyNot))
        {
            machine.Fire(action);
            Assert.Equal(target, machineState());
            return;
        }

        var refused = Assert.Throws<VersioningRuleException>(() => machine.Fire(action));
        Assert.Equal(whyNot.RuleId, refused.RuleId);
        Assert.Equal(whyNot.Message, refused.Message);
        Assert.Equal(before.ToString(), refused.State);
        Assert.Equal(before, machineState());
    }
}
