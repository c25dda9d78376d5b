using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Versioning.Core.Packaging.Tests;

/// <summary>
/// Packs every package into a temporary folder feed once (<see cref="PackedPackages"/>, as a CI build with CI=true),
/// then checks each package's metadata and contents, builds docs/getting-started.md as a new user would — its own
/// <c>dotnet new</c> and <c>dotnet add package</c> commands, its C# blocks as Program.cs — builds the other documents'
/// code against all the packages, and installs and runs the <c>versioning</c> tool from the feed.
/// </summary>
public sealed partial class PackagesTests(PackedPackages packed) : IClassFixture<PackedPackages>
{
    /// <summary>The tool package's size limit: what a .NET tool on Linux, macOS and Windows (x64, arm64) needs.</summary>
    private const long ToolPackageLimit = 15L * 1024 * 1024;

    [Fact]
    public void Packages_EachHasItsMetadataOwnReadmeReleaseNotesRepositoryAndSymbols()
    {
        var changelog = File.ReadAllText(Path.Combine(packed.Root, "CHANGELOG.md")).ReplaceLineEndings("\n");
        var unreleased = Regex.Match(changelog, @"(?ms)(?<=^## \[Unreleased\][^\n]*\n).*?(?=^## \[|\z)").Value.Trim();
        Assert.NotEmpty(unreleased);
        var head = Git("rev-parse HEAD");
        foreach (var id in PackedPackages.Ids)
        {
            using var zip = ZipFile.OpenRead(packed.Package(id));
            var metadata = Metadata(zip);
            string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            Assert.Equal(id, Value("id"));
            Assert.False(string.IsNullOrWhiteSpace(Value("description")), $"{id} has no description");
            Assert.False(string.IsNullOrWhiteSpace(Value("authors")), $"{id} has no authors");
            Assert.Equal("MIT", Value("license"));
            Assert.Equal("README.md", Value("readme"));

            // Its own README (written for NuGet), not the repository's front page.
            using (var reader = new StreamReader(zip.GetEntry("README.md")!.Open()))
            {
                var readme = reader.ReadToEnd().ReplaceLineEndings("\n");
                Assert.Equal(File.ReadAllText(Path.Combine(packed.Root, "src", id, "README.md")).ReplaceLineEndings("\n"), readme);
                Assert.NotEqual(File.ReadAllText(Path.Combine(packed.Root, "README.md")).ReplaceLineEndings("\n"), readme);
            }

            // Release notes: the [Unreleased] section of CHANGELOG.md (this run's version has no section of its own).
            Assert.Equal(unreleased, Value("releaseNotes")?.ReplaceLineEndings("\n").Trim());

            // Repository: SourceLink records the commit built; no URL is invented (there is no git remote here), and a
            // URL, when a release build sets one, is an absolute https URL shared by every package.
            var repository = metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository");
            Assert.True(repository is not null, $"{id} has no repository element");
            Assert.Equal("git", repository.Attribute("type")?.Value);
            if (head is not null)
            {
                Assert.Equal(head, repository.Attribute("commit")?.Value);
            }

            // A clone whose origin is a local folder (as CI's is) gets no URL: the SDK only writes hosted remotes.
            var url = repository.Attribute("url")?.Value;
            Assert.True(string.IsNullOrEmpty(url) || url.StartsWith("https://", StringComparison.Ordinal), $"{id}: repository url '{url}'");
            if (Value("projectUrl") is { } projectUrl)
            {
                Assert.StartsWith("https://", projectUrl, StringComparison.Ordinal);
            }

            if (id != "Versioning.Cli")
            {
                Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{id}.dll");
                Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{id}.xml");
            }

            Assert.True(File.Exists(packed.Package(id).Replace(".nupkg", ".snupkg", StringComparison.Ordinal)), $"{id} has no symbol package");
        }
    }

    [Fact]
    public void SymbolPackages_CiBuild_MapsEverySourcePathToTheDeterministicRoot()
    {
        using var zip = ZipFile.OpenRead(packed.Package("Versioning.Core").Replace(".nupkg", ".snupkg", StringComparison.Ordinal));
        var pdb = zip.Entries.Single(e => e.FullName == "lib/net10.0/Versioning.Core.pdb");
        using var stream = new MemoryStream();
        using (var entry = pdb.Open())
        {
            entry.CopyTo(stream);
        }

        stream.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        var reader = provider.GetMetadataReader();
        var documents = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
        Assert.Contains(documents, d => d.EndsWith("VersioningRuleException.cs", StringComparison.Ordinal));
        Assert.All(documents, d => Assert.StartsWith("/_/", d, StringComparison.Ordinal));
    }

