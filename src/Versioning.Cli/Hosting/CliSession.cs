using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Versioning.Core;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Versioning.Core.Services;
using Versioning.Cli.Input;

namespace Versioning.Cli.Hosting;

/// <summary>The library's services for one invocation, on the chosen store and clock.</summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private CliSession(ServiceProvider provider, IClock clock)
    {
        _provider = provider;
        Clock = clock;
        Templates = provider.GetRequiredService<TemplateService>();
        Integrations = provider.GetRequiredService<IntegrationService>();
        Installations = provider.GetRequiredService<InstallationService>();
        Migrations = provider.GetRequiredService<MigrationService>();
    }

    /// <summary>The clock every command reads.</summary>
    public IClock Clock { get; }

    /// <summary>Template release commands.</summary>
    public TemplateService Templates { get; }

    /// <summary>Integration version commands.</summary>
    public IntegrationService Integrations { get; }

    /// <summary>Installation commands.</summary>
    public InstallationService Installations { get; }

    /// <summary>Migration and upgrade jobs.</summary>
    public MigrationService Migrations { get; }

    /// <summary>Registers the library on <paramref name="store"/> with <paramref name="clock"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="readOnly">Whether the command only reads: the store is opened read-only and never created.</param>
    /// <returns>The session.</returns>
    /// <exception cref="CliUsageException">The store cannot be used.</exception>
    public static CliSession Open(StoreChoice store, IClock clock, bool readOnly = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        StoreSelection.Use(services.AddVersioning(), store, readOnly);
        return new CliSession(services.BuildServiceProvider(), clock);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
