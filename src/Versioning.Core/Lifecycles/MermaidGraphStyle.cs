using System.Text;

namespace Versioning.Core.Lifecycles;

/// <summary>Renders a lifecycle as a Mermaid <c>stateDiagram-v2</c> (the format docs/lifecycles.md embeds).</summary>
public sealed class MermaidGraphStyle : LifecycleGraphStyle
{
    /// <summary>The shared instance.</summary>
    public static MermaidGraphStyle Instance { get; } = new();

    /// <inheritdoc />
    public override void Begin(StringBuilder text, string title) => Out(text).Append("---\ntitle: ").Append(title).Append("\n---\nstateDiagram-v2\n");

    /// <inheritdoc />
    public override void Initial(StringBuilder text, string state) => Out(text).Append("    [*] --> ").Append(state).Append('\n');

    /// <inheritdoc />
    public override void State(StringBuilder text, LifecycleGraphState state, string capabilities)
        => Out(text).Append("    ").Append(state.Name).Append(" : ").Append(state.Name).Append(" (").Append(capabilities).Append(")\n");

    /// <inheritdoc />
    public override void Edge(StringBuilder text, string source, string target, string label)
        => Out(text).Append("    ").Append(source).Append(" --> ").Append(target).Append(" : ").Append(label).Append('\n');

    /// <inheritdoc />
    public override void Exit(StringBuilder text, string source, string label)
        => Out(text).Append("    ").Append(source).Append(" --> [*] : ").Append(label).Append('\n');

    /// <inheritdoc />
    public override void End(StringBuilder text) => Out(text);

    private static StringBuilder Out(StringBuilder text) => text ?? throw new ArgumentNullException(nameof(text));
}
