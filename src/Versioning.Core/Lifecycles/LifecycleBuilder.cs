using System.Collections.Immutable;

namespace Versioning.Core.Lifecycles;

/// <summary>
/// Defines a <see cref="Lifecycle{TState, TAction, TContext}"/> so that it reads like its diagram:
/// <c>Configure(state).Permit(action, target)</c>, <c>PermitIf(action, target, guard, ruleId, description)</c>.
/// Every (state, action) pair must end up either permitted or explained by a rule (<see cref="Explain"/> or
/// <see cref="StateConfiguration.Refuse"/>), so that every refusal can name its rule.
/// </summary>
/// <typeparam name="TState">The state enum (values 0..n-1).</typeparam>
/// <typeparam name="TAction">The action enum (values 0..n-1, at most 64).</typeparam>
/// <typeparam name="TContext">Facts about an item that guards read.</typeparam>
public sealed class LifecycleBuilder<TState, TAction, TContext>
    where TState : struct, Enum
    where TAction : struct, Enum
{
    private readonly string _name;
    private readonly TState _initialState;
    private readonly StateConfiguration[] _states;
    private readonly (string RuleId, string Message)?[] _explanations;
    private readonly List<(TState Source, TAction Action)> _order = [];

    /// <summary>Starts a definition.</summary>
    /// <param name="name">The lifecycle's name (diagram title).</param>
    /// <param name="initialState">The state new items start in.</param>
    /// <exception cref="InvalidOperationException">An enum is not int-backed with values 0..n-1, or there are more than 64 actions.</exception>
    public LifecycleBuilder(string name, TState initialState)
    {
        _name = Preconditions.Text(name, nameof(name), 200);
        _initialState = initialState;
        if (EnumIndex<TAction>.Count > 64)
        {
            throw new InvalidOperationException($"A lifecycle supports at most 64 actions; {typeof(TAction).Name} has {EnumIndex<TAction>.Count}.");
        }

        _states = new StateConfiguration[EnumIndex<TState>.Count];
        for (var i = 0; i < _states.Length; i++)
        {
            _states[i] = new StateConfiguration(this, EnumIndex<TState>.At(i));
        }

        _explanations = new (string, string)?[EnumIndex<TAction>.Count];
    }

    /// <summary>Configures <paramref name="state"/>.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The state's configuration, for chaining.</returns>
    public StateConfiguration Configure(TState state) => _states[EnumIndex<TState>.Of(state)];

    /// <summary>
    /// Gives the rule that refuses <paramref name="action"/> in every state where it is not permitted (unless the state
    /// gives its own with <see cref="StateConfiguration.Refuse"/>). <c>{state}</c> and <c>{action}</c> in the message are replaced.
    /// </summary>
    /// <param name="action">The action.</param>
    /// <param name="ruleId">The rule ID.</param>
    /// <param name="message">What is refused, why, and what to do instead.</param>
    /// <returns>This builder.</returns>
    public LifecycleBuilder<TState, TAction, TContext> Explain(TAction action, string ruleId, string message)
    {
        _explanations[EnumIndex<TAction>.Of(action)] = (ruleId, message);
        return this;
    }

    /// <summary>Builds the immutable lifecycle.</summary>
    /// <returns>The lifecycle.</returns>
    /// <exception cref="InvalidOperationException">Some (state, action) pair is neither permitted nor explained.</exception>
    public Lifecycle<TState, TAction, TContext> Build()
    {
        var actionCount = EnumIndex<TAction>.Count;
        var cells = new Lifecycle<TState, TAction, TContext>.Cell[_states.Length * actionCount];
        var missing = new List<string>();
        for (var s = 0; s < _states.Length; s++)
        {
            var config = _states[s];
            for (var a = 0; a < actionCount; a++)
            {
                var action = EnumIndex<TAction>.At(a);
                if (config.Permits.TryGetValue(a, out var permit))
                {
                    var guards = permit.Guards.Count == 0
                        ? null
                        : permit.Guards.Select(g => new Lifecycle<TState, TAction, TContext>.Guard(
                            g.Predicate,
                            new RuleViolation(g.RuleId, Format(g.WhyNot, config.State, action)),
                            g.Description)).ToArray();
                    cells[(s * actionCount) + a] = new(EnumIndex<TState>.Of(permit.Target), permit.Kind, guards, default);
                    continue;
                }

                var refusal = config.Refusals.TryGetValue(a, out var own) ? own : _explanations[a];
                if (refusal is null)
                {
                    missing.Add($"{config.State}.{action}");
                    continue;
                }

                cells[(s * actionCount) + a] = new(-1, default, null, new RuleViolation(refusal.Value.RuleId, Format(refusal.Value.Message, config.State, action)));
            }
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Lifecycle '{_name}': every (state, action) pair must be permitted or explained by a rule; missing: {string.Join(", ", missing)}.");
        }

        var transitions = _order
            .Select(o =>
            {
                var permit = _states[EnumIndex<TState>.Of(o.Source)].Permits[EnumIndex<TAction>.Of(o.Action)];
                return new TransitionInfo<TState, TAction>(
                    o.Source,
                    o.Action,
                    permit.Target,
                    permit.Kind,
                    permit.Guards.Select(g => new GuardInfo(g.RuleId, g.Description)).ToImmutableArray());
            })
            .ToImmutableArray();

        return new Lifecycle<TState, TAction, TContext>(
            _name,
            _initialState,
            cells,
            _states.Select(s => s.Capabilities).ToArray(),
            _states.Select(s => s.Description).ToArray(),
            transitions);
    }

    private static string Format(string message, TState state, TAction action)
        => message.Replace("{state}", state.ToString(), StringComparison.Ordinal).Replace("{action}", action.ToString(), StringComparison.Ordinal);

    /// <summary>The configuration of one state.</summary>
    public sealed class StateConfiguration
    {
        private readonly LifecycleBuilder<TState, TAction, TContext> _owner;

        internal StateConfiguration(LifecycleBuilder<TState, TAction, TContext> owner, TState state)
        {
            _owner = owner;
            State = state;
        }

        internal TState State { get; }

        internal StateCapabilities Capabilities { get; private set; }

        internal string Description { get; private set; } = string.Empty;

        internal Dictionary<int, Permit> Permits { get; } = [];

        internal Dictionary<int, (string RuleId, string Message)?> Refusals { get; } = [];

        /// <summary>Sets what the state allows and a one-line meaning (shown in docs).</summary>
        /// <param name="capabilities">The capabilities.</param>
        /// <param name="description">What the state means for users.</param>
        /// <returns>This configuration.</returns>
        public StateConfiguration Means(StateCapabilities capabilities, string description)
        {
            Capabilities = capabilities;
            Description = description ?? throw new ArgumentNullException(nameof(description));
            return this;
        }

        /// <summary>Permits <paramref name="action"/>, moving to <paramref name="target"/>.</summary>
        /// <param name="action">The action.</param>
        /// <param name="target">The resulting state.</param>
        /// <returns>This configuration.</returns>
        public StateConfiguration Permit(TAction action, TState target) => Add(action, target, TransitionKind.Transition, null);

        /// <summary>Permits <paramref name="action"/> to <paramref name="target"/> when <paramref name="guard"/> holds. Call again with the same action and target to add further guards.</summary>
        /// <param name="action">The action.</param>
        /// <param name="target">The resulting state.</param>
        /// <param name="guard">The condition.</param>
        /// <param name="ruleId">The rule the guard enforces.</param>
        /// <param name="description">What must hold, in a few words (diagrams).</param>
        /// <param name="whyNot">The refusal message when it does not hold; <c>{state}</c> and <c>{action}</c> are replaced.</param>
        /// <returns>This configuration.</returns>
        public StateConfiguration PermitIf(TAction action, TState target, LifecycleGuard<TContext> guard, string ruleId, string description, string whyNot)
            => Add(action, target, TransitionKind.Transition, new GuardDefinition(guard, ruleId, description, whyNot));

        /// <summary>Permits <paramref name="action"/> without changing state.</summary>
        /// <param name="action">The action.</param>
        /// <returns>This configuration.</returns>
        public StateConfiguration PermitInternal(TAction action) => Add(action, State, TransitionKind.Internal, null);

        /// <summary>Permits <paramref name="action"/> without changing state when <paramref name="guard"/> holds.</summary>
        /// <param name="action">The action.</param>
        /// <param name="guard">The condition.</param>
        /// <param name="ruleId">The rule the guard enforces.</param>
        /// <param name="description">What must hold (diagrams).</param>
        /// <param name="whyNot">The refusal message when it does not hold.</param>
        /// <returns>This configuration.</returns>
        public StateConfiguration PermitInternalIf(TAction action, LifecycleGuard<TContext> guard, string ruleId, string description, string whyNot)
            => Add(action, State, TransitionKind.Internal, new GuardDefinition(guard, ruleId, description, whyNot));

        /// <summary>Permits <paramref name="action"/>, which removes the item from the lifecycle.</summary>
        /// <param name="action">The action.</param>
        /// <returns>This configuration.</returns>
        public StateConfiguration PermitExit(TAction action) => Add(action, State, TransitionKind.Exit, null);

        /// <summary>Permits <paramref name="action"/>, which removes the item, when <paramref name="guard"/> holds.</summary>
        /// <param name="action">The action.</param>
        /// <param name="guard">The condition.</param>
        /// <param name="ruleId">The rule the guard enforces.</param>
        /// <param name="description">What must hold (diagrams).</param>
        /// <param name="whyNot">The refusal message when it does not hold.</param>
        /// <returns>This configuration.</returns>
        public StateConfiguration PermitExitIf(TAction action, LifecycleGuard<TContext> guard, string ruleId, string description, string whyNot)
            => Add(action, State, TransitionKind.Exit, new GuardDefinition(guard, ruleId, description, whyNot));

        /// <summary>Refuses <paramref name="action"/> in this state with the given rule (overrides <see cref="Explain"/>).</summary>
        /// <param name="action">The action.</param>
        /// <param name="ruleId">The rule ID.</param>
        /// <param name="message">What is refused, why, and what to do instead.</param>
        /// <returns>This configuration.</returns>
        public StateConfiguration Refuse(TAction action, string ruleId, string message)
        {
            var index = EnumIndex<TAction>.Of(action);
            if (Permits.ContainsKey(index))
            {
                throw new InvalidOperationException($"{State}.{action} is already permitted; it cannot also be refused.");
            }

            Refusals[index] = (ruleId, message);
            return this;
        }

        /// <summary>Moves on to configuring another state.</summary>
        /// <param name="state">The state.</param>
        /// <returns>That state's configuration.</returns>
        public StateConfiguration Configure(TState state) => _owner.Configure(state);

        private StateConfiguration Add(TAction action, TState target, TransitionKind kind, GuardDefinition? guard)
        {
            var index = EnumIndex<TAction>.Of(action);
            if (Refusals.ContainsKey(index))
            {
                throw new InvalidOperationException($"{State}.{action} is refused; it cannot also be permitted.");
            }

            if (Permits.TryGetValue(index, out var existing))
            {
                if (!EqualityComparer<TState>.Default.Equals(existing.Target, target) || existing.Kind != kind)
                {
                    throw new InvalidOperationException($"{State}.{action} already leads to {existing.Target} ({existing.Kind}); one action has one outcome per state.");
                }
            }
            else
            {
                existing = new Permit(target, kind);
                Permits[index] = existing;
                _owner._order.Add((State, action));
            }

            if (guard is not null)
            {
                existing.Guards.Add(guard);
            }

            return this;
        }
    }

    internal sealed class Permit(TState target, TransitionKind kind)
    {
        public TState Target { get; } = target;

        public TransitionKind Kind { get; } = kind;

        public List<GuardDefinition> Guards { get; } = [];
    }

    internal sealed record GuardDefinition(LifecycleGuard<TContext> Predicate, string RuleId, string Description, string WhyNot);
}