    [Fact]
    public void ToolPackage_UnderFifteenMegabytesWithNativeSqliteForDesktopPlatformsOnly_InstallsAndRunsTheDemo()
    {
        var package = packed.Package("Versioning.Cli");
        var size = new FileInfo(package).Length;
        Assert.True(size < ToolPackageLimit, $"Versioning.Cli is {size / 1024.0 / 1024.0:F1} MB, over {ToolPackageLimit / 1024 / 1024} MB");
        using (var zip = ZipFile.OpenRead(package))
        {
            var runtimes = zip.Entries.Select(e => Regex.Match(e.FullName, "^tools/net10.0/any/runtimes/([^/]+)/")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
            Assert.Equal(
                new[] { "linux-arm64", "linux-musl-arm64", "linux-musl-x64", "linux-x64", "osx-arm64", "osx-x64", "win-arm64", "win-x64" },
                runtimes.Order(StringComparer.Ordinal));
        }

        var tools = Path.Combine(packed.Work, "tools");
        PackedPackages.Run("dotnet", $"tool install Versioning.Cli --tool-path \"{tools}\" --add-source \"{packed.Feed}\" --version {packed.Version}", packed.Work);
        var versioning = Path.Combine(tools, OperatingSystem.IsWindows() ? "versioning.exe" : "versioning");
        var output = PackedPackages.Run(versioning, "demo --installations 200", packed.Work);
        Assert.Contains("refused (T3)", output);
        Assert.Contains("refused (Z8)", output);
    }

    [Fact]
    public void GettingStarted_ConsoleAppFromItsOwnCommandsAndCode_BuildsAndRunsOnThePackedPackages()
    {
        var page = File.ReadAllText(Path.Combine(packed.Root, "docs", "getting-started.md")).ReplaceLineEndings("\n");
        var commands = FencedBlocks(page, "bash").SelectMany(b => b.Split('\n')).SelectMany(l => l.Split("&&")).Select(c => c.Trim()).Where(c => c.StartsWith("dotnet ", StringComparison.Ordinal)).ToList();
        var create = Assert.Single(commands, c => c.StartsWith("dotnet new console", StringComparison.Ordinal));
        var projectName = Regex.Match(create, @"-o (\S+)").Groups[1].Value;
        Assert.NotEmpty(projectName);
        var packages = commands.Where(c => c.StartsWith("dotnet add package ", StringComparison.Ordinal)).Select(c => c["dotnet add package ".Length..].Trim()).ToList();
        Assert.Contains("Versioning.Core", packages);
        Assert.Contains("Microsoft.Extensions.DependencyInjection", packages);
        Assert.All(packages, p => Assert.Matches(@"^[A-Za-z0-9.]+$", p));

        var work = Path.Combine(packed.Work, "getting-started");
        Directory.CreateDirectory(work);
        packed.WriteNuGetConfig(work);
        PackedPackages.Run("dotnet", create[("dotnet ".Length)..], work);
        var project = Path.Combine(work, projectName);
        foreach (var id in packages)
        {
            // The packages of this repository exist only in the feed, at this run's (pre-release) version.
            var version = PackedPackages.Ids.Contains(id) ? $" --version {packed.Version}" : string.Empty;
            PackedPackages.Run("dotnet", $"add package {id}{version}", project);
        }

        // The project references exactly the packages the page lists, nothing else.
        var references = XDocument.Load(Directory.GetFiles(project, "*.csproj").Single()).Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value);
        Assert.Equal(packages.Order(StringComparer.Ordinal), references.Order(StringComparer.Ordinal));

        // The page's C# blocks, in order, are the program; a later step's using directives go to the top, as C# wants.
        var lines = FencedBlocks(page, "csharp").SelectMany(b => b.Split('\n')).ToList();
        File.WriteAllText(Path.Combine(project, "Program.cs"), string.Join("\n", lines.Where(IsUsing).Distinct().Concat(lines.Where(l => !IsUsing(l)))));
        var output = PackedPackages.Run("dotnet", "run -c Release -p:TreatWarningsAsErrors=true", project);
        Assert.Contains("refused (T3)", output);
        Assert.Contains("versions round-trip through JSON", output);
        Assert.Contains("getting-started: done", output);
    }

