using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Services;

namespace Versioning.Core.Testing.Conformance;

/// <summary>
/// One container of the conformance suite (A3): <c>AddVersioning</c> with a clock the suite controls, the store under test
/// registered by <see cref="StoreConformanceTests"/>' <c>AddStores</c>, and the services resolved from it — what a host
/// application runs. Disposed with the test's <see cref="VersioningStores"/>.
/// </summary>
public sealed class ConformanceHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly object _database;
    private readonly Func<ValueTask>? _drop;
    private readonly List<ConformanceHost> _reopened = [];
    private readonly SettableClock _clock;
    private int _disposed;

    private ConformanceHost(ServiceProvider provider, object database, VersioningStores? given, Func<ValueTask>? drop, SettableClock clock)
    {
        _provider = provider;
        _database = database;
        _drop = drop;
        _clock = clock;
        BuiltStores = given is null;
        Stores = given ?? new VersioningStores(
            provider.GetRequiredService<ITemplateRepository>(),
            provider.GetRequiredService<IIntegrationRepository>(),
            provider.GetRequiredService<IInstallationRepository>(),
            provider.GetRequiredService<IMigrationRepository>(),
            provider.GetRequiredService<IEventReader>(),
            DisposeAsync);
    }

    /// <summary>True when the container registered the store itself (<c>AddStores</c>), so it can be built again over the same database.</summary>
    internal bool BuiltStores { get; }

    /// <summary>The container.</summary>
    public IServiceProvider Services => _provider;

    /// <summary>The repositories resolved from the container.</summary>
    public VersioningStores Stores { get; }

    /// <summary>The template service resolved from the container.</summary>
    public TemplateService Templates => _provider.GetRequiredService<TemplateService>();

    /// <summary>The integration service resolved from the container.</summary>
    public IntegrationService Integrations => _provider.GetRequiredService<IntegrationService>();

    /// <summary>The installation service resolved from the container.</summary>
    public InstallationService Installations => _provider.GetRequiredService<InstallationService>();

    /// <summary>The migration service resolved from the container.</summary>
    public MigrationService Migrations => _provider.GetRequiredService<MigrationService>();

    /// <summary>The instant the services read from their clock; the suite starts it at its own "now".</summary>
    public Instant Now
    {
        get => _clock.Now;
        set => _clock.Now = value;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        ConformanceHost[] reopened;
        lock (_reopened)
        {
            reopened = [.. _reopened];
            _reopened.Clear();
        }

        foreach (var host in reopened)
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }

        await _provider.DisposeAsync().ConfigureAwait(false);
        if (_drop is not null)
        {
            await _drop().ConfigureAwait(false);
        }
    }

    /// <summary>Builds a container with <paramref name="addStores"/> over <paramref name="database"/>.</summary>
    internal static ConformanceHost Build(Action<VersioningBuilder, object> addStores, object database, VersioningStores? given, Func<ValueTask>? drop)
    {
        var clock = new SettableClock();
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        var builder = services.AddVersioning();
        addStores(builder, database);
        return new ConformanceHost(services.BuildServiceProvider(), database, given, drop, clock);
    }

    /// <summary>Registers repositories built by a subclass (the older <c>CreateStoresAsync</c> hook) in place of the in-memory ones.</summary>
    internal static void Register(VersioningBuilder builder, VersioningStores stores)
    {
        var services = builder.Services;
        services.Replace(ServiceDescriptor.Singleton(stores.Templates));
        services.Replace(ServiceDescriptor.Singleton(stores.Integrations));
        services.Replace(ServiceDescriptor.Singleton(stores.Installations));
        services.Replace(ServiceDescriptor.Singleton(stores.Migrations));
        services.Replace(ServiceDescriptor.Singleton(stores.Events));
    }

    /// <summary>A second container over the same database (another "host"), disposed with this one.</summary>
    internal ConformanceHost Reopen(Action<VersioningBuilder, object> addStores)
    {
        var host = Build(addStores, _database, null, null);
        lock (_reopened)
        {
            _reopened.Add(host);
        }

        return host;
    }

    private sealed class SettableClock : IClock
    {
        public Instant Now { get; set; } = Instant.FromUtc(2026, 3, 1, 9, 30, 15).PlusTicks(1_234_567);

        public Instant GetCurrentInstant() => Now;
    }
}
