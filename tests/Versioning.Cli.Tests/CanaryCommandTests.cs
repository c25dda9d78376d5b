namespace Versioning.Cli.Tests;

/// <summary><c>integration canary create|list|delete</c> (K1–K4) on a SQLite database, with the Zapier CLI's messages.</summary>
public sealed class CanaryCommandTests : IDisposable
{
    private const string Start = "2026-05-01T00:00:00Z";
    private readonly Cli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task CanaryCreate_ListThenExpire_ZapierMessagesAndNoInstallationChanged_K1_K3_K5()
    {
        var id = await TwoVersionsAsync();

        var created = await _cli.OkAsync("integration", "canary", "create", id, "1.0.0", "1.0.1", "--percent", "10", "--duration", "3600", "--user", "carol", "--at", Start);

        Assert.Contains("Creating canary deployment", created.Stdout);
        Assert.Contains("- From version: 1.0.0", created.Stdout);
        Assert.Contains("- To version: 1.0.1", created.Stdout);
        Assert.Contains("- Percentage: 10%", created.Stdout);
        Assert.Contains("- Duration: 3600 seconds", created.Stdout);
        Assert.Contains("- User: carol", created.Stdout);
        Assert.Contains("Canary deployment created successfully", created.Stdout);

        var listed = await _cli.OkAsync("integration", "canary", "list", id, "--at", "2026-05-01T00:10:00Z");
        Assert.Contains("Active Canaries", listed.Stdout);
        Assert.Contains("3000", listed.Stdout);
        var json = Assert.Single((await _cli.JsonAsync("integration", "canary", "list", id, "--at", "2026-05-01T00:59:59Z")).EnumerateArray());
        Assert.Equal((1L, "carol", "2026-05-01T01:00:00Z"), (json.GetProperty("secondsRemaining").GetInt64(), json.GetProperty("user").GetString(), json.GetProperty("endsAt").GetString()));

        Assert.Contains("No active canary deployments found.", (await _cli.OkAsync("integration", "canary", "list", id, "--at", "2026-05-01T01:00:00Z")).Stdout);
        var versions = await _cli.JsonAsync("integration", "versions", id);
        Assert.Equal(2, versions[0].GetProperty("installations").GetInt64());
        Assert.Equal(0, versions[1].GetProperty("installations").GetInt64());
    }

    [Fact]
    public async Task CanaryCreate_WhileOneIsActive_RefusedWithK1_K1()
    {
        var id = await TwoVersionsAsync();
        await _cli.OkAsync("integration", "canary", "create", id, "1.0.0", "1.0.1", "-p", "10", "-d", "60", "--at", Start);

        var second = await _cli.RunAsync("integration", "canary", "create", id, "1.0.1", "1.0.0", "-p", "10", "-d", "60", "--at", "2026-05-01T00:00:59Z");
        var after = await _cli.RunAsync("integration", "canary", "create", id, "1.0.1", "1.0.0", "-p", "10", "-d", "60", "--at", "2026-05-01T00:01:00Z");

        Assert.Equal(1, second.ExitCode);
        Assert.StartsWith("refused (K1): ", second.Stderr);
        Assert.Contains("Delete it first", second.Stderr);
        Assert.Equal(0, after.ExitCode);
    }

    [Theory]
    [InlineData("0", "3600")]
    [InlineData("101", "3600")]
    [InlineData("10", "29")]
    [InlineData("10", "86401")]
    public async Task CanaryCreate_PercentOrDurationOutOfRange_RefusedNamingK1_K1(string percent, string duration)
    {
        var id = await TwoVersionsAsync();

        var result = await _cli.RunAsync("integration", "canary", "create", id, "1.0.0", "1.0.1", "--percent", percent, "--duration", duration);

        // A value the rule forbids is a rule refusal (exit 1), like the Z12 deprecation window; malformed input exits 2.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("(K1)", result.Stderr);
        Assert.Equal(0, (await _cli.JsonAsync("integration", "canary", "list", id)).GetArrayLength());
    }

    [Fact]
    public async Task CanaryCreate_SameVersionOrAsOutsider_Refused_K1_K4()
    {
        var id = await TwoVersionsAsync();

        var same = await _cli.RunAsync("integration", "canary", "create", id, "1.0.0", "1.0.0", "-p", "10", "-d", "60");
        var outsider = await _cli.RunAsync("integration", "canary", "create", id, "1.0.0", "1.0.1", "-p", "10", "-d", "60", "--as", "mallory");

        Assert.StartsWith("refused (K1): ", same.Stderr);
        Assert.Equal(1, outsider.ExitCode);
        Assert.StartsWith("denied: ", outsider.Stderr);
        Assert.Contains("StartCanary", outsider.Stderr);
    }

    [Fact]
    public async Task CanaryDelete_ActiveCanary_DeletedAndAudited_K4()
    {
        var id = await TwoVersionsAsync();
        await _cli.OkAsync("integration", "canary", "create", id, "1.0.0", "1.0.1", "-p", "50", "-d", "600", "--account", "acme", "--at", Start);

        var deleted = await _cli.OkAsync("integration", "canary", "delete", id, "1.0.0", "1.0.1", "--at", "2026-05-01T00:05:00Z");
        var again = await _cli.RunAsync("integration", "canary", "delete", id, "1.0.0", "1.0.1", "--at", "2026-05-01T00:06:00Z");

        Assert.Contains("Deleting active canary from 1.0.0 to 1.0.1", deleted.Stdout);
        Assert.Contains("Canary deployment deleted successfully.", deleted.Stdout);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("There is no active canary from version 1.0.0 to version 1.0.1", again.Stderr);
        var history = (await _cli.JsonAsync("integration", "audit", id)).EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["CanaryStarted", "CanaryDeleted"], history.Where(a => a!.StartsWith("Canary", StringComparison.Ordinal)));
    }

    /// <summary>An integration with 1.0.0 (Available, two installations) and 1.0.1 (Promoted), same content.</summary>
    private async Task<string> TwoVersionsAsync()
    {
        var content = _cli.WriteContent("v1.json", ("Find contact", "Salesforce", "58.0", "FindContact"));
        var id = (await _cli.JsonAsync("integration", "create", "CRM", "--at", "2026-04-01T00:00:00Z")).GetProperty("id").GetString()!;
        await _cli.OkAsync("integration", "version", id, "1.0.0", "--content", content);
        await _cli.OkAsync("integration", "notes", id, "1.0.0", "First");
        await _cli.OkAsync("integration", "promote", id, "1.0.0");
        await _cli.OkAsync("integration", "install", id, "--account", "acme");
        await _cli.OkAsync("integration", "install", id, "--user", "carol");
        await _cli.OkAsync("integration", "clone", id, "1.0.0", "1.0.1");
        await _cli.OkAsync("integration", "promote", id, "1.0.1");
        return id;
    }
}
