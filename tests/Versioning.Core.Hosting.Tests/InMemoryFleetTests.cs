using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Hosting.Tests;

/// <summary>The fleet scenarios on the in-memory store: three hosts in one process sharing one <see cref="InMemoryStore"/>.</summary>
public sealed class InMemoryFleetTests : FleetScenarios
{
    private readonly InMemoryStore _store = new();

    /// <summary>H1–H3 in memory.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public Task ThreeHosts_StalledHolder_JobCompletesEachInstallationMovedOnce_H1_H2_H3() => MigrationSurvivesAStalledHostAsync(20_000, 1_000);

    /// <summary>H4 in memory.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public Task ThreeHosts_ConcurrentWriters_EveryEventHandledInOrder_PoisonParked_H4() => EventsDeliveredInOrderDespitePoisonAsync(2, 6);

    /// <summary>H5 in memory.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public Task ThreeHosts_EachDueNoticeRaisedOnce_H5() => EachDueNoticeRaisedOnceAcrossHostsAsync(5);

    private protected override VersioningBuilder AddStore(IServiceCollection services)
    {
        services.AddSingleton(_store);
        return services.AddVersioning();
    }

    private protected override async Task SeedAsync(IServiceProvider services, ProductRef product, VersionKey pinned, int count)
    {
        var installations = services.GetRequiredService<IInstallationRepository>();
        var at = Instant.FromUtc(2026, 3, 1, 9, 0);
        for (var n = 0; n < count; n++)
        {
            var i = new Installation
            {
                Id = InstallationId.New(),
                Product = product,
                Owner = OwnerRef.Account($"account-{n % 100}"),
                Pinned = pinned,
                Status = RunStatus.Running,
                Settings = Installation.CheckSettings([]),
                CreatedAt = at,
                UpdatedAt = at,
            };
            await installations.SaveAsync(i, InstallationEvents.Installed(i, Fleet.Team, at));
        }
    }
}
