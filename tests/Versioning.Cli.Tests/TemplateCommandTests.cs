namespace Versioning.Cli.Tests;

public sealed class TemplateCommandTests : IDisposable
{
    private readonly Cli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task TemplateLifecycle_AcrossSeparateInvocations_PersistsEveryStep()
    {
        var v1 = _cli.WriteContent("v1.json", ("New order", "Shopify", "2.0", "OrderCreated"));
        var v2 = _cli.WriteContent("v2.json", ("New order", "Shopify", "3.0", "OrderCreated"), ("Notify", "Slack", "1.0", "PostMessage"));

        var id = (await _cli.JsonAsync("template", "create", "Order sync")).GetProperty("id").GetString()!;
        Assert.Equal(1, (await _cli.JsonAsync("template", "draft", id, "--content", v1)).GetProperty("number").GetInt32());
        await _cli.OkAsync("template", "notes", id, "1", "First release");
        var promoted = await _cli.OkAsync("template", "promote", id, "1");
        Assert.Contains("Release 1 is Live.", promoted.Stdout);

        var list = await _cli.JsonAsync("template", "list");
        var row = Assert.Single(list.EnumerateArray());
        Assert.Equal(id, row.GetProperty("id").GetString());
        Assert.Equal(1, row.GetProperty("liveRelease").GetInt32());

        await _cli.OkAsync("template", "publish", id);
        var installation = await _cli.JsonAsync("template", "install", id, "--account", "acme", "--setting", "currency=EUR", "--setting", "region=eu");
        Assert.Equal("1", installation.GetProperty("pinned").GetString());
        Assert.Equal("EUR", installation.GetProperty("settings").GetProperty("currency").GetString());

        await _cli.OkAsync("template", "draft", id, "--content", v2);
        await _cli.OkAsync("template", "promote", id, "2");
        await _cli.OkAsync("template", "copy", id, "1");
        await _cli.OkAsync("template", "promote", id, "3");
        var states = (await _cli.JsonAsync("template", "releases", id)).EnumerateArray().Select(r => r.GetProperty("state").GetString()).ToList();
        Assert.Equal(["Deprecated", "Deprecated", "Live"], states);

        var upgrade = await _cli.JsonAsync("template", "upgrade", id);
        Assert.Equal("Completed", upgrade.GetProperty("state").GetString());
        Assert.Equal(1, upgrade.GetProperty("moved").GetInt64());
        var report = await _cli.JsonAsync("template", "report", id, "3");
        Assert.Equal(1, report.GetProperty("installations").GetProperty("total").GetInt64());
        Assert.Equal(1, (await _cli.JsonAsync("template", "jobs", id)).GetArrayLength());

        await _cli.OkAsync("template", "delete", id, "2");
        await _cli.OkAsync("template", "run", id, "3");
        await _cli.OkAsync("template", "pause", id, "3");
        await _cli.OkAsync("template", "rename", id, "Order sync v2");
        await _cli.OkAsync("template", "unpublish", id);
        var show = await _cli.JsonAsync("template", "show", id);
        Assert.Equal("Order sync v2", show.GetProperty("name").GetString());
        Assert.False(show.GetProperty("published").GetBoolean());
        Assert.Equal(2, show.GetProperty("releases").GetArrayLength());

        var audit = (await _cli.JsonAsync("template", "audit", id)).EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("CopiedFrom", audit);
        Assert.Contains("Deleted", audit);
        Assert.All((await _cli.JsonAsync("template", "audit", id)).EnumerateArray(), e => Assert.Equal("alice", e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task TemplateTeamAndReads_HonourAs_OutsiderSeesOnlyThePublishedLiveRelease_X7_X8()
    {
        var id = (await _cli.JsonAsync("template", "create", "Order sync")).GetProperty("id").GetString()!;
        await _cli.OkAsync("template", "draft", id);
        await _cli.OkAsync("template", "promote", id, "1");
        await _cli.OkAsync("template", "draft", id);

        Assert.NotEqual(0, (await _cli.RunAsync("template", "show", id, "--as", "mallory")).ExitCode);
        var denied = await _cli.RunAsync("template", "draft", id, "--as", "bob");
        Assert.Contains("denied", denied.Stderr, StringComparison.Ordinal);
        var team = await _cli.JsonAsync("template", "team-add", id, "bob");
        Assert.Equal(["alice", "bob"], team.GetProperty("team").EnumerateArray().Select(m => m.GetString()));
        await _cli.OkAsync("template", "draft", id, "--as", "bob");

        await _cli.OkAsync("template", "publish", id);
        var seen = await _cli.JsonAsync("template", "show", id, "--as", "mallory");
        Assert.Equal([1], seen.GetProperty("releases").EnumerateArray().Select(r => r.GetProperty("number").GetInt32()));
        Assert.NotEqual(0, (await _cli.RunAsync("template", "report", id, "2", "--as", "mallory")).ExitCode);
        Assert.NotEqual(0, (await _cli.RunAsync("template", "actions", id, "2", "--as", "mallory")).ExitCode);
        Assert.Empty((await _cli.JsonAsync("template", "audit", id, "--as", "mallory")).EnumerateArray());
        Assert.Equal(3, (await _cli.JsonAsync("template", "show", id, "--as", "bob")).GetProperty("releases").GetArrayLength());
    }

    [Fact]
    public async Task Edit_LiveRelease_IsRefusedWithT3AndExitCode1()
    {
        var content = _cli.WriteContent("c.json", ("Step", "Shopify", "2.0", "OrderCreated"));
        var id = (await _cli.JsonAsync("template", "create", "Locked")).GetProperty("id").GetString()!;
        await _cli.OkAsync("template", "draft", id);
        await _cli.OkAsync("template", "promote", id, "1");

        var result = await _cli.RunAsync("template", "edit", id, "1", "--content", content);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("refused (T3): ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Equal(0, (await _cli.JsonAsync("template", "releases", id))[0].GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task Edit_Draft_ReplacesContentOrSwapsConnector()
    {
        var content = _cli.WriteContent("c.json", ("Step", "Shopify", "2.0", "OrderCreated"));
        var id = (await _cli.JsonAsync("template", "create", "Editable")).GetProperty("id").GetString()!;
        await _cli.OkAsync("template", "draft", id);

        Assert.Equal(1, (await _cli.JsonAsync("template", "edit", id, "1", "--content", content)).GetProperty("steps").GetInt32());
        var swapped = await _cli.JsonAsync("template", "edit", id, "1", "--swap-connector", "Shopify", "--with", "Shopify@3.0");

        Assert.Equal("Shopify@3.0", swapped.GetProperty("connectors")[0].GetString());
    }

    [Fact]
    public async Task Actions_DeprecatedRelease_NamesTheBlockingRules()
    {
        var id = (await _cli.JsonAsync("template", "create", "Actions")).GetProperty("id").GetString()!;
        await _cli.OkAsync("template", "draft", id);
        await _cli.OkAsync("template", "promote", id, "1");
        await _cli.OkAsync("template", "draft", id);
        await _cli.OkAsync("template", "promote", id, "2");

        var actions = (await _cli.JsonAsync("template", "actions", id, "1")).EnumerateArray().ToDictionary(a => a.GetProperty("action").GetString()!);

        Assert.False(actions["Promote"].GetProperty("permitted").GetBoolean());
        Assert.Equal("T7", actions["Promote"].GetProperty("rule").GetString());
        Assert.True(actions["Copy"].GetProperty("permitted").GetBoolean());
    }

    [Fact]
    public async Task Install_UnpublishedTemplate_IsRefusedWithT12()
    {
        var id = (await _cli.JsonAsync("template", "create", "Hidden")).GetProperty("id").GetString()!;
        await _cli.OkAsync("template", "draft", id);
        await _cli.OkAsync("template", "promote", id, "1");

        var result = await _cli.RunAsync("template", "install", id, "--user", "u1");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("refused (T12): ", result.Stderr);
    }

    [Fact]
    public async Task Copy_ToNewTemplate_CreatesTheTemplateWithADraft()
    {
        var id = (await _cli.JsonAsync("template", "create", "Source")).GetProperty("id").GetString()!;
        await _cli.OkAsync("template", "draft", id);

        var copy = await _cli.JsonAsync("template", "copy", id, "1", "--new-template", "Fork");

        Assert.NotEqual(id, copy.GetProperty("template").GetString());
        Assert.Equal("Draft", copy.GetProperty("state").GetString());
        Assert.Equal(2, (await _cli.JsonAsync("template", "list")).GetArrayLength());
    }
}
