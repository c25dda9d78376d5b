using System.Text;

namespace Versioning.Core.Lifecycles;

/// <summary>
/// Renders a lifecycle's introspection data as a diagram. One walk over states and edges, written by a
/// <see cref="LifecycleGraphStyle"/> (Mermaid, DOT, or one of the caller's), so every export shows the same graph. Actions sharing a source and target are
/// drawn as one edge whose label lists them; a guarded action shows its guard in brackets.
/// </summary>
internal static class LifecycleGraph
{
    public static string Render<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext> lifecycle, LifecycleGraphStyle style)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        var text = new StringBuilder();
        style.Begin(text, lifecycle.Name);
        style.Initial(text, lifecycle.InitialState.ToString());
        foreach (var state in lifecycle.StateInfos)
        {
            style.State(text, new LifecycleGraphState(state.State.ToString(), state.Description, state.IsInitial, state.IsFinal), Describe(state.Capabilities));
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
}
