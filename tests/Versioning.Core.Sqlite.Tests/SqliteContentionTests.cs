using Versioning.Core.DependencyInjection;
using Versioning.Core.Tests.Shared;
using Xunit.Abstractions;

namespace Versioning.Core.Sqlite.Tests;

/// <summary>Contention on one SQLite file (X10): two hosts, each its own service provider and store instances.</summary>
public sealed class SqliteContentionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoHostsSixteenWritersEach_OneIntegration_DefaultOptions_NoEscapedConflictNoLostUpdate_X10()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            var result = await ContentionHosts.RunAsync(services => services.AddVersioning().UseSqlite(cs), writersPerHost: 16, commandsPerWriter: 4);
            output.WriteLine(result.ToString());
            Assert.Equal(0, result.EscapedConflicts);
            Assert.Equal(2 * 16 * 4, result.Acknowledged);
            Assert.True(result.NoLostUpdate, result.ToString());
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }
}