    [Fact]
    public void OtherDocuments_CodeBlocksCompileAgainstThePackedPackages_AndTheReadmeQuickStartRuns()
    {
        var consumer = ConsumerProject("documents", "Versioning.Core", "Versioning.Core.Sqlite", "Versioning.Core.PostgreSql", "Versioning.Core.Testing", "Versioning.Core.Testing.Xunit", "Versioning.Core.Hosting",
            "Microsoft.Extensions.DependencyInjection 10.0.0", "Microsoft.Extensions.Hosting 10.0.0", "Microsoft.Extensions.Diagnostics.HealthChecks 10.0.0");

        // Each document's statement blocks, in order, form the body of one local function, so documents may reuse names;
        // blocks declaring a namespace become files of their own. Documents marked "run" are executed, the others only compiled.
        var documents = new List<(string Path, bool Run)> { ("README.md", true), (Path.Combine("docs", "stores.md"), false), (Path.Combine("docs", "hosting.md"), false) };
        documents.AddRange(PackedPackages.Ids.Select(id => (Path.Combine("src", id, "README.md"), false)));
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var calls = new StringBuilder();
        var bodies = new StringBuilder();
        var compiledBlocks = 0;
        for (var i = 0; i < documents.Count; i++)
        {
            var path = Path.Combine(packed.Root, documents[i].Path);
            Assert.True(File.Exists(path), $"{documents[i].Path} is missing");
            var blocks = FencedBlocks(File.ReadAllText(path).ReplaceLineEndings("\n"), "csharp");
            compiledBlocks += blocks.Count;
            var statements = new List<string>();
            for (var b = 0; b < blocks.Count; b++)
            {
                if (blocks[b].Split('\n').Any(l => l.StartsWith("namespace ", StringComparison.Ordinal)))
                {
                    File.WriteAllText(Path.Combine(consumer, $"Document{i}Block{b}.cs"), blocks[b]);
                    continue;
                }

                foreach (var line in blocks[b].Split('\n'))
                {
                    if (IsUsing(line))
                    {
                        usings.Add(line.Trim());
                    }
                    else
                    {
                        statements.Add(line);
                    }
                }
            }

            if (documents[i].Run)
            {
                calls.AppendLine($"await Document{i}(); // {documents[i].Path}");
            }

            bodies.AppendLine($"#pragma warning disable CS8321 // compiled, not run\nasync Task Document{i}()\n{{");
            statements.ForEach(line => bodies.AppendLine(line));
            bodies.AppendLine("await Task.CompletedTask;\n}");
        }

        Assert.True(compiledBlocks >= documents.Count, "expected C# blocks in the documents");
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), string.Join("\n", usings) + "\n" + calls + bodies);
        var output = PackedPackages.Run("dotnet", "run -c Release", consumer);
        Assert.Contains("acme runs release 1", output);
    }

    /// <summary>
    /// Versioning.Core.Testing depends on no test framework: an xunit.v3 test project referencing it (and not the xunit
    /// v2 conformance package) restores and compiles, with NodaTime.Testing's namespace imported beside ours.
    /// </summary>
    [Fact]
    public void TestingPackage_XunitV3Consumer_CompilesWithNodaTimeTestingBesideIt()
    {
        using (var zip = ZipFile.OpenRead(packed.Package("Versioning.Core.Testing")))
        {
            var dependencies = Metadata(zip).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
            Assert.Contains("NodaTime.Testing", dependencies);
            Assert.DoesNotContain(dependencies, d => d.StartsWith("xunit", StringComparison.OrdinalIgnoreCase));
        }

        var consumer = ConsumerProject("xunit-v3-consumer", "xunit.v3 4.0.2", "Versioning.Core.Testing");
        File.WriteAllText(Path.Combine(consumer, "ClockAndFaultTests.cs"), """
            using NodaTime;
            using NodaTime.Testing;
            using Versioning.Core;
            using Versioning.Core.Testing;
            using Versioning.Core.Testing.Conformance;
            using Versioning.Core.Testing.Faults;
            using Xunit;

            namespace Consumer.Tests;

            public sealed class ClockAndFaultTests
            {
                [Fact]
                public async Task FakeClockAndFaultPlan_WorkUnderXunitV3()
                {
                    var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0));
                    clock.AdvanceMinutes(5);
                    Assert.Equal(Instant.FromUtc(2026, 1, 1, 0, 5), clock.GetCurrentInstant());

                    var plan = new FaultPlan(failAt: 2, FaultPhase.Before);
                    await plan.RunAsync(() => Task.CompletedTask);
                    await Assert.ThrowsAsync<InjectedFaultException>(() => plan.RunAsync(() => Task.CompletedTask));
                    Assert.Equal("system", ActorId.System.Value);
                    Assert.Equal(nameof(VersioningStores), typeof(VersioningStores).Name);
                }
            }
            """);
        PackedPackages.Run("dotnet", "build -c Release", consumer);
    }

    /// <summary>
    /// Creates a net10.0 executable project (an xunit.v3 test project is one too) restoring from the packed feed, with
    /// warnings as errors.
    /// </summary>
    /// <param name="name">The folder under this run's work folder.</param>
    /// <param name="packages">Package ids, each followed by " version" unless it is one of ours (this run's version).</param>
    /// <returns>The project folder.</returns>
    private string ConsumerProject(string name, params string[] packages)
    {
        var folder = Path.Combine(packed.Work, name);
        Directory.CreateDirectory(folder);
        packed.WriteNuGetConfig(folder);
        var references = string.Join("\n", packages.Select(p => p.Split(' ') is [var id, var version]
            ? $"    <PackageReference Include=\"{id}\" Version=\"{version}\" />"
            : $"    <PackageReference Include=\"{p}\" Version=\"{packed.Version}\" />"));
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """);
        return folder;
    }

    private static XElement Metadata(ZipArchive zip)
    {
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static List<string> FencedBlocks(string markdown, string language)
        => Regex.Matches(markdown, $"```{language}\\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();

    private static bool IsUsing(string line)
        => line.StartsWith("using ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(';') && !line.Contains('(', StringComparison.Ordinal) && !line.Contains('=', StringComparison.Ordinal);

    private string? Git(string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments) { WorkingDirectory = packed.Root, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
