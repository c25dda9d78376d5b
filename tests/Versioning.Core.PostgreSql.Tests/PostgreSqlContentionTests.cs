using Versioning.Core.DependencyInjection;
using Versioning.Core.Tests.Shared;
using Xunit.Abstractions;

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>Contention on one PostgreSQL schema (X10): two hosts, each its own service provider and data source.</summary>
public sealed class PostgreSqlContentionTests(ITestOutputHelper output)
{
    [PostgresFact]
    public async Task TwoHostsSixteenWritersEach_OneIntegration_DefaultOptions_NoEscapedConflictNoLostUpdate_X10()
    {
        await using var schema = new TestSchema();
        var result = await ContentionHosts.RunAsync(services => services.AddVersioning().UsePostgreSql(PostgresServer.ConnectionString, schema.Name), writersPerHost: 16, commandsPerWriter: 4);
        output.WriteLine(result.ToString());
        Assert.Equal(0, result.EscapedConflicts);
        Assert.Equal(2 * 16 * 4, result.Acknowledged);
        Assert.True(result.NoLostUpdate, result.ToString());
    }
}
