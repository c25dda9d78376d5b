using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Versioning.Cli.Tests;

/// <summary>What one in-process run of the tool produced.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}: {Stderr}");
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>A temporary folder with its own database file; every run goes through the real entry point with <c>--db</c>.</summary>
internal sealed class Cli : IDisposable
{
    public Cli()
    {
        Folder = Path.Combine(Path.GetTempPath(), "versioning-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Database = Path.Combine(Folder, "test.db");
    }

    public string Folder { get; }

    public string Database { get; }

    /// <summary>Runs the tool on this folder's database (as alice unless <c>--as</c> is given).</summary>
    public Task<CliResult> RunAsync(params string[] args)
    {
        var withGlobals = new List<string>(args) { "--db", Database };
        if (!args.Contains("--as"))
        {
            withGlobals.AddRange(["--as", "alice"]);
        }

        return RunRawAsync([.. withGlobals]);
    }

    /// <summary>Runs the tool with exactly these arguments.</summary>
    public static async Task<CliResult> RunRawAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Program.RunAsync(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with <c>--json</c> and returns the parsed output, asserting success.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args) => (await RunAsync([.. args, "--json"])).Json();

    /// <summary>Runs and asserts success.</summary>
    public async Task<CliResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Stderr);
        return result;
    }

    public string WriteContent(string name, params (string Name, string Connector, string Version, string Operation)[] steps)
    {
        var path = Path.Combine(Folder, name);
        var json = JsonSerializer.Serialize(new
        {
            steps = steps.Select(s => new { name = s.Name, connector = s.Connector, connectorVersion = s.Version, operation = s.Operation, settings = new Dictionary<string, string> { ["region"] = "eu" } }),
        });
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Another test's pool may still hold the file; the temp folder is cleaned up later.
        }
    }
}
