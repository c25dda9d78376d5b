using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;

namespace Versioning.Core.Tests.Architecture;

/// <summary>
/// A1: the namespaces of the core package form layers — each depends only on its own layer or lower ones, the two
/// lifecycles never on each other — and no namespace of any package takes part in a cycle; below the services the core
/// references no I/O type.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>The layers of the core package, bottom to top.</summary>
    private static readonly string[][] Layers =
    [
        ["Versioning.Core"],
        ["Versioning.Core.Lifecycles", "Versioning.Core.Content", "Versioning.Core.Auditing", "Versioning.Core.Events", "Versioning.Core.Diagnostics"],
        ["Versioning.Core.Aggregates", "Versioning.Core.Installations", "Versioning.Core.Templates", "Versioning.Core.Integrations"],
        ["Versioning.Core.Authorization", "Versioning.Core.Persistence"],
        ["Versioning.Core.Services"],
        ["Versioning.Core.DependencyInjection"],
    ];

    /// <summary>The lowest layer that may do I/O.</summary>
    private const int ServicesLayer = 4;

    /// <summary>Pairs in one layer that must not refer to each other at all (the two lifecycles).</summary>
    private static readonly (string From, string To)[] Separated =
    [
        ("Versioning.Core.Templates", "Versioning.Core.Integrations"),
        ("Versioning.Core.Integrations", "Versioning.Core.Templates"),
    ];

    /// <summary>I/O namespaces (prefixes) the core must not reference below the services, and the exceptions to them.</summary>
    private static readonly string[] IoNamespaces = ["System.IO", "System.Net", "System.Data", "Npgsql", "Microsoft.Data.Sqlite", "SQLitePCL"];
    private static readonly string[] NotIo = ["System.IO.Hashing"];

    private static readonly Assembly Core = typeof(VersionKey).Assembly;

    private static readonly Lazy<NamespaceGraph> Graph = new(() => NamespaceGraph.Read(OurAssemblies()));

    /// <summary>
    /// Every assembly of ours next to the tests: the packages (Versioning.Core*) and the command-line tool
    /// (versioning.dll), not the test assemblies.
    /// </summary>
    private static IEnumerable<string> OurAssemblies()
    {
        var paths = Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Where(p => Path.GetFileNameWithoutExtension(p) is var name
                && (name.StartsWith("Versioning.", StringComparison.Ordinal) || name == "versioning")
                && !name.EndsWith(".Tests", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var names = paths.Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Superset(
            new HashSet<string?>(["Versioning.Core", "Versioning.Core.Sqlite", "Versioning.Core.PostgreSql", "Versioning.Core.Testing", "Versioning.Core.Testing.Xunit", "versioning"]),
            new HashSet<string?>(names));
        return paths;
    }

    private static int LayerOf(string ns)
    {
        for (var i = 0; i < Layers.Length; i++)
        {
            if (Layers[i].Contains(ns, StringComparer.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    [Fact]
    public void LayerMap_NamesEveryNamespaceOfTheCore_A1()
    {
        var declared = Core.GetTypes().Select(t => t.Namespace).OfType<string>().Where(ns => ns.StartsWith("Versioning.", StringComparison.Ordinal)).Distinct();
        var unplaced = declared.Where(ns => LayerOf(ns) < 0).Order(StringComparer.Ordinal).ToList();
        Assert.True(unplaced.Count == 0, $"A1: namespaces of Versioning.Core without a layer (add them to the layer map and to the architecture section of docs/design.md): {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void CoreNamespaces_DependOnlyOnTheirLayerOrLower_A1()
    {
        var problems = new List<string>();
        foreach (var ns in Layers.SelectMany(l => l))
        {
            var layer = LayerOf(ns);
            var forbidden = Layers.Skip(layer + 1).SelectMany(l => l)
                .Concat(Separated.Where(p => p.From == ns).Select(p => p.To))
                .ToArray();
            if (forbidden.Length == 0)
            {
                continue;
            }

            // NetArchTest: the types of the namespace (an exact match, not its children).
            var result = Types.InAssembly(Core).That().ResideInNamespaceMatching("^" + Regex.Escape(ns) + "$")
                .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
            if (!result.IsSuccessful)
            {
                problems.Add($"{ns} (layer {layer + 1}) depends on a higher layer or the other lifecycle: {string.Join(", ", result.FailingTypeNames ?? [])}");
            }

            // The graph also counts nested and compiler-generated types (lambdas, iterators, async state machines).
            foreach (var target in Graph.Value.OwnTargets(ns).Where(forbidden.Contains))
            {
                problems.Add($"{ns} (layer {layer + 1}) → {target} (layer {LayerOf(target) + 1}), e.g. {Graph.Value.Edges[ns][target]}");
            }
        }

        Assert.True(problems.Count == 0, "A1: layering broken:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Namespaces_FormNoCycle_InAnyAssembly_A1()
    {
        var graph = Graph.Value;
        var cycles = NamespaceGraph.FindCycles(graph.OwnGraph());
        Assert.True(cycles.Count == 0,
            "A1: namespace cycles:" + Environment.NewLine
            + string.Join(Environment.NewLine, cycles.Select(c => string.Join(" → ", c) + Environment.NewLine + graph.Describe(c))));
    }

    [Fact]
    public void CoreBelowServices_ReferencesNoIoType_A1()
    {
        var graph = Graph.Value;
        var problems = new List<string>();
        foreach (var ns in Layers.Take(ServicesLayer).SelectMany(l => l))
        {
            if (!graph.Edges.TryGetValue(ns, out var targets))
            {
                continue;
            }

            foreach (var (target, example) in targets)
            {
                if (IoNamespaces.Any(io => Within(target, io)) && !NotIo.Any(ok => Within(target, ok)))
                {
                    problems.Add($"{ns} → {target}, e.g. {example}");
                }
            }
        }

        Assert.True(problems.Count == 0, "A1: I/O below the services:" + Environment.NewLine + string.Join(Environment.NewLine, problems));

        static bool Within(string ns, string prefix) => ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_SeesSignaturesBodiesAttributesAndNestedTypes_A1()
    {
        var graph = Graph.Value;
        Assert.Superset(new SortedSet<string>(Layers.SelectMany(l => l), StringComparer.Ordinal), graph.Declared);
        Assert.Contains("Versioning.Cli", graph.Declared);

        // A signature: the services take and return aggregates.
        Assert.Contains("Versioning.Core.Templates", graph.OwnTargets("Versioning.Core.Services"));

        // An attribute: [JsonConverter(typeof(...))] on the kernel's value types.
        Assert.Contains("System.Text.Json.Serialization", graph.Edges["Versioning.Core"].Keys);

        // A method body of a compiler-generated type: the async state machines of the in-memory stores.
        Assert.Contains("System.Threading.Tasks", graph.Edges["Versioning.Core.Persistence"].Keys);

        // Outside the core: the SQLite store refers to the core's persistence contracts and to SQLite.
        Assert.Contains("Versioning.Core.Persistence", graph.OwnTargets("Versioning.Core.Sqlite"));
        Assert.Contains("Microsoft.Data.Sqlite", graph.Edges["Versioning.Core.Sqlite"].Keys);
    }

    [Fact]
    public void CycleFinder_ReportsEachCycleWithItsPath_A1()
    {
        var graph = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)
        {
            ["Kernel"] = [],
            ["Engine"] = ["Kernel"],
            ["Aggregates"] = ["Engine", "Kernel"],
            ["Persistence"] = ["Aggregates", "Services"],
            ["Services"] = ["Persistence", "Aggregates"],
            ["Loop"] = ["Loop"], // a namespace referring to itself is no cycle
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A", "Kernel"],
        };

        var cycles = NamespaceGraph.FindCycles(graph);

        Assert.Equal(2, cycles.Count);
        Assert.Contains(cycles, c => c.SequenceEqual(["A", "B", "C", "A"]));
        Assert.Contains(cycles, c => c.SequenceEqual(["Persistence", "Services", "Persistence"]));
    }

    [Fact]
    public void CycleFinder_FindsNoCycleInALayeredGraph_A1()
    {
        var graph = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)
        {
            ["Kernel"] = [],
            ["Engine"] = ["Kernel"],
            ["Aggregates"] = ["Engine", "Kernel"],
            ["Persistence"] = ["Aggregates", "Kernel", "Outside"],
            ["Services"] = ["Persistence", "Aggregates", "Engine"],
        };

        Assert.Empty(NamespaceGraph.FindCycles(graph));
    }
}
