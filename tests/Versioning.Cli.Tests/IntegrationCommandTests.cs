namespace Versioning.Cli.Tests;

public sealed class IntegrationCommandTests : IDisposable
{
    private const string Start = "2026-05-01T00:00:00Z";
    private readonly Cli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task IntegrationLifecycle_AcrossSeparateInvocations_PersistsEveryStep()
    {
        var content = _cli.WriteContent("v1.json", ("Find contact", "Salesforce", "58.0", "FindContact"));
        var id = (await _cli.JsonAsync("integration", "create", "CRM", "--at", Start)).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "team-add", id, "bob");
        await _cli.OkAsync("integration", "version", id, "1.0.0", "--content", content);
        await _cli.OkAsync("integration", "notes", id, "1.0.0", "First version");
        var promoted = await _cli.JsonAsync("integration", "promote", id, "1.0.0");
        Assert.Equal("Promoted", promoted.GetProperty("version").GetProperty("state").GetString());

        for (var i = 0; i < 4; i++)
        {
            await _cli.OkAsync("integration", "install", id, "--account", $"account-{i}");
        }

        await _cli.OkAsync("integration", "clone", id, "1.0.0", "1.0.1", "--as", "bob");
        var second = await _cli.JsonAsync("integration", "promote", id, "1.0.1", "--as", "bob");
        Assert.Equal("1.0.0", second.GetProperty("previous").GetString());

        var started = await _cli.JsonAsync("integration", "migrate", id, "1.0.0", "1.0.1", "--batch-size", "1", "--max-batches", "1");
        Assert.Equal("InProgress", started.GetProperty("state").GetString());
        var jobId = started.GetProperty("id").GetString()!;
        Assert.Equal("InProgress", (await _cli.JsonAsync("integration", "job", jobId)).GetProperty("state").GetString());
        var resumed = await _cli.OkAsync("integration", "resume", jobId);
        Assert.Contains("Completed", resumed.Stdout);
        var job = Assert.Single((await _cli.JsonAsync("integration", "jobs", id)).EnumerateArray());
        Assert.Equal(4, job.GetProperty("moved").GetInt64());

        await _cli.OkAsync("integration", "legacy", id, "1.0.0", "--at", Start);
        var schedule = await _cli.JsonAsync("integration", "deprecate", id, "1.0.0", "--date", "2026-06-15", "--reason", "Replaced", "--at", Start);
        Assert.Equal("2026-06-15T00:00:00Z", schedule.GetProperty("effectiveAt").GetString());

        var before = await _cli.JsonAsync("integration", "versions", id, "--at", "2026-06-01T00:00:00Z");
        Assert.Equal(["Deprecating", "Promoted"], before.EnumerateArray().Select(v => v.GetProperty("state").GetString()).ToList());
        var notices = await _cli.JsonAsync("integration", "notices", "--at", "2026-06-02T00:00:00Z");
        Assert.Equal("1.0.0", Assert.Single(notices.EnumerateArray()).GetProperty("version").GetString());
        var after = await _cli.JsonAsync("integration", "versions", id, "--include-deprecated", "--at", "2026-06-16T00:00:00Z");
        Assert.Equal("Deprecated", after[0].GetProperty("state").GetString());
        Assert.Equal(4, after[1].GetProperty("installations").GetInt64());
        Assert.Equal(0, (await _cli.JsonAsync("integration", "notices", "--at", "2026-06-16T00:00:00Z")).GetArrayLength());

