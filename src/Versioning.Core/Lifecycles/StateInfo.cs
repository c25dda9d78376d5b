using System.Collections.Immutable;

namespace Versioning.Core.Lifecycles;

/// <summary>
/// Everything a lifecycle says about one state, in one object: its meaning, its capabilities, whether items start in
/// it, and the transitions that leave it. Read it from <see cref="Lifecycle{TState, TAction, TContext}.GetStateInfo"/>
/// or <see cref="Lifecycle{TState, TAction, TContext}.StateInfos"/>.
/// </summary>
/// <typeparam name="TState">The state enum.</typeparam>
/// <typeparam name="TAction">The action enum.</typeparam>
/// <threadsafety>Immutable: safe to share between threads.</threadsafety>
public sealed class StateInfo<TState, TAction>
    where TState : struct, Enum
    where TAction : struct, Enum
{
    internal StateInfo(TState state, string description, StateCapabilities capabilities, bool isInitial, ImmutableArray<TransitionInfo<TState, TAction>> transitions)
    {
        State = state;
        Description = description;
        Capabilities = capabilities;
        IsInitial = isInitial;
        Transitions = transitions;
        Actions = [.. transitions.Select(t => t.Action).Distinct()];
    }

    /// <summary>The state.</summary>
    public TState State { get; }

    /// <summary>A one-line meaning of the state, as configured with <c>Describe</c>.</summary>
    public string Description { get; }

    /// <summary>What the state allows, independent of any action.</summary>
    public StateCapabilities Capabilities { get; }

    /// <summary>True for the lifecycle's initial state.</summary>
    public bool IsInitial { get; }

    /// <summary>True when no action is configured in this state (a final state).</summary>
    public bool IsFinal => Transitions.IsEmpty;

    /// <summary>The configured transitions whose source is this state, in configuration order (internal and exit ones included).</summary>
    public ImmutableArray<TransitionInfo<TState, TAction>> Transitions { get; }

    /// <summary>The actions configured in this state, in configuration order; each may still be guarded.</summary>
    public ImmutableArray<TAction> Actions { get; }

    /// <summary>Whether the state has every one of <paramref name="capabilities"/>.</summary>
    /// <param name="capabilities">One or more capabilities.</param>
    /// <returns>True when all are present.</returns>
    public bool Has(StateCapabilities capabilities) => (Capabilities & capabilities) == capabilities;

    /// <summary>Returns the state's name and description, for example <c>Draft: being written</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{State}: {Description}";
}
