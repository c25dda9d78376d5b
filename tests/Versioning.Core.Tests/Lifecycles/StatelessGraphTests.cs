using System.Text.RegularExpressions;
using Stateless.Graph;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Templates;

namespace Versioning.Core.Tests.Lifecycles;

/// <summary>
/// S3: Stateless's own graph exports (<see cref="MermaidGraph"/>, <see cref="UmlDotGraph"/>) of a lifecycle's machine
/// and the lifecycle's exports (<c>ToMermaid</c>, <c>ToDot</c>) list the same initial state, states and edges, each
/// edge with its guards. Both sides are parsed into sets; by the exit convention an exit edge of ours
/// (<c>--&gt; [*]</c>, <c>-&gt; "[deleted]"</c>) is an internal self-loop in Stateless's.
/// </summary>
public partial class StatelessGraphTests
{
    [Fact]
    public void MermaidExports_OfEveryLifecycle_ListTheSameStatesAndEdges_S3()
    {
        AgreeOnMermaid(ReleaseLifecycle.Definition);
        AgreeOnMermaid(VersionLifecycle.Definition);
        AgreeOnMermaid(MigrationLifecycle.Definition);
        AgreeOnMermaid(ReviewLifecycle.Definition);
    }

    [Fact]
    public void DotExports_OfEveryLifecycle_ListTheSameStatesAndEdges_S3()
    {
        AgreeOnDot(ReleaseLifecycle.Definition);
        AgreeOnDot(VersionLifecycle.Definition);
        AgreeOnDot(MigrationLifecycle.Definition);
        AgreeOnDot(ReviewLifecycle.Definition);
    }

    [Fact]
    public void GraphParser_SeesAMissingGuard_S3()
    {
        // The comparison can fail: the same edge without its guard is a different edge.
        var ours = ParseOurMermaid("    Draft --> [*] : Delete [no installations pinned]\n");
        var theirs = ParseStatelessMermaid("\tDraft --> Draft : Delete\n");
        Assert.NotEqual(ours.Edges, theirs.Edges);
        Assert.Equal(ours.Edges, ParseStatelessMermaid("\tDraft --> Draft : Delete [T10: no installations pinned]\n").Edges);
    }

