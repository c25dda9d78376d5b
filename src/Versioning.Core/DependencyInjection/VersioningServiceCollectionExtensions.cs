using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Versioning.Core.Authorization;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Services;

namespace Versioning.Core.DependencyInjection;

/// <summary>Registers Versioning.Core in a host application's service collection.</summary>
public static class VersioningServiceCollectionExtensions
{
    /// <summary>
    /// Registers the services, <see cref="SystemClock.Instance"/> as <see cref="IClock"/> (unless one is registered),
    /// the in-memory stores, and one <see cref="IProductRepository"/> per lifecycle (templates, integrations) through which
    /// <see cref="InstallationService"/> and <see cref="MigrationService"/> find products; register another for a
    /// lifecycle of your own. Calling it again is harmless: it re-applies <paramref name="configure"/> to the same
    /// options and registers nothing twice. Options are validated here, with one message listing every problem.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options; null keeps the defaults.</param>
    /// <returns>A builder for choosing another store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static VersioningBuilder AddVersioning(this IServiceCollection services, Action<VersioningOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(VersioningOptions))?.ImplementationInstance as VersioningOptions;
        var candidate = existing?.Clone() ?? new VersioningOptions();
        configure?.Invoke(candidate);
        candidate.Validate();
        var options = existing ?? candidate;
        if (existing is not null)
        {
            configure?.Invoke(existing);
        }
        else
        {
            services.AddSingleton(options);
        }

        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton<InMemoryStore>();
        services.TryAddSingleton<ITemplateRepository>(sp => new InMemoryTemplateRepository(sp.GetRequiredService<InMemoryStore>()));
        services.TryAddSingleton<IInstallationRepository>(sp => new InMemoryInstallationRepository(sp.GetRequiredService<InMemoryStore>()));
        services.TryAddSingleton<IEventReader>(sp => new InMemoryEventReader(sp.GetRequiredService<InMemoryStore>()));
        services.TryAddSingleton<IIntegrationRepository>(sp => new InMemoryIntegrationRepository(sp.GetRequiredService<InMemoryStore>()));
        services.TryAddSingleton<IAccessPolicy, DefaultAccessPolicy>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPromotionCheck, ReleaseNotesPresentCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPromotionCheck, BreakingChangeNeedsMajorBumpCheck>());
        services.TryAddSingleton<TemplateService>();
        services.TryAddSingleton<IMigrationRepository>(sp => new InMemoryMigrationRepository(sp.GetRequiredService<InMemoryStore>()));
        services.TryAddSingleton<IWorkerStateRepository>(sp => new InMemoryWorkerStateRepository(sp.GetRequiredService<InMemoryStore>()));
        services.TryAddSingleton<IntegrationService>();

        // Product lookup by kind (A2): one IProductRepository per lifecycle; another lifecycle adds its own.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProductRepository, TemplateProductRepository>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProductRepository, IntegrationProductRepository>());
        services.TryAddSingleton(sp => new InstallationService(
            sp.GetRequiredService<IInstallationRepository>(), sp.GetServices<IProductRepository>(), sp.GetRequiredService<IAccessPolicy>(), sp.GetRequiredService<IClock>(), sp.GetRequiredService<VersioningOptions>()));
        services.TryAddSingleton(sp => new MigrationService(
            sp.GetRequiredService<IInstallationRepository>(), sp.GetRequiredService<IMigrationRepository>(), sp.GetServices<IProductRepository>(),
            sp.GetRequiredService<IAccessPolicy>(), sp.GetRequiredService<IClock>(), sp.GetRequiredService<VersioningOptions>()));
        return new VersioningBuilder(services, options);
    }
}
