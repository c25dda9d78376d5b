using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.Integrations;
using Versioning.Core.Testing.Contention;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Shared;

/// <summary>Runs <see cref="ContentionProbe"/> through two hosts, each its own service provider configured the same way (X10).</summary>
internal static class ContentionHosts
{
    public static async Task<ContentionResult> RunAsync(Action<IServiceCollection> configure, int writersPerHost, int commandsPerWriter)
    {
        var providers = new List<ServiceProvider>();
        try
        {
            for (var h = 0; h < 2; h++)
            {
                var services = new ServiceCollection();
                configure(services);
                providers.Add(services.BuildServiceProvider());
            }

            return await ContentionProbe.RunAsync([.. providers.Select(p => p.GetRequiredService<IntegrationService>())], writersPerHost, commandsPerWriter);
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }
        }
    }
}
