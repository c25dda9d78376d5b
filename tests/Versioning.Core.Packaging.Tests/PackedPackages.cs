using System.Diagnostics;

namespace Versioning.Core.Packaging.Tests;

/// <summary>
/// Every package of the repository packed once, as a CI build (<c>CI=true</c>), into a folder feed of its own, at a
/// version of this run's own: NuGet caches a restored package by id and version in the global packages folder and never
/// looks at the feed again, so a fixed version would let a package packed by an earlier run (older code) be used
/// instead of the one just packed. Cleaned from the global packages folder afterwards.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    /// <summary>The package ids, one project under src/ each.</summary>
    public static readonly string[] Ids = ["Versioning.Core", "Versioning.Core.Sqlite", "Versioning.Core.PostgreSql", "Versioning.Core.Testing", "Versioning.Core.Testing.Xunit", "Versioning.Core.Hosting", "Versioning.Cli"];

    public PackedPackages()
    {
        Directory.CreateDirectory(Feed);
        foreach (var id in Ids)
        {
            var project = Path.Combine(Root, "src", id, id + ".csproj");
            Assert.True(File.Exists(project), $"{project} is missing");
            Run("dotnet", $"pack \"{project}\" -c Release -o \"{Feed}\" -p:Version={Version} -p:CI=true", Root);
        }
    }

    /// <summary>The repository root.</summary>
    public string Root { get; } = RepositoryRoot();

    /// <summary>A temporary folder for this run.</summary>
    public string Work { get; } = Path.Combine(Path.GetTempPath(), "versioning-packaging", Guid.NewGuid().ToString("N"));

    /// <summary>The folder feed holding the packed packages.</summary>
    public string Feed => Path.Combine(Work, "feed");

    /// <summary>This run's package version.</summary>
    public string Version { get; } = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid():N}";

    /// <summary>The path of a packed package.</summary>
    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <summary>Writes a nuget.config adding the feed to the machine's usual package sources.</summary>
    public void WriteNuGetConfig(string folder) => File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="packed" value="{Feed}" />
          </packageSources>
        </configuration>
        """);

    public void Dispose()
    {
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var path in Ids.Select(id => Path.Combine(globalPackages, id.ToLowerInvariant(), Version.ToLowerInvariant())).Append(Work))
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

    /// <summary>Runs a process to its end and returns its output; fails the test when it exits with another code than 0.</summary>
    public static string Run(string file, string arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
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
}
