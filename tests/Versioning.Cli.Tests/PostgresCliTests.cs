namespace Versioning.Cli.Tests;

/// <summary>The tool against a real PostgreSQL server (VERSIONING_TEST_POSTGRES); required in CI, skipped with the reason elsewhere.</summary>
public sealed class PostgresCliTests
{
    [PostgresCliFact]
    public async Task Postgres_StatePersistsBetweenInvocations()
    {
        var cs = Environment.GetEnvironmentVariable("VERSIONING_TEST_POSTGRES");
        Assert.False(string.IsNullOrWhiteSpace(cs), "VERSIONING_TEST_POSTGRES is not set: CI must provide a PostgreSQL server (.ci/postgres.sh).");
        var name = "CLI on PostgreSQL " + Guid.NewGuid().ToString("N");

        var created = await Cli.RunRawAsync("--postgres", cs!, "--as", "alice", "template", "create", name, "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var list = await Cli.RunRawAsync("--postgres", cs!, "--as", "alice", "template", "list", "--json");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(name, list.Stdout);
    }
}

/// <summary>A fact that needs PostgreSQL: skipped with the reason when the server is not configured, except in CI.</summary>
public sealed class PostgresCliFactAttribute : FactAttribute
{
    public PostgresCliFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("VERSIONING_TEST_POSTGRES"))
            && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "VERSIONING_TEST_POSTGRES is not set (an Npgsql connection string); outside CI the PostgreSQL tests are skipped. Run `source .ci/postgres.sh` to start a local server.";
        }
    }
}