    private static void AgreeOnMermaid<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext> lifecycle)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        var ours = ParseOurMermaid(lifecycle.ToMermaid());
        var theirs = ParseStatelessMermaid(MermaidGraph.Format(MachineOf(lifecycle).GetInfo()));

        Assert.Equal(lifecycle.InitialState.ToString(), ours.Initial);
        Assert.Equal(ours.Initial, theirs.Initial);
        SameEdges(ours, theirs);

        // Stateless's Mermaid names a state only in an edge; ours lists every state, and every one has an edge here.
        Assert.Equal(Sorted(ours.States), Sorted(theirs.Edges.SelectMany(e => new[] { e.Source, e.Target }).Append(theirs.Initial!).ToHashSet()));
        Assert.Equal(lifecycle.Transitions.Length, ours.Edges.Count);
    }

    private static void AgreeOnDot<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext> lifecycle)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        var ours = ParseDot(lifecycle.ToDot(), statelessStyle: false);
        var theirs = ParseDot(UmlDotGraph.Format(MachineOf(lifecycle).GetInfo()), statelessStyle: true);

        Assert.Equal(lifecycle.InitialState.ToString(), ours.Initial);
        Assert.Equal(ours.Initial, theirs.Initial);
        Assert.Equal(Sorted(lifecycle.States.Select(s => s.ToString())), Sorted(ours.States));
        Assert.Equal(Sorted(ours.States), Sorted(theirs.States));
        SameEdges(ours, theirs);
        Assert.Equal(lifecycle.Transitions.Length, ours.Edges.Count);
    }

    private static Stateless.StateMachine<TState, TAction> MachineOf<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext> lifecycle)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        var state = lifecycle.InitialState;
        return lifecycle.ToStateMachine(() => state, s => state = s, () => default!);
    }

    private static Graph ParseOurMermaid(string text)
    {
        var graph = new Graph();
        foreach (var line in text.Split('\n'))
        {
            if (OurMermaidInitial().Match(line) is { Success: true } initial)
            {
                graph.Initial = initial.Groups[1].Value;
            }
            else if (OurMermaidState().Match(line) is { Success: true } state)
            {
                graph.States.Add(state.Groups[1].Value);
            }
            else if (MermaidEdge().Match(line) is { Success: true } edge)
            {
                AddOurEdges(graph, edge.Groups[1].Value, edge.Groups[2].Value, edge.Groups[3].Value, "[*]");
            }
        }

        return graph;
    }

    private static Graph ParseStatelessMermaid(string text)
    {
        var graph = new Graph();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (StatelessMermaidInitial().Match(trimmed) is { Success: true } initial)
            {
                graph.Initial = initial.Groups[1].Value;
            }
            else if (MermaidEdge().Match(trimmed) is { Success: true } edge)
            {
                graph.Edges.Add(StatelessEdge(edge.Groups[1].Value, edge.Groups[2].Value, edge.Groups[3].Value));
            }
        }

        return graph;
    }

    private static Graph ParseDot(string text, bool statelessStyle)
    {
        var graph = new Graph();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (DotInitial().Match(trimmed) is { Success: true } initial)
            {
                graph.Initial = initial.Groups[1].Value;
            }
            else if (DotEdge().Match(trimmed) is { Success: true } edge)
            {
                var label = Unescape(DotLabel().Match(edge.Groups[3].Value).Groups[1].Value);
                if (statelessStyle)
                {
                    graph.Edges.Add(StatelessEdge(edge.Groups[1].Value, edge.Groups[2].Value, label));
                }
                else
                {
                    AddOurEdges(graph, edge.Groups[1].Value, edge.Groups[2].Value, label, "[deleted]");
                }
            }
            else if (DotState().Match(trimmed) is { Success: true } state && !state.Groups[1].Value.StartsWith('['))
            {
                graph.States.Add(state.Groups[1].Value);
            }
        }

        return graph;
    }

    /// <summary>Our label lists the actions sharing the edge, each with its guards: <c>A, B [x and y]</c>.</summary>
    private static void AddOurEdges(Graph graph, string source, string target, string label, string exitNode)
    {
        var resolvedTarget = target == exitNode ? source : target;
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= label.Length; i++)
        {
            if (i == label.Length || (depth == 0 && label[i] == ',' && i + 1 < label.Length && label[i + 1] == ' '))
            {
                var item = label[start..i];
                var bracket = item.IndexOf(" [", StringComparison.Ordinal);
                graph.Edges.Add(bracket < 0
                    ? new Edge(source, item, resolvedTarget, string.Empty)
                    : new Edge(source, item[..bracket], resolvedTarget, item[(bracket + 2)..^1]));
                start = i + 2;
                continue;
            }

            depth += label[i] switch { '[' => 1, ']' => -1, _ => 0 };
        }
    }

    /// <summary>
    /// Stateless's label is one trigger and a bracket per guard: <c>A [R1: x] [R2: y]</c>; rule IDs are dropped to compare.
    /// Stateless draws an unguarded internal transition with its always-true guard's default description
    /// (<see cref="Stateless.Reflection.InvocationInfo.DefaultFunctionDescription"/>, "Function"): that is no guard.
    /// </summary>
    private static Edge StatelessEdge(string source, string target, string label)
    {
        var bracket = label.IndexOf(" [", StringComparison.Ordinal);
        if (bracket < 0)
        {
            return new Edge(source, label, target, string.Empty);
        }

        var guards = GuardBracket().Matches(label[bracket..])
            .Select(m => m.Groups[1].Value)
            .Where(g => g != Stateless.Reflection.InvocationInfo.DefaultFunctionDescription)
            .Select(g => RuleIdPrefix().Replace(g, "$1"));
        return new Edge(source, label[..bracket], target, string.Join(" and ", guards));
    }

    private static void SameEdges(Graph ours, Graph theirs)
    {
        Assert.Empty(Sorted(ours.Edges.Except(theirs.Edges)));
        Assert.Empty(Sorted(theirs.Edges.Except(ours.Edges)));
    }

    private static string Unescape(string label) => label.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    private static List<string> Sorted(IEnumerable<string> items) => [.. items.Order(StringComparer.Ordinal)];

    private static List<string> Sorted(IEnumerable<Edge> edges) => Sorted(edges.Select(e => e.ToString()));

    [GeneratedRegex(@"^\s*\[\*\] --> (\S+)\s*$")]
    private static partial Regex OurMermaidInitial();

    [GeneratedRegex(@"^\[\*\] --> (\S+)$")]
    private static partial Regex StatelessMermaidInitial();

    [GeneratedRegex(@"^\s+(\w+) : \1 \(")]
    private static partial Regex OurMermaidState();

    [GeneratedRegex(@"^\s+(\w+) --> (\S+) : (.*)$")]
    private static partial Regex MermaidEdge();

    [GeneratedRegex(@"^\s*(?:""\[\*\]""|init) -> ""([^""]+)""")]
    private static partial Regex DotInitial();

    [GeneratedRegex(@"^\s*""([^""]+)"" -> ""([^""]+)"" \[(.*)\];$")]
    private static partial Regex DotEdge();

    [GeneratedRegex(@"label=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex DotLabel();

    [GeneratedRegex(@"^\s*""([^""]+)"" \[")]
    private static partial Regex DotState();

    [GeneratedRegex(@"\[([^\]]*)\]")]
    private static partial Regex GuardBracket();

    [GeneratedRegex(@"(^| and )[A-Z]+[0-9]+: ")]
    private static partial Regex RuleIdPrefix();

    private sealed record Edge(string Source, string Action, string Target, string Guards);

    private sealed class Graph
    {
        public string? Initial { get; set; }

        public HashSet<string> States { get; } = [];

        public HashSet<Edge> Edges { get; } = [];
    }
}
