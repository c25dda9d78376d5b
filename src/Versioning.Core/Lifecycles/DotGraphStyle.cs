using System.Text;

namespace Versioning.Core.Lifecycles;

/// <summary>Renders a lifecycle as a Graphviz DOT digraph; deletion leads to a <c>[deleted]</c> node.</summary>
public sealed class DotGraphStyle : LifecycleGraphStyle
{
    /// <summary>The shared instance.</summary>
    public static DotGraphStyle Instance { get; } = new();

    /// <inheritdoc />
    public override void Begin(StringBuilder text, string title)
        => Out(text).Append("digraph \"").Append(Escape(title)).Append("\" {\n    rankdir=LR;\n    node [shape=box, style=rounded];\n    \"[*]\" [shape=point];\n    \"[deleted]\" [shape=doublecircle, label=\"\", width=0.2];\n");

    /// <inheritdoc />
    public override void Initial(StringBuilder text, string state) => Out(text).Append("    \"[*]\" -> \"").Append(state).Append("\";\n");

    /// <inheritdoc />
    public override void State(StringBuilder text, LifecycleGraphState state, string capabilities)
        => Out(text).Append("    \"").Append(state.Name).Append("\" [label=\"").Append(state.Name).Append("\\n").Append(Escape(capabilities)).Append("\"];\n");

    /// <inheritdoc />
    public override void Edge(StringBuilder text, string source, string target, string label)
        => Out(text).Append("    \"").Append(source).Append("\" -> \"").Append(target).Append("\" [label=\"").Append(Escape(label)).Append("\"];\n");

    /// <inheritdoc />
    public override void Exit(StringBuilder text, string source, string label)
        => Out(text).Append("    \"").Append(source).Append("\" -> \"[deleted]\" [label=\"").Append(Escape(label)).Append("\"];\n");

    /// <inheritdoc />
    public override void End(StringBuilder text) => Out(text).Append("}\n");

    private static StringBuilder Out(StringBuilder text) => text ?? throw new ArgumentNullException(nameof(text));

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
