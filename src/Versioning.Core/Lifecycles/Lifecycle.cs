using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Stateless;

namespace Versioning.Core.Lifecycles;

/// <summary>
/// An immutable, table-driven lifecycle: which actions are permitted in which state, under which guards, with the
/// rule that refuses every other action. Define it once (a static field) with <see cref="LifecycleBuilder{TState, TAction, TContext}"/>;
/// every query is an array lookup plus the guards of that one cell and allocates nothing.
/// </summary>
/// <typeparam name="TState">The state enum (values 0..n-1).</typeparam>
/// <typeparam name="TAction">The action enum (values 0..n-1, at most 64).</typeparam>
/// <typeparam name="TContext">Facts about an item that guards read, passed by reference.</typeparam>
/// <threadsafety>Immutable once built: safe to share between threads, and its queries allocate nothing (P1).</threadsafety>
public sealed class Lifecycle<TState, TAction, TContext>
    where TState : struct, Enum
    where TAction : struct, Enum
{
    private readonly Cell[] _cells;
    private readonly StateCapabilities[] _capabilities;
    private readonly StateMasks[] _masks;
    private readonly int _actionCount;

    internal Lifecycle(
        string name,
        TState initialState,
        Cell[] cells,
        StateCapabilities[] capabilities,
        string[] stateDescriptions,
        ImmutableArray<TransitionInfo<TState, TAction>> transitions)
    {
        Name = name;
        InitialState = initialState;
        _cells = cells;
        _capabilities = capabilities;
        _actionCount = EnumIndex<TAction>.Count;
        Transitions = transitions;
        StateInfos = [.. EnumIndex<TState>.Values.Select((state, i) => new StateInfo<TState, TAction>(
            state,
            stateDescriptions[i],
            capabilities[i],
            EqualityComparer<TState>.Default.Equals(state, initialState),
            [.. transitions.Where(t => EqualityComparer<TState>.Default.Equals(t.Source, state))]))];
        _masks = new StateMasks[EnumIndex<TState>.Count];
        for (var s = 0; s < _masks.Length; s++)
        {
            ulong configured = 0, guarded = 0;
            for (var a = 0; a < _actionCount; a++)
            {
                var cell = cells[(s * _actionCount) + a];
                if (cell.Target >= 0)
                {
                    configured |= 1UL << a;
                    if (cell.Guards is not null)
                    {
                        guarded |= 1UL << a;
                    }
                }
            }

            _masks[s] = new StateMasks(configured, guarded);
        }
    }

    /// <summary>The lifecycle's name, used as the diagram title.</summary>
    public string Name { get; }

    /// <summary>The state every new item starts in.</summary>
    public TState InitialState { get; }

    /// <summary>Every state, in declaration order.</summary>
    public ImmutableArray<TState> States { get; } = ImmutableArray.Create(EnumIndex<TState>.Values);

    /// <summary>Every action, in declaration order.</summary>
    public ImmutableArray<TAction> Actions { get; } = ImmutableArray.Create(EnumIndex<TAction>.Values);

    /// <summary>Every configured transition (including internal and exit ones), in configuration order.</summary>
    public ImmutableArray<TransitionInfo<TState, TAction>> Transitions { get; }

    /// <summary>One object per state, in declaration order (like <see cref="States"/>): description, capabilities, transitions.</summary>
    public ImmutableArray<StateInfo<TState, TAction>> StateInfos { get; }

    /// <summary>Everything the lifecycle says about <paramref name="state"/>: its description, capabilities and outgoing transitions.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The state's info (the same instance every time).</returns>
    public StateInfo<TState, TAction> GetStateInfo(TState state) => StateInfos[EnumIndex<TState>.Of(state)];

    /// <summary>The capabilities of <paramref name="state"/>.</summary>
    /// <param name="state">The state.</param>
    /// <returns>Its capabilities.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public StateCapabilities CapabilitiesOf(TState state) => _capabilities[EnumIndex<TState>.Of(state)];

    /// <summary>Tells whether <paramref name="state"/> has every capability in <paramref name="capabilities"/>.</summary>
    /// <param name="state">The state.</param>
    /// <param name="capabilities">One or more capabilities.</param>
    /// <returns>True when all are present.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Has(TState state, StateCapabilities capabilities) => (CapabilitiesOf(state) & capabilities) == capabilities;

    /// <summary>Tells whether <paramref name="action"/> is configured in <paramref name="state"/>, ignoring guards.</summary>
    /// <param name="state">The state.</param>
    /// <param name="action">The action.</param>
    /// <returns>True when a transition exists.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsConfigured(TState state, TAction action) => CellOf(state, action).Target >= 0;

    /// <summary>Tells whether <paramref name="action"/> may be applied in <paramref name="state"/> given <paramref name="context"/>.</summary>
    /// <param name="state">The current state.</param>
    /// <param name="action">The action.</param>
    /// <param name="context">Facts the guards read.</param>
    /// <returns>True when permitted.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool CanApply(TState state, TAction action, in TContext context) => Permits(in CellOf(state, action), in context, out _);

    /// <summary>
    /// Tells whether <paramref name="action"/> may be applied in <paramref name="state"/>; when it may not,
    /// <paramref name="whyNot"/> names the first unmet rule (a state rule, then guards in order).
    /// </summary>
    /// <param name="state">The current state.</param>
    /// <param name="action">The action.</param>
    /// <param name="context">Facts the guards read.</param>
    /// <param name="whyNot">The unmet rule, or the default value when permitted.</param>
    /// <returns>True when permitted.</returns>
    public bool CanApply(TState state, TAction action, in TContext context, out RuleViolation whyNot)
        => Permits(in CellOf(state, action), in context, out whyNot);

    /// <summary>
    /// Applies <paramref name="action"/> to <paramref name="state"/>: on success <paramref name="target"/> is the
    /// resulting state (unchanged for internal and exit transitions) and <paramref name="kind"/> says which it was.
    /// </summary>
    /// <param name="state">The current state.</param>
    /// <param name="action">The action.</param>
    /// <param name="context">Facts the guards read.</param>
    /// <param name="target">The resulting state, or <paramref name="state"/> when refused.</param>
    /// <param name="kind">What the transition does.</param>
    /// <param name="whyNot">The unmet rule when refused.</param>
    /// <returns>True when applied.</returns>
    public bool TryApply(TState state, TAction action, in TContext context, out TState target, out TransitionKind kind, out RuleViolation whyNot)
    {
        ref readonly var cell = ref CellOf(state, action);
        if (!Permits(in cell, in context, out whyNot))
        {
            target = state;
            kind = default;
            return false;
        }

        target = EnumIndex<TState>.At(cell.Target);
        kind = cell.Kind;
        return true;
    }

    /// <summary>The actions configured in <paramref name="state"/>, ignoring guards.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The set of actions.</returns>
    public ActionSet<TAction> ConfiguredActions(TState state) => new(_masks[EnumIndex<TState>.Of(state)].Configured);

    /// <summary>The actions permitted in <paramref name="state"/> given <paramref name="context"/> (guards evaluated).</summary>
    /// <param name="state">The state.</param>
    /// <param name="context">Facts the guards read.</param>
    /// <returns>The set of permitted actions.</returns>
    public ActionSet<TAction> PermittedActions(TState state, in TContext context)
    {
        // Unguarded actions come straight from the precomputed mask; only the guarded cells are visited.
        var s = EnumIndex<TState>.Of(state);
        var masks = _masks[s];
        var permitted = masks.Configured & ~masks.Guarded;
        var guarded = masks.Guarded;
        var baseIndex = s * _actionCount;
        while (guarded != 0)
        {
            var a = System.Numerics.BitOperations.TrailingZeroCount(guarded);
            guarded &= guarded - 1;
            if (GuardsHold(in _cells[baseIndex + a], in context))
            {
                permitted |= 1UL << a;
            }
        }

        return new ActionSet<TAction>(permitted);
    }

    /// <summary>Renders the lifecycle as a Mermaid <c>stateDiagram-v2</c>.</summary>
    /// <returns>The diagram text (LF line endings).</returns>
    public string ToMermaid() => ToGraph(MermaidGraphStyle.Instance);

    /// <summary>Renders the lifecycle as a Graphviz DOT digraph.</summary>
    /// <returns>The diagram text (LF line endings).</returns>
    public string ToDot() => ToGraph(DotGraphStyle.Instance);

    /// <summary>Renders the lifecycle in a diagram format of your choice (see <see cref="LifecycleGraphStyle"/>).</summary>
    /// <param name="style">The format, for example <see cref="MermaidGraphStyle.Instance"/> or a style of your own.</param>
    /// <returns>The diagram text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="style"/> is null.</exception>
    public string ToGraph(LifecycleGraphStyle style) => LifecycleGraph.Render(this, style ?? throw new ArgumentNullException(nameof(style)));

    /// <summary>
    /// Projects this lifecycle onto an equivalent, fully configured Stateless state machine (rule S1). The state is
    /// external: Stateless reads it through <paramref name="stateAccessor"/> and writes it through
    /// <paramref name="stateMutator"/>. Guards evaluate this lifecycle's own guard functions on the facts
    /// <paramref name="facts"/> returns at the moment of each question, and describe themselves as
    /// <c>"rule ID: what must hold"</c>. Internal transitions are Stateless internal transitions; an exit (delete) is an
    /// internal transition too (Stateless has no final state: firing it leaves the state as it is and the caller
    /// removes the item, as the engine's <see cref="TransitionKind.Exit"/> does). Every refused action (not configured in
    /// the state, or a guard unmet) raises, through <c>OnUnhandledTrigger</c>, the <see cref="VersioningRuleException"/>
    /// of the rule the engine names. The machine is configured on every call (a few microseconds; see docs/benchmarks.md)
    /// and, like every Stateless machine, is not thread-safe; the engine stays the hot path.
    /// </summary>
    /// <param name="stateAccessor">Reads the current state.</param>
    /// <param name="stateMutator">Writes the new state after a transition.</param>
    /// <param name="facts">Returns the facts the guards read; called at every guard evaluation.</param>
    /// <param name="refusal">
    /// Builds the exception for a refused action; null for a <see cref="VersioningRuleException"/> carrying the rule ID
    /// and the engine's message, with <see cref="VersioningRuleException.AggregateKind"/> "Lifecycle",
    /// <see cref="VersioningRuleException.AggregateId"/> this lifecycle's <see cref="Name"/> and the refused state.
    /// </param>
    /// <returns>A new, configured machine.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stateAccessor"/>, <paramref name="stateMutator"/> or <paramref name="facts"/> is null.</exception>
    public StateMachine<TState, TAction> ToStateMachine(Func<TState> stateAccessor, Action<TState> stateMutator, Func<TContext> facts, LifecycleRefusal<TState, TAction>? refusal = null)
        => StatelessProjection.Configure(this, stateAccessor, stateMutator, facts, refusal);

    /// <summary>The cell of (<paramref name="state"/>, <paramref name="action"/>), for the Stateless projection.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref readonly Cell CellOf(TState state, TAction action)
        => ref _cells[(EnumIndex<TState>.Of(state) * _actionCount) + EnumIndex<TAction>.Of(action)];

    /// <summary>The one decision behind every query: the cell is permitted and its guards (if any) hold, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Permits(in Cell cell, in TContext context, out RuleViolation whyNot)
    {
        if (cell.Target < 0)
        {
            whyNot = cell.Refusal;
            return false;
        }

        var guards = cell.Guards;
        if (guards is null)
        {
            // Most cells have no guard: no delegate call, no loop.
            whyNot = default;
            return true;
        }

        return FirstUnmetGuard(guards, in context, out whyNot);
    }

    private static bool FirstUnmetGuard(Guard[] guards, in TContext context, out RuleViolation whyNot)
    {
        for (var i = 0; i < guards.Length; i++)
        {
            if (!guards[i].Predicate(in context))
            {
                whyNot = guards[i].Violation;
                return false;
            }
        }

        whyNot = default;
        return true;
    }

    private static bool GuardsHold(in Cell cell, in TContext context)
    {
        var guards = cell.Guards;
        if (guards is null)
        {
            return true;
        }

        for (var i = 0; i < guards.Length; i++)
        {
            if (!guards[i].Predicate(in context))
            {
                return false;
            }
        }

        return true;
    }

    internal readonly struct Cell(int target, TransitionKind kind, Guard[]? guards, RuleViolation refusal)
    {
        public readonly int Target = target;
        public readonly TransitionKind Kind = kind;
        public readonly Guard[]? Guards = guards;
        public readonly RuleViolation Refusal = refusal;
    }

    /// <summary>Per state: the configured actions, and those of them that have guards.</summary>
    private readonly struct StateMasks(ulong configured, ulong guarded)
    {
        public readonly ulong Configured = configured;
        public readonly ulong Guarded = guarded;
    }

    internal sealed class Guard(LifecycleGuard<TContext> predicate, RuleViolation violation, string description)
    {
        public readonly LifecycleGuard<TContext> Predicate = predicate;
        public readonly RuleViolation Violation = violation;

        /// <summary>The rule ID and what must hold, for example <c>"T10: no installations pinned"</c> (the Stateless guard description).</summary>
        public readonly string Label = $"{violation.RuleId}: {description}";
    }
}
