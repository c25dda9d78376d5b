using System.Text;

namespace Versioning.Core.Lifecycles;

/// <summary>
/// Renders a lifecycle's introspection data as a diagram. One walk over states and edges, two small styles
/// (Mermaid and DOT), so both exports always show the same graph. Actions sharing a source and target are
/// drawn as one edge whose label lists them; a guarded action shows its guard in brackets.
/// </summary>
internal static class LifecycleGraph
{
    public static readonly GraphStyle Mermaid = new MermaidStyle();
    public static readonly GraphStyle Dot = new DotStyle();

    public static string Render<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext> lifecycle, GraphStyle style)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        var text = new StringBuilder();
        style.Begin(text, lifecycle.Name);
        style.Initial(text, lifecycle.InitialState.ToString());
        for (var i = 0; i < lifecycle.States.Length; i++)
        {
            style.State(text, lifecycle.States[i].ToString(), Describe(lifecycle.CapabilitiesOf(lifecycle.States[i])));
        }

        var edges = lifecycle.Transitions
            .GroupBy(t => (Source: t.Source.ToString(), Target: t.Kind == TransitionKind.Exit ? null : t.Target.ToString()))
            .Select(g => (g.Key.Source, g.Key.Target, Label: string.Join(", ", g.Select(Label))));
        foreach (var (source, target, label) in edges)
        {
            if (target is null)
            {
                style.Exit(text, source, label);
            }
            else
            {
                style.Edge(text, source, target, label);
            }
        }

        style.End(text);
        return text.ToString();
    }

    private static string Label<TState, TAction>(TransitionInfo<TState, TAction> transition)
        where TState : struct, Enum
        where TAction : struct, Enum
        => transition.Guards.IsEmpty
            ? transition.Action.ToString()
            : $"{transition.Action} [{string.Join(" and ", transition.Guards.Select(g => g.Description))}]";

    private static string Describe(StateCapabilities capabilities)
    {
        var parts = new List<string>();
        if (capabilities.HasFlag(StateCapabilities.IsEditable))
        {
            parts.Add("editable");
        }

        if (capabilities.HasFlag(StateCapabilities.AcceptsNewInstallations))
        {
            parts.Add("new installs");
        }

        if (capabilities.HasFlag(StateCapabilities.RunsExistingInstallations))
        {
            parts.Add("runs installs");
        }

        if (capabilities.HasFlag(StateCapabilities.CanBeMigrationTarget))
        {
            parts.Add("migration target");
        }

        if (capabilities.HasFlag(StateCapabilities.CanBeDeleted))
        {
            parts.Add("deletable");
        }

        return parts.Count == 0 ? "locked" : string.Join(", ", parts);
    }

    internal abstract class GraphStyle
    {
        public abstract void Begin(StringBuilder text, string title);

        public abstract void Initial(StringBuilder text, string state);

        public abstract void State(StringBuilder text, string state, string capabilities);

        public abstract void Edge(StringBuilder text, string source, string target, string label);

        public abstract void Exit(StringBuilder text, string source, string label);

        public abstract void End(StringBuilder text);
    }

    private sealed class MermaidStyle : GraphStyle
    {
        public override void Begin(StringBuilder text, string title) => text.Append("---\ntitle: ").Append(title).Append("\n---\nstateDiagram-v2\n");

        public override void Initial(StringBuilder text, string state) => text.Append("    [*] --> ").Append(state).Append('\n');

        public override void State(StringBuilder text, string state, string capabilities)
            => text.Append("    ").Append(state).Append(" : ").Append(state).Append(" (").Append(capabilities).Append(")\n");

        public override void Edge(StringBuilder text, string source, string target, string label)
            => text.Append("    ").Append(source).Append(" --> ").Append(target).Append(" : ").Append(label).Append('\n');

        public override void Exit(StringBuilder text, string source, string label)
            => text.Append("    ").Append(source).Append(" --> [*] : ").Append(label).Append('\n');

        public override void End(StringBuilder text)
        {
        }
    }

    private sealed class DotStyle : GraphStyle
    {
        public override void Begin(StringBuilder text, string title)
            => text.Append("digraph \"").Append(Escape(title)).Append("\" {\n    rankdir=LR;\n    node [shape=box, style=rounded];\n    \"[*]\" [shape=point];\n    \"[deleted]\" [shape=doublecircle, label=\"\", width=0.2];\n");

        public override void Initial(StringBuilder text, string state) => text.Append("    \"[*]\" -> \"").Append(state).Append("\";\n");

        public override void State(StringBuilder text, string state, string capabilities)
            => text.Append("    \"").Append(state).Append("\" [label=\"").Append(state).Append("\\n").Append(Escape(capabilities)).Append("\"];\n");

        public override void Edge(StringBuilder text, string source, string target, string label)
            => text.Append("    \"").Append(source).Append("\" -> \"").Append(target).Append("\" [label=\"").Append(Escape(label)).Append("\"];\n");

        public override void Exit(StringBuilder text, string source, string label)
            => text.Append("    \"").Append(source).Append("\" -> \"[deleted]\" [label=\"").Append(Escape(label)).Append("\"];\n");

        public override void End(StringBuilder text) => text.Append("}\n");

        private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
    }
}
