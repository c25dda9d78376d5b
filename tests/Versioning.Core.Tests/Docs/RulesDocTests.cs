using System.Text.RegularExpressions;

namespace Versioning.Core.Tests.Docs;

/// <summary>
/// docs/rules.md lists, for every rule, the tests named after it. This test fails when a listed test does not exist
/// or a test named after a rule is missing from its row; UPDATE_DOCS=1 rewrites the Tests column.
/// </summary>
public partial class RulesDocTests
{
    private static readonly string[] RuleIds =
    [
        .. Enumerable.Range(1, 16).Select(i => $"T{i}"), .. Enumerable.Range(1, 17).Select(i => $"Z{i}"), .. Enumerable.Range(1, 3).Select(i => $"I{i}"),
        .. Enumerable.Range(1, 5).Select(i => $"M{i}"), .. Enumerable.Range(1, 12).Select(i => $"X{i}"),
        .. Enumerable.Range(1, 5).Select(i => $"S{i}"),
        "J1", "A1", "A2", "A3", "A4", "A5",
        .. Enumerable.Range(1, 6).Select(i => $"K{i}"),
        .. Enumerable.Range(1, 6).Select(i => $"H{i}"),
    ];

    [Fact]
    public void RulesDoc_ListsEveryRuleWithExactlyTheTestsNamedAfterIt()
    {
        var path = Path.Combine(RepositoryRoot.Path, "docs", "rules.md");
        var testNames = TestMethodNames();
        var lines = File.ReadAllLines(path).ToList();
        var problems = new List<string>();
        foreach (var id in RuleIds)
        {
            var index = lines.FindIndex(l => l.StartsWith($"| {id} |", StringComparison.Ordinal));
            if (index < 0)
            {
                problems.Add($"{id}: no row");
                continue;
            }

            var expected = testNames.Where(n => Regex.IsMatch(n, $"(^|_){id}($|_)")).Order(StringComparer.Ordinal).ToList();
            if (expected.Count == 0)
            {
                problems.Add($"{id}: no test is named after it");
            }

            var cells = lines[index].Split(" | ");
            var listed = Backticked().Matches(cells[^1]).Select(m => m.Groups[1].Value).ToList();
            if (!listed.SequenceEqual(expected))
            {
                problems.Add($"{id}: listed [{string.Join(", ", listed.Except(expected))}] not found; missing [{string.Join(", ", expected.Except(listed))}]");
                lines[index] = string.Join(" | ", cells[..^1]) + " | " + string.Join(", ", expected.Select(n => $"`{n}`")) + " |";
            }
        }

        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllLines(path, lines);
            return;
        }

        Assert.True(problems.Count == 0, "docs/rules.md is out of date (UPDATE_DOCS=1 rewrites the Tests column):\n" + string.Join("\n", problems));
    }

    private static HashSet<string> TestMethodNames()
    {
        var roots = new[] { Path.Combine(RepositoryRoot.Path, "tests"), Path.Combine(RepositoryRoot.Path, "src", "Versioning.Core.Testing"), Path.Combine(RepositoryRoot.Path, "src", "Versioning.Core.Testing.Xunit") };
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in roots.SelectMany(r => Directory.EnumerateFiles(r, "*.cs", SearchOption.AllDirectories)))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match m in TestMethod().Matches(File.ReadAllText(file)))
            {
                names.Add(m.Groups[1].Value);
            }
        }

        return names;
    }

    // Facts return void or Task (the conformance kit's are virtual); FsCheck properties may also return bool or Property (or a Task of either).
    [GeneratedRegex(@"public (?:virtual |override )?(?:async )?(?:Task|void|bool|Property|Task<bool>|Task<Property>) (\w+)\(")]
    private static partial Regex TestMethod();

    [GeneratedRegex("`([A-Za-z0-9_]+)`")]
    private static partial Regex Backticked();
}
