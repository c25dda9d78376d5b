using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Versioning.Core.Authorization;
using Versioning.Core.Events;
using Versioning.Core.Hosting;
using Versioning.Core.Persistence;
using Versioning.Core.Services;

namespace Versioning.Core.DependencyInjection;

/// <summary>Registers the background worker of <c>Versioning.Core.Hosting</c>.</summary>
public static class VersioningWorkerBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="VersioningWorker"/> as a hosted service (once, however often this is called; a later call's
    /// <paramref name="configure"/> applies to the same options), its options, and <see cref="VersioningWorkerHealthCheck"/>.
    /// The worker uses the stores registered with the builder (<c>UsePostgreSql</c>, <c>UseSqlite</c>, or the in-memory default).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddVersioning</c>.</param>
    /// <param name="configure">Sets the worker's options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The options are invalid (one message lists every problem); nothing is registered.</exception>
    public static VersioningBuilder AddVersioningWorker(this VersioningBuilder builder, Action<VersioningWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(VersioningWorkerOptions))?.ImplementationInstance as VersioningWorkerOptions;
        var candidate = existing?.Clone() ?? new VersioningWorkerOptions();
        configure?.Invoke(candidate);
        candidate.Validate();
        if (existing is not null)
        {
            configure?.Invoke(existing);
            return builder;
        }

        services.AddSingleton(candidate);
        services.TryAddSingleton<VersioningWorkerHealthCheck>();
        services.AddSingleton(sp => new VersioningWorker(
            sp.GetRequiredService<IWorkerStateRepository>(),
            sp.GetRequiredService<IEventReader>(),
            sp.GetRequiredService<IIntegrationRepository>(),
            sp.GetRequiredService<ITemplateRepository>(),
            sp.GetRequiredService<IInstallationRepository>(),
            sp.GetRequiredService<IMigrationRepository>(),
            sp.GetServices<IProductRepository>(),
            sp.GetRequiredService<IAccessPolicy>(),
            sp.GetRequiredService<IClock>(),
            sp.GetRequiredService<VersioningOptions>(),
            sp.GetRequiredService<VersioningWorkerOptions>(),
            sp.GetServices<IVersioningEventHandler>(),
            sp.GetServices<IDeprecationNoticeHandler>(),
            sp.GetService<ILogger<VersioningWorker>>() ?? NullLogger<VersioningWorker>.Instance));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<VersioningWorker>());
        return builder;
    }

    /// <summary>Registers an event consumer (H4) as a singleton; registering the same type twice adds it once.</summary>
    /// <typeparam name="THandler">The handler; its <see cref="IVersioningEventHandler.Name"/> must be unique.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static VersioningBuilder AddVersioningEventHandler<THandler>(this VersioningBuilder builder)
        where THandler : class, IVersioningEventHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IVersioningEventHandler, THandler>());
        return builder;
    }

    /// <summary>Registers a deprecation notice handler (H5) as a singleton; registering the same type twice adds it once.</summary>
    /// <typeparam name="THandler">The handler; its <see cref="IDeprecationNoticeHandler.Name"/> must be unique.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static VersioningBuilder AddDeprecationNoticeHandler<THandler>(this VersioningBuilder builder)
        where THandler : class, IDeprecationNoticeHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeprecationNoticeHandler, THandler>());
        return builder;
    }
}
