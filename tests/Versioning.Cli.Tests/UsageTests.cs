using Microsoft.Extensions.DependencyInjection;
using Versioning.Cli.Hosting;
using Versioning.Cli.Input;
using Versioning.Core;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Cli.Commands;

namespace Versioning.Cli.Tests;

public sealed class UsageTests : IDisposable
{
    private readonly Cli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("template", "frobnicate")]
    [InlineData("template")]
    [InlineData("template", "promote", "not-a-guid", "1")]
    [InlineData("template", "promote", "0f8fad5b-d9cb-469f-a165-70867728950e", "one")]
    [InlineData("template", "show", "0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("integration", "versions", "0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("integration", "job", "0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("integration", "deprecate", "0f8fad5b-d9cb-469f-a165-70867728950e", "1.0.0", "--date", "2026-06-01", "--reason", "Bored")]
    [InlineData("diagram", "--format", "svg")]
    [InlineData("template", "list", "--at", "yesterday")]
    [InlineData("template", "list", "--as", " ")]
    public async Task Run_BadUsage_ExitsWith2AndAnErrorOnStderr(params string[] args)
    {
        // A database exists, so the unknown ids are reported as such (not as a missing --db file).
        await _cli.OkAsync("template", "create", "Existing");

        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.NotEqual(string.Empty, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.DoesNotContain("There is no database", result.Stderr);
    }

    [Fact]
    public async Task Version_MalformedNumber_ExitsWith2NamingTheProblem()
    {
        var id = (await _cli.JsonAsync("integration", "create", "CRM")).GetProperty("id").GetString()!;

        var result = await _cli.RunAsync("integration", "version", id, "1.02.0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'1.02.0' is not a version number", result.Stderr);
    }

    [Fact]
    public async Task Postgres_MalformedConnectionString_ExitsWith2()
    {
        var result = await Cli.RunRawAsync("--postgres", "Host=localhost;NoSuchKeyword=1", "template", "list");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--postgres", result.Stderr);
    }

    [Fact]
    public async Task Postgres_UnreachableServer_FailsWithAMessageAndNoStackTrace()
    {
        var result = await Cli.RunRawAsync("--postgres", "Host=127.0.0.1;Port=1;Timeout=2;Database=x;Username=x", "template", "list");

        Assert.NotEqual(0, result.ExitCode);
        Assert.NotEqual(string.Empty, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Run_DbAndPostgresTogether_ExitsWith2()
    {
        var result = await Cli.RunRawAsync("--db", _cli.Database, "--postgres", "Host=x", "template", "list");

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Run_DbInMissingFolder_ExitsWith2()
    {
        var result = await Cli.RunRawAsync("--db", Path.Combine(_cli.Folder, "missing", "x.db"), "template", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr);
    }

    [Fact]
    public async Task Draft_MissingOrMalformedContentFile_ExitsWith2()
    {
        var id = (await _cli.JsonAsync("template", "create", "T")).GetProperty("id").GetString()!;
        var malformed = Path.Combine(_cli.Folder, "bad.json");
        await File.WriteAllTextAsync(malformed, """{"steps":[{"name":"x","connector":"c"}]}""");

        var missing = await _cli.RunAsync("template", "draft", id, "--content", Path.Combine(_cli.Folder, "nope.json"));
        var bad = await _cli.RunAsync("template", "draft", id, "--content", malformed);

        Assert.Equal(2, missing.ExitCode);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("steps[0].connectorVersion", bad.Stderr);
    }

    [Fact]
    public async Task Draft_ContentFileOverTheLimit_ExitsWith2AndNothingIsSaved_X11()
    {
        var id = (await _cli.JsonAsync("template", "create", "T")).GetProperty("id").GetString()!;
        var huge = Path.Combine(_cli.Folder, "huge.json");
        await File.WriteAllTextAsync(huge, """{"steps":[{"name":"x","connector":"c","connectorVersion":"1","operation":"o","settings":{"k":""" + "\"" + new string('a', 4 << 20) + "\"}}]}");

        var result = await _cli.RunAsync("template", "draft", id, "--content", huge);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("larger than 4194304 bytes", result.Stderr);
        Assert.Equal(0, (await _cli.JsonAsync("template", "show", id)).GetProperty("releases").GetArrayLength());
    }

    [Fact]
    public async Task Draft_ContentFromAnEndlessDevice_RefusedAfterTheLimit_X11()
    {
        // A hostile --content that never ends (the tests run on Linux, where /dev/zero exists): read at most 4 MiB + 1.
        Assert.True(File.Exists("/dev/zero"), "this test needs /dev/zero (Linux)");
        var id = (await _cli.JsonAsync("template", "create", "T")).GetProperty("id").GetString()!;

        var result = await _cli.RunAsync("template", "draft", id, "--content", "/dev/zero");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("larger than 4194304 bytes", result.Stderr);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("template", "--help")]
    [InlineData("integration", "migrate", "--help")]
    public async Task Help_ExitsWith0AndWritesUsage(params string[] args)
    {
        var result = await Cli.RunRawAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout);
        Assert.Contains("versioning", result.Stdout);
    }

    [Fact]
    public async Task Json_EveryListing_ParsesWithSystemTextJson()
    {
        var template = (await _cli.JsonAsync("template", "create", "T \"quoted\" & <b>")).GetProperty("id").GetString()!;
        var integration = (await _cli.JsonAsync("integration", "create", "I")).GetProperty("id").GetString()!;
        await _cli.OkAsync("template", "draft", template);
        await _cli.OkAsync("integration", "version", integration, "1.0.0");

        foreach (var args in new[]
        {
            new[] { "template", "list" }, ["template", "show", template], ["template", "releases", template], ["template", "report", template, "1"],
            ["template", "audit", template], ["template", "actions", template, "1"], ["template", "jobs", template],
            ["integration", "list"], ["integration", "show", integration], ["integration", "versions", integration], ["integration", "audit", integration], ["integration", "history", integration],
            ["integration", "notices"], ["integration", "actions", integration, "1.0.0"], ["integration", "jobs", integration],
            ["diagram", "--lifecycle", "versions"],
        })
        {
            var json = await _cli.JsonAsync(args);
            Assert.NotEqual(System.Text.Json.JsonValueKind.Undefined, json.ValueKind);
        }

        Assert.Equal("T \"quoted\" & <b>", (await _cli.JsonAsync("template", "show", template)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Diagram_Default_PrintsExactlyTheReleaseLifecycleMermaid()
    {
        var result = await Cli.RunRawAsync("diagram");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(ReleaseLifecycle.Definition.ToMermaid(), result.Stdout);
    }

    [Theory]
    [InlineData("releases", "mermaid")]
    [InlineData("releases", "dot")]
    [InlineData("versions", "mermaid")]
    [InlineData("versions", "dot")]
    public async Task Diagram_EachLifecycleAndFormat_PrintsTheGeneratedText(string lifecycle, string format)
    {
        var expected = (lifecycle, format) switch
        {
            ("releases", "mermaid") => ReleaseLifecycle.Definition.ToMermaid(),
            ("releases", _) => ReleaseLifecycle.Definition.ToDot(),
            (_, "mermaid") => VersionLifecycle.Definition.ToMermaid(),
            _ => VersionLifecycle.Definition.ToDot(),
        };

        var result = await Cli.RunRawAsync("diagram", "--lifecycle", lifecycle, "--format", format);

        Assert.Equal(expected, result.Stdout);
    }

    [Fact]
    public void Describe_EachFailure_MapsToItsExitCode()
    {
        Assert.Equal(1, CliApplication.Describe(new VersioningRuleException("T3", "locked", "Template", "x")).Code);
        Assert.Equal(1, CliApplication.Describe(new ConcurrencyConflictException("Template", "x", 1, 2)).Code);
        Assert.Equal(1, CliApplication.Describe(new VersioningAccessDeniedException(new ActorId("m"), "Integration", "x", "PromoteVersion")).Code);
        Assert.Equal(2, CliApplication.Describe(new EntityNotFoundException("Template", "x")).Code);
        Assert.Equal(2, CliApplication.Describe(new FormatException("bad")).Code);
        Assert.Equal(2, CliApplication.Describe(new ArgumentOutOfRangeException("date")).Code);
        Assert.Equal(3, CliApplication.Describe(new IOException("disk")).Code);
        Assert.Equal("refused (T3): locked", CliApplication.Describe(new VersioningRuleException("T3", "locked", "Template", "x")).Message);
    }

    [Fact]
    public void RefusedMessage_ProblemsNotInTheMessage_AreListed()
    {
        var message = CliApplication.RefusedMessage(new VersioningRuleException("M3", "breaks installations", "Integration", "x", problems: ["connector A removed", "breaks installations"]));

        Assert.Equal($"refused (M3): breaks installations{Environment.NewLine}  - connector A removed", message);
    }

    [Fact]
    public void ContentFile_Parse_ReadsStepsAndSettings()
    {
        var content = ContentFile.Parse("""{"steps":[{"name":"a","connector":"C","connectorVersion":"1","operation":"Op","settings":{"k":"v"}}]}""");

        var step = Assert.Single(content.Steps);
        Assert.Equal("C@1", step.Connector.ToString());
        Assert.Equal("v", step.Settings["k"]);
        Assert.Same(Versioning.Core.Content.WorkflowDefinition.Empty, ContentFile.Parse("""{"steps":[]}"""));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"steps":{}}""")]
    [InlineData("""{"steps":[1]}""")]
    [InlineData("""{"steps":[{"name":"a","connector":"C","connectorVersion":"1","operation":"Op","settings":{"k":1}}]}""")]
    public void ContentFile_Parse_WrongShape_ThrowsFormatException(string json)
        => Assert.Throws<FormatException>(() => ContentFile.Parse(json));

    [Fact]
    public void StoreSelection_Postgres_RegistersThePostgreSqlStores()
    {
        var versioning = new ServiceCollection().AddVersioning();

        StoreSelection.Use(versioning, new StoreChoice.PostgreSql("Host=127.0.0.1;Database=x;Username=x"));

        Assert.Contains(versioning.Services, d => d.ServiceType == typeof(Core.Persistence.ITemplateRepository)
            && d.ImplementationFactory is not null && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Contains(versioning.Services, d => d.ServiceType == typeof(Core.PostgreSql.PostgreSqlDatabase));
    }
}
