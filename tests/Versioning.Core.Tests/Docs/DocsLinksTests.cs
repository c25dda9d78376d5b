using System.Text;
using System.Text.RegularExpressions;

namespace Versioning.Core.Tests.Docs;

/// <summary>
/// The documentation stands alone: every relative link of README.md, CHANGELOG.md, docs/ and the package READMEs
/// resolves inside the repository (file and heading), package READMEs (shown on NuGet, away from the repository) have no
/// relative links and no commands that only work in a clone, and no file of the repository names the design notes,
/// style notes or source documents the product was built from instead of its own docs/design.md.
/// </summary>
public partial class DocsLinksTests
{
    private static readonly string[] SkippedFolders = ["bin", "obj", ".git", "TestResults", "BenchmarkDotNet.Artifacts", ".vs", ".idea"];

    [Fact]
    public void Docs_EveryRelativeLinkResolvesToAFileAndHeadingInTheRepository()
    {
        var problems = new List<string>();
        foreach (var file in DocumentationFiles())
        {
            foreach (var (target, line) in Links(File.ReadAllText(file)))
            {
                if (IsExternal(target))
                {
                    continue;
                }

                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var pathPart = Uri.UnescapeDataString(hash >= 0 ? target[..hash] : target);
                var anchor = hash >= 0 ? target[(hash + 1)..] : null;
                var resolved = pathPart.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, pathPart));
                var where = $"{Relative(file)}:{line}: ({target})";
                if (!resolved.StartsWith(RepositoryRoot.Path + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    problems.Add($"{where} points outside the repository");
                }
                else if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    problems.Add($"{where} does not exist");
                }
                else if (anchor is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.Ordinal) && !HeadingAnchors(File.ReadAllText(resolved)).Contains(anchor))
                {
                    problems.Add($"{where} has no heading #{anchor}");
                }
            }
        }

        Assert.True(problems.Count == 0, "dangling links:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void PackageReadmes_EveryPackageHasOneWithoutRepositoryRelativeLinksOrCloneOnlyCommands()
    {
        var problems = new List<string>();
        var projects = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.csproj", SearchOption.AllDirectories);
        Assert.NotEmpty(projects);
        foreach (var project in projects)
        {
            var readme = Path.Combine(Path.GetDirectoryName(project)!, "README.md");
            if (!File.Exists(readme))
            {
                problems.Add($"{Relative(project)}: no README.md beside it");
                continue;
            }

            if (!File.ReadAllText(project).Contains("<None Include=\"README.md\" Pack=\"true\" PackagePath=\"/\"", StringComparison.Ordinal))
            {
                problems.Add($"{Relative(project)}: does not pack its own README.md");
            }

            var text = File.ReadAllText(readme);
            problems.AddRange(Links(text).Where(l => !IsExternal(l.Target)).Select(l => $"{Relative(readme)}:{l.Line}: relative link ({l.Target}) does not work on NuGet"));
            if (text.Contains("--project src/", StringComparison.Ordinal) || text.Contains("--project benchmarks/", StringComparison.Ordinal))
            {
                problems.Add($"{Relative(readme)}: a command that only works in a clone of the repository");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Repository_NoFileNamesTheBuildNotesOrTheSourceDocumentsFiles()
    {
        // Escaped, so this file does not match itself.
        var forbidden = new Regex(@"DESIGN\.md|STYLE\.md|\bshared[/]|000_ebfd314[7]|004_615713b[6]", RegexOptions.CultureInvariant);
        var hits = new List<string>();
        foreach (var file in RepositoryFiles())
        {
            var bytes = File.ReadAllBytes(file);
            if (bytes.Length > 4_000_000 || Array.IndexOf(bytes, (byte)0) >= 0)
            {
                continue;
            }

            var lines = Encoding.UTF8.GetString(bytes).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (forbidden.IsMatch(lines[i]))
                {
                    hits.Add($"{Relative(file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(hits.Count == 0, "files refer to documents outside the repository (the design lives in docs/design.md):\n" + string.Join("\n", hits));
    }

    [Fact]
    public void HeadingAnchors_FollowGitHubsSlugs()
    {
        var anchors = HeadingAnchors("# Design\n## Performance targets\n### Limits on input (X6)\n```\n# not a heading\n```\n## Round of 2026-11-28: commands\n## Design\n");
        Assert.Equal(["design", "performance-targets", "limits-on-input-x6", "round-of-2026-11-28-commands", "design-1"], anchors);
    }

    [Fact]
    public void Links_IgnoreCodeAndFindInlineLinks()
    {
        var links = Links("see [a](a.md) and [b](b.md#x)\n```\n[c](c.md)\n```\n`[d](d.md)` ![img](i.png)\n").Select(l => l.Target);
        Assert.Equal(["a.md", "b.md#x", "i.png"], links);
    }

    private static IEnumerable<string> DocumentationFiles()
    {
        var root = RepositoryRoot.Path;
        var docs = Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories);
        var readmes = Directory.GetFiles(Path.Combine(root, "src"), "README.md", SearchOption.AllDirectories);
        return new[] { Path.Combine(root, "README.md"), Path.Combine(root, "CHANGELOG.md") }.Concat(docs).Concat(readmes).Where(f => !IsSkipped(f));
    }

    private static IEnumerable<string> RepositoryFiles()
        => Directory.EnumerateFiles(RepositoryRoot.Path, "*", SearchOption.AllDirectories).Where(f => !IsSkipped(f));

    private static bool IsSkipped(string path)
        => Path.GetRelativePath(RepositoryRoot.Path, path).Split(Path.DirectorySeparatorChar).SkipLast(1).Any(SkippedFolders.Contains);

    private static bool IsExternal(string target)
        => target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);

    private static string Relative(string path) => Path.GetRelativePath(RepositoryRoot.Path, path);

    /// <summary>Inline links and images outside fenced code blocks and code spans, with their line numbers.</summary>
    internal static List<(string Target, int Line)> Links(string markdown)
    {
        var result = new List<(string, int)>();
        var fenced = false;
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (!fenced)
            {
                var text = CodeSpan().Replace(lines[i], string.Empty);
                result.AddRange(Link().Matches(text).Select(m => (m.Groups[1].Value, i + 1)));
            }
        }

        return result;
    }

    /// <summary>The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    internal static List<string> HeadingAnchors(string markdown)
    {
        var result = new List<string>();
        var fenced = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            var heading = Heading().Match(line);
            if (fenced || !heading.Success)
            {
                continue;
            }

            var text = heading.Groups[1].Value.Trim().Replace("`", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
            var slug = new string(text.Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');
            var unique = slug;
            for (var n = 1; result.Contains(unique); n++)
            {
                unique = $"{slug}-{n}";
            }

            result.Add(unique);
        }

        return result;
    }

    [GeneratedRegex(@"!?\[[^\]]*\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex Heading();
}
