using System.Text.RegularExpressions;

namespace Versioning.Core.Tests.Docs;

/// <summary>
/// S5: the P1 benchmark class measures Stateless beside the engine and the hand-written table, so every run has all
/// three in the same process, and docs/benchmarks.md shows the rows of such a run.
/// </summary>
public partial class BenchmarkDocTests
{
    [Fact]
    public void LifecycleBenchmarks_HaveStatelessRowsBesideTheEngineAndTheHandWrittenTable_S5()
    {
        var source = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "benchmarks", "Versioning.Core.Benchmarks", "LifecycleEngineBenchmarks.cs"));
        var byCategory = BenchmarkMethod().Matches(source)
            .GroupBy(m => m.Groups[1].Value, m => m.Groups[2].Value)
            .ToDictionary(g => g.Key, g => g.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        foreach (var lifecycle in new[] { "Release", "Version" })
        {
            foreach (var query in new[] { "CanApply", "PermittedActions", "Fire" })
            {
                Assert.True(byCategory.TryGetValue($"{lifecycle} {query}", out var methods), $"no '{lifecycle} {query}' category");
                Assert.Superset(new HashSet<string>([$"{lifecycle}_{query}_HandWritten", $"{lifecycle}_{query}_Engine", $"{lifecycle}_{query}_Stateless"]), methods);
            }

            Assert.Contains($"{lifecycle}_Configure_Stateless", byCategory[$"{lifecycle} Configure"]);
            Assert.Superset(new HashSet<string>([$"{lifecycle}_Graph_Engine", $"{lifecycle}_Graph_Stateless"]), byCategory[$"{lifecycle} Graph"]);
        }

        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "benchmarks.md"));
        foreach (var row in new[] { "Release_CanApply_Stateless", "Version_CanApply_Stateless", "Release_Fire_Stateless", "Version_Fire_Stateless", "Release_Configure_Stateless", "Version_Graph_Stateless" })
        {
            Assert.Contains($"| {row} ", doc, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"\[BenchmarkCategory\(""([^""]+)""\)\]\s*public [\w<>, ]+ (\w+)\(")]
    private static partial Regex BenchmarkMethod();
}
