namespace Versioning.Cli.Tests;

public sealed class DemoTests : IDisposable
{
    private readonly Cli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Demo_OnAFreshTemporaryFile_CompletesTwiceWithExitCode0()
    {
        for (var run = 0; run < 2; run++)
        {
            var result = await Cli.RunRawAsync("demo", "--installations", "200", "--as", "demo");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(string.Empty, result.Stderr);
            Assert.Contains("refused (T3): ", result.Stdout);
            Assert.Contains("refused (Z8): ", result.Stdout);
            Assert.Contains("Deprecating", result.Stdout);
            Assert.Contains("Deprecated", result.Stdout);
            Assert.Contains("100%", result.Stdout);
            Assert.Contains("no longer runs", result.Stdout);
            Assert.Contains("Demo finished", result.Stdout);
        }
    }

    [Fact]
    public async Task Demo_WithExplicitDbAndJson_KeepsTheFileAndWritesASummary()
    {
        var summary = await _cli.JsonAsync("demo", "--installations", "100", "--at", "2026-05-01T00:00:00Z");

        Assert.Equal(["T3", "Z8"], summary.GetProperty("refusals").EnumerateArray().Select(r => r.GetString()).ToList());
        Assert.Equal("Completed", summary.GetProperty("migration").GetProperty("state").GetString());
        Assert.Equal(100, summary.GetProperty("migration").GetProperty("scanned").GetInt64());
        Assert.True(summary.GetProperty("canRunOnDay20").GetBoolean());
        Assert.False(summary.GetProperty("canRunOnDay31").GetBoolean());
        Assert.True(File.Exists(_cli.Database));
        Assert.Equal(2, (await _cli.JsonAsync("integration", "versions", summary.GetProperty("integration").GetString()!, "--include-deprecated", "--at", "2026-06-15T00:00:00Z")).GetArrayLength());
    }
}
