using System.Text;

namespace Versioning.Core.Lifecycles;

/// <summary>
/// A diagram format for <see cref="Lifecycle{TState, TAction, TContext}.ToGraph"/>: the lifecycle walks its states and
/// edges once and asks the style to write each part, so every format shows the same graph. Derive from it to add a
/// format (PlantUML, a wiki table, …); <see cref="MermaidGraphStyle"/> and <see cref="DotGraphStyle"/> are the built-in
/// ones.
/// </summary>
/// <remarks>
/// The walk calls <see cref="Begin"/>, <see cref="Initial"/>, <see cref="State"/> for every state in declaration order,
/// then <see cref="Edge"/> or <see cref="Exit"/> once per (source, target) pair in configuration order, then
/// <see cref="End"/>. Actions sharing a source and target form one edge whose label lists them, and a guarded action
/// shows its guards in brackets (<c>Promote [Z8: checks pass]</c>).
/// </remarks>
/// <threadsafety>The built-in styles keep no state and can be shared; a style of your own should do the same.</threadsafety>
public abstract class LifecycleGraphStyle
{
    /// <summary>Writes the start of the diagram.</summary>
    /// <param name="text">The output.</param>
    /// <param name="title">The lifecycle's name.</param>
    public abstract void Begin(StringBuilder text, string title);

    /// <summary>Writes the arrow into the initial state.</summary>
    /// <param name="text">The output.</param>
    /// <param name="state">The initial state's name.</param>
    public abstract void Initial(StringBuilder text, string state);

    /// <summary>Writes one state.</summary>
    /// <param name="text">The output.</param>
    /// <param name="state">The state's name and what it says about itself.</param>
    /// <param name="capabilities">Its capabilities in words (<c>editable, deletable</c>; <c>locked</c> for none).</param>
    public abstract void State(StringBuilder text, LifecycleGraphState state, string capabilities);

    /// <summary>Writes an edge between two states (a self-loop for internal transitions).</summary>
    /// <param name="text">The output.</param>
    /// <param name="source">The source state's name.</param>
    /// <param name="target">The target state's name.</param>
    /// <param name="label">The actions, with their guards.</param>
    public abstract void Edge(StringBuilder text, string source, string target, string label);

    /// <summary>Writes an edge out of the lifecycle (the item is deleted).</summary>
    /// <param name="text">The output.</param>
    /// <param name="source">The source state's name.</param>
    /// <param name="label">The actions, with their guards.</param>
    public abstract void Exit(StringBuilder text, string source, string label);

    /// <summary>Writes the end of the diagram.</summary>
    /// <param name="text">The output.</param>
    public abstract void End(StringBuilder text);
}
