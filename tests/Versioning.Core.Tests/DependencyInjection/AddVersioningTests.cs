using NodaTime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.Authorization;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.DependencyInjection;

public class AddVersioningTests
{
    [Fact]
    public void AddVersioning_RegistersServicesSystemClockAndInMemoryStores()
    {
        var services = new ServiceCollection();
        services.AddVersioning();
        using var provider = services.BuildServiceProvider();
        Assert.Same(SystemClock.Instance, provider.GetRequiredService<IClock>());
        Assert.IsType<InMemoryTemplateRepository>(provider.GetRequiredService<ITemplateRepository>());
        Assert.IsType<InMemoryIntegrationRepository>(provider.GetRequiredService<IIntegrationRepository>());
        Assert.IsType<InMemoryInstallationRepository>(provider.GetRequiredService<IInstallationRepository>());
        Assert.IsType<InMemoryMigrationRepository>(provider.GetRequiredService<IMigrationRepository>());
        Assert.IsType<DefaultAccessPolicy>(provider.GetRequiredService<IAccessPolicy>());
        Assert.NotNull(provider.GetRequiredService<TemplateService>());
        Assert.NotNull(provider.GetRequiredService<IntegrationService>());
        Assert.NotNull(provider.GetRequiredService<MigrationService>());
        Assert.NotNull(provider.GetRequiredService<InstallationService>());
        Assert.Equal(2, provider.GetServices<IPromotionCheck>().Count());
    }

    [Fact]
    public void AddVersioning_CalledTwice_IsHarmlessAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddVersioning(o => o.EditInstallationLimit = 7);
        var count = services.Count;
        services.AddVersioning(o => o.MaxConflictRetries = 9);
        Assert.Equal(count, services.Count);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<VersioningOptions>();
        Assert.Equal((7, 9), (options.EditInstallationLimit, options.MaxConflictRetries));
        Assert.Equal(2, provider.GetServices<IPromotionCheck>().Count());
    }

    [Fact]
    public void AddVersioning_ClockRegisteredFirst_IsKept_X2()
    {
        var clock = FakeClock.FromUtc(2030, 1, 1);
        var services = new ServiceCollection().AddSingleton<IClock>(clock);
        services.AddVersioning();
        using var provider = services.BuildServiceProvider();
        Assert.Same(clock, provider.GetRequiredService<IClock>());
    }

    [Fact]
    public void AddVersioning_InvalidOptions_OneMessageListsEveryProblemAndRegistersNothing()
    {
        var services = new ServiceCollection();
        var ex = Assert.Throws<ArgumentException>(() => services.AddVersioning(o =>
        {
            o.MaxConflictRetries = -1;
            o.EditInstallationLimit = 0;
            o.MinimumDeprecationDays = 30;
            o.MaximumDeprecationDays = 10;
            o.MigrationBatchSize = 0;
        }));
        Assert.Contains("MaxConflictRetries", ex.Message);
        Assert.Contains("EditInstallationLimit", ex.Message);
        Assert.Contains("MaximumDeprecationDays", ex.Message);
        Assert.Contains("MigrationBatchSize", ex.Message);
        Assert.Empty(services);
    }

    [Fact]
    public void AddVersioning_InvalidSecondConfiguration_LeavesRegisteredOptionsUnchanged()
    {
        var services = new ServiceCollection();
        services.AddVersioning(o => o.EditInstallationLimit = 7);
        Assert.Throws<ArgumentException>(() => services.AddVersioning(o => o.EditInstallationLimit = -3));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(7, provider.GetRequiredService<VersioningOptions>().EditInstallationLimit);
    }

    [Fact]
    public void AddVersioning_NullServices_ThrowsWithParameterName()
        => Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => VersioningServiceCollectionExtensions.AddVersioning(null!)).ParamName);
}
