using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Versioning.Core.Packaging.Tests;

/// <summary>
/// Packs the libraries into a temporary folder feed, checks each package's metadata, then builds and runs a consumer
/// project — whose Program.cs is the C# quick start of README.md and the walkthrough of docs/getting-started.md —
/// that references the packages by version from that feed, like any host application would.
/// </summary>
public sealed partial class PackagesTests : IDisposable
{
    private static readonly string[] Packages = ["Versioning.Core", "Versioning.Core.Sqlite", "Versioning.Core.PostgreSql", "Versioning.Core.Testing", "Versioning.Core.Testing.Xunit", "Versioning.Cli"];
    private readonly string _work = Path.Combine(Path.GetTempPath(), "versioning-packaging", Guid.NewGuid().ToString("N"));

    // A version of this run's own: NuGet caches a restored package by id and version in the global packages folder and
    // never looks at the feed again, so a fixed version would let a package packed by an earlier run (older code) be
    // compiled against instead of the one just packed.
    private readonly string _version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid():N}";

    public PackagesTests() => Directory.CreateDirectory(_work);

    public void Dispose()
    {
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var path in Packages.Select(id => Path.Combine(globalPackages, id.ToLowerInvariant(), _version.ToLowerInvariant())).Append(_work))
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public void Pack_ThenConsumerBuiltFromTheDocs_RunsAgainstThePackedPackages()
    {
        var feed = Path.Combine(_work, "feed");
        var root = RepositoryRoot();
        var projects = Packages.Select(p => Path.Combine(root, "src", p, p + ".csproj")).Where(File.Exists).ToList();
        Assert.Contains(projects, p => p.EndsWith("Versioning.Core.csproj", StringComparison.Ordinal));
        foreach (var project in projects)
        {
            Run("dotnet", $"pack \"{project}\" -c Release -o \"{feed}\" -p:Version={_version} -p:ContinuousIntegrationBuild=true", root);
        }

        foreach (var project in projects)
        {
            var id = Path.GetFileNameWithoutExtension(project);
            CheckPackage(Path.Combine(feed, $"{id}.{_version}.nupkg"), id);
            Assert.True(File.Exists(Path.Combine(feed, $"{id}.{_version}.snupkg")), $"{id} has no symbol package");
        }

        var consumer = CreateConsumer("consumer", feed, "Versioning.Core", "Versioning.Core.Sqlite", "Versioning.Core.PostgreSql", "Versioning.Core.Testing.Xunit",
            "Microsoft.Extensions.DependencyInjection 10.0.0", "NodaTime.Serialization.SystemTextJson 1.4.0");
        // Each document's statement blocks, in order, form the body of one local function, so documents may reuse names;
        // blocks declaring a namespace become files of their own. Documents marked "run" are executed, the others only compiled.
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var calls = new StringBuilder();
        var bodies = new StringBuilder();
        var documents = new (string Path, bool Run)[] { ("README.md", true), (Path.Combine("docs", "getting-started.md"), true), (Path.Combine("docs", "stores.md"), false) };
        for (var i = 0; i < documents.Length; i++)
        {
            var path = Path.Combine(root, documents[i].Path);
            Assert.True(File.Exists(path), $"{documents[i].Path} is missing");
            var blocks = CSharpBlock().Matches(File.ReadAllText(path)).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(blocks);
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
            bodies.AppendLine("}");
        }

        File.WriteAllText(Path.Combine(consumer, "Program.cs"), string.Join("\n", usings) + "\n" + calls + bodies);
        var output = Run("dotnet", "run -c Release", consumer);
        Assert.Contains("acme runs release 1", output);
        Assert.Contains("refused (T3)", output);
        Assert.Contains("versions round-trip through JSON", output);
        Assert.Contains("getting-started: done", output);
    }

    /// <summary>
    /// Versioning.Core.Testing depends on no test framework: an xunit.v3 test project referencing it (and not the xunit
    /// v2 conformance package) restores and compiles, with NodaTime.Testing's namespace imported beside ours.
    /// </summary>
    [Fact]
    public void Pack_ThenXunitV3ConsumerOfTheTestingPackage_Compiles()
    {
        var feed = Path.Combine(_work, "feed");
        var root = RepositoryRoot();
        foreach (var id in (string[])["Versioning.Core", "Versioning.Core.Testing"])
        {
            Run("dotnet", $"pack \"{Path.Combine(root, "src", id, id + ".csproj")}\" -c Release -o \"{feed}\" -p:Version={_version}", root);
        }

        using (var zip = ZipFile.OpenRead(Path.Combine(feed, $"Versioning.Core.Testing.{_version}.nupkg")))
        using (var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open())
        {
            var dependencies = XDocument.Load(stream).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
            Assert.Contains("NodaTime.Testing", dependencies);
            Assert.DoesNotContain(dependencies, d => d.StartsWith("xunit", StringComparison.OrdinalIgnoreCase));
        }

        var consumer = CreateConsumer("xunit-v3-consumer", feed, "xunit.v3 4.0.2", "Versioning.Core.Testing");
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
        Run("dotnet", "build -c Release", consumer);
    }

    /// <summary>
    /// Creates a net10.0 executable project (an xunit.v3 test project is one too) restoring from the packed feed.
    /// </summary>
    /// <param name="name">The folder under this run's work folder.</param>
    /// <param name="feed">The folder feed of packed packages.</param>
    /// <param name="packages">Package ids, each with " version" unless it is one of ours (this run's version).</param>
    /// <returns>The project folder.</returns>
    private string CreateConsumer(string name, string feed, params string[] packages)
    {
        var folder = Path.Combine(_work, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="packed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var references = string.Join("\n", packages.Select(p => p.Split(' ') is [var id, var version]
            ? $"    <PackageReference Include=\"{id}\" Version=\"{version}\" />"
            : $"    <PackageReference Include=\"{p}\" Version=\"{_version}\" />"));
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

    private static void CheckPackage(string path, string id)
    {
        Assert.True(File.Exists(path), $"{path} was not produced");
        using var zip = ZipFile.OpenRead(path);
        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var nuspec = XDocument.Load(stream);
        var ns = nuspec.Root!.GetDefaultNamespace();
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal(id, metadata.Element(ns + "id")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value), $"{id} has no description");
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "authors")?.Value), $"{id} has no authors");
        Assert.Equal("expression", metadata.Element(ns + "license")?.Attribute("type")?.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        if (id != "Versioning.Cli")
        {
            Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{id}.xml");
        }
    }

    private static bool IsUsing(string line)
        => line.StartsWith("using ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(';') && !line.Contains('(', StringComparison.Ordinal) && !line.Contains('=', StringComparison.Ordinal);

    private static string Run(string file, string arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(8)), $"{file} {arguments} timed out");
        var output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"{file} {arguments} exited {process.ExitCode}:\n{output}");
        return output;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Versioning.Core.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Versioning.Core.sln not found");
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
