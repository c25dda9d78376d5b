using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    /// the in-memory stores, <see cref="IOptions{TOptions}"/> of <see cref="VersioningOptions"/>, and one
    /// <see cref="IProductRepository"/> per lifecycle (templates, integrations) through which
    /// <see cref="InstallationService"/> and <see cref="MigrationService"/> find products; register another for a
    /// lifecycle of your own. Calling it again is harmless: it adds <paramref name="configure"/> after the earlier
    /// configuration and registers nothing twice.
    /// </summary>
    /// <remarks>
    /// The options are validated here, with everything configured by <c>AddVersioning</c> so far, and again when first
    /// resolved (or by a host at start, <c>ValidateOnStart</c>), each time with one message listing every problem. The
    /// instance the container hands out is frozen (<see cref="VersioningOptions.IsFrozen"/>): setting a property on it
    /// throws <see cref="InvalidOperationException"/>.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options; null keeps the defaults.</param>
    /// <returns>A builder for choosing another store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; nothing is registered.</exception>
    public static VersioningBuilder AddVersioning(this IServiceCollection services, Action<VersioningOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return Register(services, configure ?? (_ => { }), nameof(configure));
    }

    /// <summary>
    /// Registers Versioning.Core as <see cref="AddVersioning(IServiceCollection, Action{VersioningOptions}?)"/> does, with
    /// the options bound from a configuration section, for example
    /// <c>services.AddVersioning(configuration.GetSection("Versioning"))</c>: keys are the property names
    /// (<c>MaxConflictRetries</c>, <c>ConflictRetryBaseDelay</c> as <c>00:00:00.005</c>, <c>DeprecationTimeZone</c> as a
    /// TZDB id such as <c>Europe/London</c>). The section is read once, when the options are first resolved; later
    /// changes to it are not picked up (the options are frozen).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>A builder for choosing another store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    /// <exception cref="ArgumentException">The bound options are invalid (the message lists every problem); nothing is registered.</exception>
    public static VersioningBuilder AddVersioning(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return Register(services, o => VersioningOptionsSetup.Bind(configuration, o), nameof(configuration));
    }

    private static VersioningBuilder Register(IServiceCollection services, Action<VersioningOptions> configure, string paramName)
    {
        var setup = services.FirstOrDefault(d => d.ServiceType == typeof(IConfigureOptions<VersioningOptions>) && d.ImplementationInstance is VersioningOptionsSetup)?.ImplementationInstance as VersioningOptionsSetup;
        var first = setup is null;
        setup ??= new VersioningOptionsSetup();
        setup.Add(configure, paramName);
        if (first)
        {
            services.AddSingleton<IConfigureOptions<VersioningOptions>>(setup);
            services.AddOptions<VersioningOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VersioningOptions>, VersioningOptionsValidator>());
        }

        // The services take the validated, frozen instance.
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<VersioningOptions>>().Value);
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
            sp.GetRequiredService<IInstallationRepository>(), sp.GetServices<IProductRepository>(), sp.GetRequiredService<IAccessPolicy>(), sp.GetRequiredService<IClock>(),
            sp.GetRequiredService<VersioningOptions>(), sp.GetService<ILogger<InstallationService>>(), sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new MigrationService(
            sp.GetRequiredService<IInstallationRepository>(), sp.GetRequiredService<IMigrationRepository>(), sp.GetServices<IProductRepository>(),
            sp.GetRequiredService<IAccessPolicy>(), sp.GetRequiredService<IClock>(), sp.GetRequiredService<VersioningOptions>(),
            sp.GetService<ILogger<MigrationService>>(), sp.GetService<IMeterFactory>()));
        return new VersioningBuilder(services);
    }
}
