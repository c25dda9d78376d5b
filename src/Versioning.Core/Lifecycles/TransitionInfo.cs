using System.Collections.Immutable;

namespace Versioning.Core.Lifecycles;

/// <summary>One configured transition, for introspection and diagrams.</summary>
/// <typeparam name="TState">The state enum.</typeparam>
/// <typeparam name="TAction">The action enum.</typeparam>
/// <param name="Source">The state the action is applied in.</param>
/// <param name="Action">The action.</param>
/// <param name="Target">The resulting state (equal to <paramref name="Source"/> for internal and exit transitions).</param>
/// <param name="Kind">Whether the state changes, stays, or the item leaves the lifecycle.</param>
/// <param name="Guards">The conditions that must hold, in evaluation order.</param>
public sealed record TransitionInfo<TState, TAction>(TState Source, TAction Action, TState Target, TransitionKind Kind, ImmutableArray<GuardInfo> Guards)
    where TState : struct, Enum
    where TAction : struct, Enum;

/// <summary>A guard on a transition, for introspection and diagrams.</summary>
/// <param name="RuleId">The rule the guard enforces.</param>
/// <param name="Description">What must hold, in a few words (shown in diagrams).</param>
public sealed record GuardInfo(string RuleId, string Description);
