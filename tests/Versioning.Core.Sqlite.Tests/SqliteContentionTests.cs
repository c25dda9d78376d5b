using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Integrations;
using Versioning.Core.Testing.Contention;
using Xunit.Abstractions;

namespace Versioning.Core.Sqlite.Tests;

/// <summary>Contention on one SQLite file (X10): two hosts, each its own service provider and store instances.</summary>
public sealed class SqliteContentionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoHostsSixteenWritersEach_OneIntegration_DefaultOptions_NoEscapedConflictNoLostUpdate_X10()
    {
        var path = TempDatabase.NewPath();
        var providers = new List<ServiceProvider>();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            for (var h = 0; h < 2; h++)
            {
                var services = new ServiceCollection();
                services.AddVersioning().UseSqlite(cs);
                providers.Add(services.BuildServiceProvider());
            }

            var result = await ContentionProbe.RunAsync([.. providers.Select(p => p.GetRequiredService<IntegrationService>())], writersPerHost: 16, commandsPerWriter: 4);
            output.WriteLine(result.ToString());
            Assert.Equal(0, result.EscapedConflicts);
            Assert.Equal(2 * 16 * 4, result.Acknowledged);
            Assert.True(result.NoLostUpdate, result.ToString());
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }

            await TempDatabase.Delete(path);
        }
    }
}