        var history = (await _cli.JsonAsync("integration", "audit", id)).EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("DeprecationScheduled", history);
        Assert.Contains("InstallationsUpgraded", history);
        var summary = Assert.Single((await _cli.JsonAsync("integration", "list")).EnumerateArray());
        Assert.Equal("1.0.1", summary.GetProperty("promotedVersion").GetString());
    }

    [Fact]
    public async Task ReadCommands_HonourAs_AnOutsiderSeesNoNeverPublicVersion_X8()
    {
        var id = (await _cli.JsonAsync("integration", "create", "CRM", "--at", Start)).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", id, "1.0.0");
        await _cli.OkAsync("integration", "notes", id, "1.0.0", "Public notes");
        await _cli.OkAsync("integration", "promote", id, "1.0.0");
        await _cli.OkAsync("integration", "version", id, "1.1.0");
        await _cli.OkAsync("integration", "notes", id, "1.1.0", "Secret roadmap");
        await _cli.OkAsync("integration", "legacy", id, "1.1.0");

        var shown = await _cli.JsonAsync("integration", "show", id, "--as", "mallory");
        Assert.Equal(["1.0.0"], shown.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("number").GetString()));
        var history = await _cli.OkAsync("integration", "audit", id, "--as", "mallory");
        Assert.DoesNotContain("1.1.0", history.Stdout, StringComparison.Ordinal);
        var versions = await _cli.JsonAsync("integration", "versions", id, "--as", "mallory");
        Assert.Equal(["1.0.0"], versions.EnumerateArray().Select(v => v.GetProperty("number").GetString()));
        var actions = await _cli.RunAsync("integration", "actions", id, "1.1.0", "--as", "mallory");
        Assert.NotEqual(0, actions.ExitCode);
        Assert.Contains("not found", actions.Stderr, StringComparison.OrdinalIgnoreCase);

        // The team (alice, the default --as of these tests) sees it all.
        var team = await _cli.JsonAsync("integration", "show", id);
        Assert.Equal(["1.0.0", "1.1.0"], team.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("number").GetString()));
        Assert.Equal(0, (await _cli.RunAsync("integration", "actions", id, "1.1.0")).ExitCode);
    }

    [Fact]
    public async Task Commands_ByAnOutsider_AreDenied_X7()
    {
        var id = (await _cli.JsonAsync("integration", "create", "CRM", "--at", Start)).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", id, "1.0.0");

        var denied = await _cli.RunAsync("integration", "notes", id, "1.0.0", "Mine now", "--as", "mallory");

        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("denied", denied.Stderr, StringComparison.Ordinal);
        Assert.Contains("X7", denied.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_WithoutNotes_IsRefusedWithZ8()
    {
        var id = (await _cli.JsonAsync("integration", "create", "CRM")).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", id, "1.0.0");

        var result = await _cli.RunAsync("integration", "promote", id, "1.0.0");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("refused (Z8): ", result.Stderr);
        Assert.Equal("Private", (await _cli.JsonAsync("integration", "versions", id))[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Notes_ByNonTeamMember_IsDeniedWithExitCode1()
    {
        var id = (await _cli.JsonAsync("integration", "create", "CRM")).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", id, "1.0.0");

        var result = await _cli.RunAsync("integration", "notes", id, "1.0.0", "hi", "--as", "mallory");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("denied: ", result.Stderr);
    }

    [Fact]
    public async Task Versions_AsUserOutsideTheTeam_ShowsOnlySharedPrivateVersions()
    {
        var id = (await _cli.JsonAsync("integration", "create", "CRM")).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", id, "1.0.0");
        await _cli.OkAsync("integration", "version", id, "1.0.1");
        await _cli.OkAsync("integration", "share", id, "carol", "--version", "1.0.1");

        var seen = await _cli.JsonAsync("integration", "versions", id, "--as", "carol");

        Assert.Equal("1.0.1", Assert.Single(seen.EnumerateArray()).GetProperty("number").GetString());
        await _cli.OkAsync("integration", "unshare", id, "carol", "--version", "1.0.1");
        Assert.Equal(0, (await _cli.JsonAsync("integration", "versions", id, "--as", "carol")).GetArrayLength());
    }

    [Fact]
    public async Task Installation_OnDeprecatedVersion_CanNoLongerRun()
    {
        var id = (await _cli.JsonAsync("integration", "create", "CRM", "--at", Start)).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", id, "1.0.0");
        await _cli.OkAsync("integration", "version", id, "1.0.1");
        await _cli.OkAsync("integration", "notes", id, "1.0.1", "Second");
        await _cli.OkAsync("integration", "promote", id, "1.0.1");
        var installation = (await _cli.JsonAsync("integration", "install", id, "--user", "u1", "--version", "1.0.0")).GetProperty("id").GetString()!;
        await _cli.OkAsync("installation", "run", installation);
        await _cli.OkAsync("integration", "deprecate", id, "1.0.0", "--date", "2026-06-15", "--reason", "Other", "--other", "API sunset", "--at", Start);

        Assert.True((await _cli.JsonAsync("installation", "can-run", installation, "--at", "2026-06-14T23:59:59Z")).GetProperty("canRun").GetBoolean());
        Assert.False((await _cli.JsonAsync("installation", "can-run", installation, "--at", "2026-06-15T00:00:00Z")).GetProperty("canRun").GetBoolean());
        Assert.Equal("Running", (await _cli.JsonAsync("installation", "show", installation)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task InstallationAndJobReads_AsSomeoneElse_NotFoundOrEmpty_X8()
    {
        var id = (await _cli.JsonAsync("integration", "create", "CRM")).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", id, "1.0.0");
        await _cli.OkAsync("integration", "version", id, "1.0.1");
        await _cli.OkAsync("integration", "notes", id, "1.0.1", "Second");
        await _cli.OkAsync("integration", "promote", id, "1.0.1");
        var installation = (await _cli.JsonAsync("integration", "install", id, "--user", "u1", "--version", "1.0.0", "--setting", "webhook=https://u1.example")).GetProperty("id").GetString()!;
        var job = (await _cli.JsonAsync("integration", "migrate", id, "1.0.0", "1.0.1", "--max-batches", "1")).GetProperty("id").GetString()!;

        foreach (var read in new[] { new[] { "installation", "show", installation }, ["installation", "can-run", installation], ["integration", "job", job] })
        {
            var hidden = await _cli.RunAsync([.. read, "--as", "mallory"]);
            Assert.Equal(2, hidden.ExitCode);
            Assert.StartsWith("error: ", hidden.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("u1.example", hidden.Stdout + hidden.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await _cli.JsonAsync("integration", "jobs", id, "--as", "mallory")).GetArrayLength());
        Assert.Equal(1, (await _cli.JsonAsync("integration", "jobs", id)).GetArrayLength());
        Assert.Equal("https://u1.example", (await _cli.JsonAsync("installation", "show", installation, "--as", "u1")).GetProperty("settings").GetProperty("webhook").GetString());
    }

    [Fact]
    public async Task Actions_PromotedVersion_ListsEveryActionWithItsRule()
    {
        var id = (await _cli.JsonAsync("integration", "create", "CRM")).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", id, "1.0.0");
        await _cli.OkAsync("integration", "notes", id, "1.0.0", "First");
        await _cli.OkAsync("integration", "promote", id, "1.0.0");

        var actions = (await _cli.JsonAsync("integration", "actions", id, "1.0.0")).EnumerateArray().ToList();

        Assert.Equal(13, actions.Count);
        var edit = actions.Single(a => a.GetProperty("action").GetString() == "EditContent");
        Assert.False(edit.GetProperty("permitted").GetBoolean());
        Assert.Equal("Z7", edit.GetProperty("rule").GetString());
        var table = await _cli.OkAsync("integration", "actions", id, "1.0.0");
        Assert.Contains("EditContent", table.Stdout);
    }

    [Fact]
    public async Task Deprecate_DateOutsideTheWindow_RefusedWithExit1NamingZ12WithoutDeveloperDetails()
    {
        var id = (await _cli.JsonAsync("integration", "create", "CRM", "--at", Start)).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", id, "1.0.0");

        var result = await _cli.RunAsync("integration", "deprecate", id, "1.0.0", "--date", "2026-05-10", "--reason", "Replaced", "--at", Start);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("refused (Z12): ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", result.Stderr);
    }

    [Fact]
    public async Task Delete_UnusedVersion_RemovesItButKeepsTheNumberTaken()
    {
        var id = (await _cli.JsonAsync("integration", "create", "CRM")).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", id, "1.0.0");
        await _cli.OkAsync("integration", "delete", id, "1.0.0");

        var again = await _cli.RunAsync("integration", "version", id, "1.0.0");

        Assert.Equal(1, again.ExitCode);
        Assert.StartsWith("refused (Z1): ", again.Stderr);
    }
}
