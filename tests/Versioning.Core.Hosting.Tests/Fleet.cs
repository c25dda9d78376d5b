using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Versioning.Core.Content;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Services;

namespace Versioning.Core.Hosting.Tests;

/// <summary>Several generic hosts, each with its own service provider (and connection pool), sharing one database.</summary>
internal sealed class Fleet : IAsyncDisposable
{
    public static readonly ActorId Team = new("team@example.com");

    private Fleet(Func<IServiceCollection, VersioningBuilder> addStore, Action<VersioningWorkerOptions> options, Action<int, IServiceCollection>? extra)
    {
        AddStore = addStore;
        Options = options;
        Extra = extra;
    }

    public FleetLog Log { get; } = new();

    public List<IHost?> Hosts { get; } = [];

    public List<RecordingWorkerState> States { get; } = [];

    private Func<IServiceCollection, VersioningBuilder> AddStore { get; }

    private Action<VersioningWorkerOptions> Options { get; }

    private Action<int, IServiceCollection>? Extra { get; }

    /// <summary>Creates a fleet with no host running yet; <see cref="StartHostAsync"/> adds hosts.</summary>
    public static Fleet Create(Func<IServiceCollection, VersioningBuilder> addStore, Action<VersioningWorkerOptions> options, Action<int, IServiceCollection>? extra = null)
        => new(addStore, options, extra);

    /// <summary>A service provider of the same configuration without a worker (for setting up and checking).</summary>
    public ServiceProvider Client()
    {
        var services = new ServiceCollection();
        AddStore(services);
        return services.BuildServiceProvider();
    }

    public async Task<int> StartHostAsync()
    {
        var index = Hosts.Count;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        var versioning = AddStore(builder.Services);
        versioning.AddVersioningWorker(o =>
        {
            o.InstanceName = $"host-{index}";
            Options(o);
        });
        Extra?.Invoke(index, builder.Services);
        var registered = builder.Services.Last(d => d.ServiceType == typeof(IWorkerStateRepository));
        RecordingWorkerState? state = null;
        builder.Services.Replace(ServiceDescriptor.Singleton<IWorkerStateRepository>(sp =>
            state = new RecordingWorkerState((IWorkerStateRepository)registered.ImplementationFactory!(sp), index, Log)));
        var host = builder.Build();
        _ = host.Services.GetRequiredService<IWorkerStateRepository>();
        States.Add(state!);
        Hosts.Add(host);
        await host.StartAsync();
        return index;
    }

    public async Task StopHostAsync(int index)
    {
        if (Hosts[index] is { } host)
        {
            Hosts[index] = null;
            await host.StopAsync();
            host.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < Hosts.Count; i++)
        {
            await StopHostAsync(i);
        }
    }

    /// <summary>Creates an integration with 1.0.0 (Available) and 1.1.0 (Promoted), the pair a migration moves between.</summary>
    public static async Task<Integration> NewIntegrationAsync(IServiceProvider services, string name = "CRM")
    {
        var integrations = services.GetRequiredService<IntegrationService>();
        var content = new WorkflowDefinition([new Step("Create contact", new ConnectorRef("Crm", "1.0"), "CreateContact")]);
        var integration = await integrations.CreateIntegrationAsync(name, Team);
        foreach (var number in new[] { "1.0.0", "1.1.0" })
        {
            var v = VersionNumber.Parse(number);
            await integrations.CreateVersionAsync(integration.Id, v, content, Team);
            await integrations.SetNotesAsync(integration.Id, v, $"Notes for {number}.", Team);
            await integrations.PromoteAsync(integration.Id, v, Team);
        }

        return integration;
    }

    /// <summary>Waits until <paramref name="done"/> holds, checking every 50 ms, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {timeout} waiting until {what}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Every stored event.</summary>
    public static async Task<List<DomainEvent>> ReadAllAsync(IEventReader reader)
    {
        var all = new List<DomainEvent>();
        while (true)
        {
            var page = await reader.ReadAsync(all.Count == 0 ? 0 : all[^1].Position, 10_000);
            all.AddRange(page);
            if (page.Count < 10_000)
            {
                return all;
            }
        }
    }
}

/// <summary>An event consumer that records every delivery and throws on the events <see cref="Poison"/> picks.</summary>
internal sealed class RecordingHandler(string name, Func<DomainEvent, bool>? poison = null) : IVersioningEventHandler
{
    private static long _sequence;

    public string Name { get; } = name;

    public ConcurrentQueue<(long Sequence, DomainEvent Event)> Deliveries { get; } = new();

    public ConcurrentDictionary<long, int> Attempts { get; } = new();

    public Func<DomainEvent, bool>? Poison { get; } = poison;

    public Task HandleAsync(DomainEvent domainEvent, CancellationToken cancellationToken)
    {
        Attempts.AddOrUpdate(domainEvent.Position, 1, (_, n) => n + 1);
        if (Poison?.Invoke(domainEvent) == true)
        {
            throw new InvalidOperationException($"Poison event {domainEvent.Position}.");
        }

        Deliveries.Enqueue((Interlocked.Increment(ref _sequence), domainEvent));
        return Task.CompletedTask;
    }
}
