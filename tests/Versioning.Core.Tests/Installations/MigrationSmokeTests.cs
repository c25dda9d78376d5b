using NodaTime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.Content;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Installations;

public class MigrationSmokeTests
{
    [Fact]
    public async Task Migration_HalfOfInstallations_MovesCohortAndRecordsHistory_M4()
    {
        var clock = FakeClock.FromUtc(2026, 1, 1);
        var services = new ServiceCollection().AddSingleton<IClock>(clock);
        services.AddVersioning();
        using var provider = services.BuildServiceProvider();
        var integrations = provider.GetRequiredService<IntegrationService>();
        var migrations = provider.GetRequiredService<MigrationService>();
        var team = new ActorId("team");
        var content = new WorkflowDefinition([new Step("s", new ConnectorRef("Crm", "1"), "Create")]);
        var app = await integrations.CreateIntegrationAsync("App", team);
        await integrations.CreateVersionAsync(app.Id, VersionNumber.Parse("1.0.0"), content, team);
        await integrations.SetNotesAsync(app.Id, VersionNumber.Parse("1.0.0"), "first", team);
        await integrations.PromoteAsync(app.Id, VersionNumber.Parse("1.0.0"), team);
        for (var i = 0; i < 2000; i++)
        {
            await integrations.InstallAsync(app.Id, OwnerRef.User($"u{i}"), new ActorId($"u{i}"));
        }

        await integrations.CloneVersionAsync(app.Id, VersionNumber.Parse("1.0.0"), VersionNumber.Parse("1.1.0"), team);
        await integrations.SetNotesAsync(app.Id, VersionNumber.Parse("1.1.0"), "second", team);
        await integrations.PromoteAsync(app.Id, VersionNumber.Parse("1.1.0"), team);

        var job = await migrations.StartMigrationAsync(app.Id, VersionNumber.Parse("1.0.0"), VersionNumber.Parse("1.1.0"), MigrationScope.Percentage(50), team, batchSize: 300);
        Assert.Equal(2000, job.Total);
        job = await migrations.RunAsync(job.Id, team, maxBatches: 2);
        Assert.Equal(MigrationState.InProgress, job.State);
        job = await migrations.RunAsync(job.Id, team);
        Assert.Equal(MigrationState.Completed, job.State);
        Assert.InRange(job.Moved, 850, 1150);
        var listing = await integrations.ListVersionsAsync(app.Id, team);
        Assert.Equal(job.Moved, listing.Single(v => v.Number == VersionNumber.Parse("1.1.0")).InstallationCount);
        Assert.Equal(2000 - job.Moved, listing.Single(v => v.Number == VersionNumber.Parse("1.0.0")).InstallationCount);
    }
}
