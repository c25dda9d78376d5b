using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Versioning.Core;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Cli.Commands;

namespace Versioning.Cli.Tests;

/// <summary>
/// How the tool behaves at its edges: signals during a migration, parse errors, a mistyped or read-only database,
/// rule refusals and the timestamp format (docs/cli.md).
/// </summary>
public sealed partial class CliBehaviourTests : IDisposable
{
    private const string JobGuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private readonly Cli _cli = new();

    public void Dispose()
    {
        if (File.Exists(_cli.Database))
        {
            File.SetAttributes(_cli.Database, FileAttributes.Normal);
        }

        _cli.Dispose();
    }

    [Theory]
    [InlineData("resume", "TERM")]
    [InlineData("resume", "INT")]
    [InlineData("migrate", "TERM")]
    [InlineData("migrate", "INT")]
    public async Task MigrationCommand_SignalledMidway_PrintsCancelledExitsThreeAndTheJobResumesWhereItStopped(string command, string signal)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = _cli.Database }.ToString();
        var actor = new ActorId("alice");
        var (integrations, migrations) = ProcessKillTests.Services(cs);
        var app = await integrations.CreateIntegrationAsync("Signalled", actor);
        var content = new WorkflowDefinition([new Step("s", new ConnectorRef("Api", "1"), "Call")]);
        var from = VersionNumber.Parse("1.0.0");
        var to = VersionNumber.Parse("1.1.0");
        await integrations.CreateVersionAsync(app.Id, from, content, actor);
        await integrations.CreateVersionAsync(app.Id, to, content, actor);
        await integrations.SetNotesAsync(app.Id, to, "notes", actor);
        await integrations.PromoteAsync(app.Id, to, actor);
        var ids = await ProcessKillTests.SeedAsync(cs, ProductRef.Of(app.Id), VersionKey.ForVersion(from));
        string[] arguments = command == "resume"
            ? ["integration", "resume", (await migrations.StartMigrationAsync(app.Id, from, to, MigrationScope.Percentage(50), actor, batchSize: 2)).Id.ToString()]
            : ["integration", "migrate", app.Id.ToString(), "1.0.0", "1.1.0", "--percent", "50", "--batch-size", "2"];

        var dll = Path.Combine(AppContext.BaseDirectory, "versioning.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", dll, "--db", _cli.Database, "--as", "alice", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();

        // Redirected, the tool prints a progress line per tenth of the job: signal it once the first tenth is done, while
        // 13 500 batches of 2 are still to run.
        var stdout = new System.Text.StringBuilder();
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            stdout.AppendLine(line);
            if (line.Contains(" 10%", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.False(child.HasExited, $"the child ended before the signal: {stdout}");

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { RedirectStandardError = true })!)
        {
            var killError = await kill.StandardError.ReadToEndAsync();
            await kill.WaitForExitAsync();
            Assert.True(kill.ExitCode == 0, $"kill -s {signal} {child.Id}: {killError}");
        }

        stdout.Append(await child.StandardOutput.ReadToEndAsync());
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(60)), "the child did not stop after the signal");
        var error = await stderr;
        Assert.True(child.ExitCode == 3, $"exit {child.ExitCode}\nstdout: {stdout}\nstderr: {error}");
        Assert.StartsWith("cancelled: ", error, StringComparison.Ordinal);
        Assert.Contains("integration resume", error);
        Assert.DoesNotContain("   at ", error);

        // Stopped between batches: the job is still in progress, and resuming it moves each selected installation once.
        var stopped = (await migrations.ListJobsAsync(ProductRef.Of(app.Id), actor)).Single();
        Assert.Equal(MigrationState.InProgress, stopped.State);
        Assert.True(stopped.Scanned < ProcessKillTests.Installations, "the signal came too late to interrupt the job");
        SqliteConnection.ClearAllPools();
        var done = await ProcessKillTests.Services(cs).Migrations.RunAsync(stopped.Id, actor);
        Assert.Equal(MigrationState.Completed, done.State);
        Assert.Equal(ids.Count(id => Cohort.IsSelected(id, VersionKey.ForVersion(from), VersionKey.ForVersion(to), 50)), done.Moved);
    }

    [Theory]
    [InlineData("template", "upgrade", JobGuid, "--batch-size", "abc")]
    [InlineData("integration", "migrate", JobGuid, "1.0.0", "1.1.0", "--percent", "half")]
    [InlineData("integration", "resume", JobGuid, "--max-batches", "x")]
    [InlineData("template", "promote", JobGuid, "one")]
    [InlineData("demo", "--installations", "many")]
    [InlineData("integration", "deprecate", JobGuid, "1.0.0", "--date", "2026-06-01", "--reason", "Bored")]
    public async Task ParseError_UnparsableValue_SaysWhatIsExpectedWithoutDotNetTypeNames(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain("System.", result.Stderr);
        Assert.DoesNotContain("`1", result.Stderr);
        Assert.DoesNotContain("Versioning.Core", result.Stderr);
        Assert.Matches("expected (a whole number|one of ApiChange, SecurityIssue, Replaced, LowUsage, Other)", result.Stderr);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void UsageErrors_NullableAndEnumTypes_AreWordedAndTheRestKept()
    {
        var parse = new System.CommandLine.RootCommand { new System.CommandLine.Option<int?>("--n"), new System.CommandLine.Option<MigrationState>("--state") }.Parse(["--n", "x", "--state", "Sleeping"]);

        var messages = CliApplication.UsageErrors(parse);

        Assert.Equal(2, messages.Count);
        Assert.EndsWith("'--n': expected a whole number.", messages[0], StringComparison.Ordinal);
        Assert.Contains("expected one of Requested, InProgress", messages[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("template", "frobnicate")]
    [InlineData("integration", "promte", JobGuid, "1.0.0")]
    public async Task UnknownCommand_OneErrorMessageThenWhereToFindHelp(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"error: Unrecognized command or argument '{args[^(args.Length > 2 ? 3 : 1)]}'", lines[0], StringComparison.Ordinal);
        Assert.Matches("^Run 'versioning( template| integration)? --help' for usage\\.$", lines[1]);
    }

    [Theory]
    [InlineData("template", "list")]
    [InlineData("template", "show", JobGuid)]
    [InlineData("template", "audit", JobGuid)]
    [InlineData("integration", "list")]
    [InlineData("integration", "versions", JobGuid)]
    [InlineData("integration", "notices")]
    [InlineData("integration", "job", JobGuid)]
    [InlineData("installation", "show", JobGuid)]
    [InlineData("installation", "can-run", JobGuid)]
    public async Task ReadOnlyCommand_MistypedDatabasePath_ClearErrorAndNoFileCreated(params string[] args)
    {
        var typo = Path.Combine(_cli.Folder, "versoning.db");

        var result = await Cli.RunRawAsync([.. args, "--db", typo]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: There is no database at '{typo}': check the --db PATH. Commands that only read never create one; the first command that changes data does.", result.Stderr.Trim());
        Assert.False(File.Exists(typo), "a read-only command created a database");
        Assert.Empty(Directory.GetFiles(_cli.Folder));
    }

    [Fact]
    public async Task ReadOnlyCommands_DatabaseFileNotWritable_ReadItAndLeaveItUnchanged()
    {
        var template = (await _cli.JsonAsync("template", "create", "Read me")).GetProperty("id").GetString()!;
        await _cli.OkAsync("template", "draft", template);
        SqliteConnection.ClearAllPools();
        // Read-only for its owner (for root, who may write anyway, the read-only commands still open it read-only).
        File.SetAttributes(_cli.Database, FileAttributes.ReadOnly);
        var before = File.ReadAllBytes(_cli.Database);

        var list = await _cli.JsonAsync("template", "list");
        var releases = await _cli.JsonAsync("template", "releases", template);
        var audit = await _cli.RunAsync("template", "audit", template);

        Assert.Equal("Read me", list.EnumerateArray().Single().GetProperty("name").GetString());
        Assert.Equal(1, releases.GetArrayLength());
        Assert.True(audit.ExitCode == 0, audit.ToString());
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, File.ReadAllBytes(_cli.Database));
    }

    [Fact]
    public async Task RuleRefusals_EveryKind_ExitOneWithTheRuleId()
    {
        const string At = "--at";
        const string Now = "2026-05-01T00:00:00Z";
        var template = (await _cli.JsonAsync("template", "create", "Refusals", At, Now)).GetProperty("id").GetString()!;
        await _cli.OkAsync("template", "draft", template, At, Now);
        await _cli.OkAsync("template", "promote", template, "1", At, Now);
        var integration = (await _cli.JsonAsync("integration", "create", "Refusals", At, Now)).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", integration, "1.0.0", At, Now);

        var refusals = new (string Rule, string[] Args)[]
        {
            ("T3", ["template", "edit", template, "1", "--swap-connector", "A", "--with", "B@1"]),
            ("T10", ["template", "delete", template, "1"]),
            ("Z1", ["integration", "version", integration, "1.0.0"]),
            ("Z2", ["integration", "version", integration, "3.0.0"]),
            ("Z8", ["integration", "promote", integration, "1.0.0"]),
            ("Z12", ["integration", "deprecate", integration, "1.0.0", "--date", "2026-05-05", "--reason", "Replaced"]),
        };
        foreach (var (rule, args) in refusals)
        {
            var result = await _cli.RunAsync([.. args, At, Now]);
            Assert.True(result.ExitCode == 1, $"{rule}: {result}");
            Assert.StartsWith($"refused ({rule}): ", result.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Timestamps_PrintedToTheSecondInUtc_InTablesAndJson()
    {
        // The system clock (no --at), so instants carry sub-second digits the output must not show.
        var template = (await _cli.JsonAsync("template", "create", "Clock")).GetProperty("id").GetString()!;
        await _cli.OkAsync("template", "draft", template);

        var table = (await _cli.OkAsync("template", "audit", template)).Stdout;
        var json = (await _cli.RunAsync("template", "audit", template, "--json")).Stdout;

        foreach (var output in new[] { table, json })
        {
            var stamps = Timestamp().Matches(output).Select(m => m.Value).ToList();
            Assert.NotEmpty(stamps);
            Assert.All(stamps, s => Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", s));
        }
    }

    // Anything that starts like an ISO date and time, with whatever follows up to the next delimiter.
    [GeneratedRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[^\\s\"│|,]*")]
    private static partial Regex Timestamp();
}
