using Stateless;

namespace Versioning.Core.Lifecycles;

/// <summary>
/// Builds the exception a lifecycle's Stateless machine raises when an action is refused (see
/// <see cref="Lifecycle{TState, TAction, TContext}.ToStateMachine"/>). Aggregates pass their own, so that the machine
/// they hand out raises exactly what their commands raise.
/// </summary>
/// <typeparam name="TState">The state enum.</typeparam>
/// <typeparam name="TAction">The action enum.</typeparam>
/// <param name="state">The state the action was refused in.</param>
/// <param name="action">The refused action.</param>
/// <param name="violation">The rule the engine names for the refusal (never empty).</param>
/// <returns>The exception to throw.</returns>
public delegate VersioningRuleException LifecycleRefusal<in TState, in TAction>(TState state, TAction action, RuleViolation violation)
    where TState : struct, Enum
    where TAction : struct, Enum;

/// <summary>
/// The Stateless projection of a lifecycle (rule S1): one Stateless configuration per (state, action) cell of the
/// engine's table, so the machine and the engine answer every question the same way (rule S2, checked by property tests).
/// </summary>
internal static class StatelessProjection
{
    /// <summary>The refusing kind of aggregate named by the default refusal.</summary>
    public const string LifecycleKind = "Lifecycle";

    public static StateMachine<TState, TAction> Configure<TState, TAction, TContext>(
        Lifecycle<TState, TAction, TContext> lifecycle,
        Func<TState> stateAccessor,
        Action<TState> stateMutator,
        Func<TContext> facts,
        LifecycleRefusal<TState, TAction>? refusal)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(stateAccessor);
        ArgumentNullException.ThrowIfNull(stateMutator);
        ArgumentNullException.ThrowIfNull(facts);
        var name = lifecycle.Name;
        refusal ??= (state, _, violation) => new VersioningRuleException(violation.RuleId!, violation.Message!, LifecycleKind, name, null, state.ToString());

        var machine = new StateMachine<TState, TAction>(stateAccessor, stateMutator);
        foreach (var state in lifecycle.States)
        {
            // Configure every state, even one without transitions, so that GetInfo() and the graph exports list it.
            var configuration = machine.Configure(state);
            foreach (var action in lifecycle.Actions)
            {
                ref readonly var cell = ref lifecycle.CellOf(state, action);
                if (cell.Target < 0)
                {
                    // Refused in this state: left unconfigured, so Stateless hands it to OnUnhandledTrigger.
                    continue;
                }

                var guards = cell.Guards;
                if (cell.Kind == TransitionKind.Transition)
                {
                    var target = EnumIndex<TState>.At(cell.Target);
                    var reentry = EqualityComparer<TState>.Default.Equals(target, state);
                    if (guards is null)
                    {
                        _ = reentry ? configuration.PermitReentry(action) : configuration.Permit(action, target);
                    }
                    else
                    {
                        // One Stateless guard per engine guard, in the engine's order, each described by its rule.
                        var conditions = Array.ConvertAll(guards, g => Tuple.Create<Func<bool>, string>(() => Holds(g, facts), g.Label));
                        _ = reentry ? configuration.PermitReentryIf(action, conditions) : configuration.PermitIf(action, target, conditions);
                    }
                }
                else if (guards is null)
                {
                    // Internal transitions, and exits by convention: Stateless has no final state, so an exit keeps the
                    // state and the caller removes the item (the engine reports TransitionKind.Exit for it).
                    configuration.InternalTransition(action, NoEffect<TState, TAction>);
                }
                else
                {
                    // Stateless takes one guard per internal transition: several engine guards become one that holds
                    // when all of them do, described by all their rules.
                    configuration.InternalTransitionIf(action, _ => AllHold(guards, facts), NoEffect<TState, TAction>, InternalLabel(guards));
                }
            }
        }

        machine.OnUnhandledTrigger((state, action, unmetGuards) =>
        {
            var violation = Refusal(lifecycle, state, action, unmetGuards, facts);
            throw refusal(state, action, violation)
                ?? throw new InvalidOperationException($"The refusal given to ToStateMachine returned no exception for {action} in {state} ({violation}).");
        });
        return machine;
    }

    /// <summary>
    /// The rule behind a refusal Stateless reports: the state's own refusal when the action is not configured there,
    /// else the first guard, in the engine's order, that Stateless reports unmet and that does not hold.
    /// </summary>
    private static RuleViolation Refusal<TState, TAction, TContext>(
        Lifecycle<TState, TAction, TContext> lifecycle, TState state, TAction action, ICollection<string>? unmetGuards, Func<TContext> facts)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        ref readonly var cell = ref lifecycle.CellOf(state, action);
        if (cell.Target < 0)
        {
            return cell.Refusal;
        }

        if (cell.Guards is { } guards && unmetGuards is { Count: > 0 })
        {
            var internalLabel = cell.Kind == TransitionKind.Transition ? null : InternalLabel(guards);
            var context = facts();
            foreach (var guard in guards)
            {
                if (unmetGuards.Contains(internalLabel ?? guard.Label) && !guard.Predicate(in context))
                {
                    return guard.Violation;
                }
            }

            // The facts changed between Stateless's evaluation and this one: name the first guard Stateless reported.
            foreach (var guard in guards)
            {
                if (unmetGuards.Contains(internalLabel ?? guard.Label))
                {
                    return guard.Violation;
                }
            }
        }

        throw new InvalidOperationException(
            $"Stateless refused {action} in {state}, which lifecycle '{lifecycle.Name}' permits; the machine was reconfigured after it was built.");
    }

    private static bool Holds<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext>.Guard guard, Func<TContext> facts)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        var context = facts();
        return guard.Predicate(in context);
    }

    private static string InternalLabel<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext>.Guard[] guards)
        where TState : struct, Enum
        where TAction : struct, Enum
        => guards.Length == 1 ? guards[0].Label : string.Join(" and ", guards.Select(g => g.Label));

    private static bool AllHold<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext>.Guard[] guards, Func<TContext> facts)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        var context = facts();
        foreach (var guard in guards)
        {
            if (!guard.Predicate(in context))
            {
                return false;
            }
        }

        return true;
    }

    private static void NoEffect<TState, TAction>(StateMachine<TState, TAction>.Transition transition)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
    }
}
