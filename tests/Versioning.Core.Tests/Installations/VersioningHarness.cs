using NodaTime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.Content;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Installations;

/// <summary>
/// One in-memory "host" for the installation and migration tests: a <see cref="FakeClock"/> registered before
/// <c>AddVersioning</c>, the services, the shared <see cref="InMemoryStore"/> and helpers that build integrations,
/// templates and installations. A second harness can share the store to act as another process resuming a job.
/// </summary>
internal sealed class VersioningHarness : IDisposable
{
    public static readonly ActorId Team = new("team");

    /// <summary>Crm.Create + Mail.Send: the content every version gets unless a test says otherwise.</summary>
    public static readonly WorkflowDefinition Content = new(
    [
        new Step("create contact", new ConnectorRef("Crm", "1"), "Create"),
        new Step("send mail", new ConnectorRef("Mail", "1"), "Send"),
    ]);

    /// <summary>Crm.Create only: drops the Mail connector and the Mail.Send operation (a breaking change).</summary>
    public static readonly WorkflowDefinition ContentWithoutMail = new([new Step("create contact", new ConnectorRef("Crm", "1"), "Create")]);

    private readonly ServiceProvider _provider;

    public VersioningHarness(Action<VersioningOptions>? configure = null, FakeClock? clock = null, InMemoryStore? store = null, Versioning.Core.Authorization.IAccessPolicy? policy = null)
    {
        Clock = clock ?? FakeClock.FromUtc(2026, 1, 1);
        var services = new ServiceCollection().AddSingleton<IClock>(Clock);
        if (store is not null)
        {
            services.AddSingleton(store);
        }

        if (policy is not null)
        {
            services.AddSingleton(policy);
        }

        services.AddVersioning(configure);
        _provider = services.BuildServiceProvider();
        Store = _provider.GetRequiredService<InMemoryStore>();
        Integrations = _provider.GetRequiredService<IntegrationService>();
        Templates = _provider.GetRequiredService<TemplateService>();
        Migrations = _provider.GetRequiredService<MigrationService>();
        Installations = _provider.GetRequiredService<InstallationService>();
        InstallationStore = _provider.GetRequiredService<IInstallationRepository>();
        Events = _provider.GetRequiredService<IEventReader>();
    }

    public FakeClock Clock { get; }

    public InMemoryStore Store { get; }

    public IntegrationService Integrations { get; }

    public TemplateService Templates { get; }

    public MigrationService Migrations { get; }

    public InstallationService Installations { get; }

    public IInstallationRepository InstallationStore { get; }

    public IEventReader Events { get; }

    public static VersionNumber V(string text) => VersionNumber.Parse(text);

    public static VersionKey K(string text) => VersionKey.ForVersion(VersionNumber.Parse(text));

    /// <summary>An integration whose first version (1.0.0 unless given) is Promoted.</summary>
    public async Task<IntegrationId> NewIntegrationAsync(string first = "1.0.0", WorkflowDefinition? content = null)
    {
        var integration = await Integrations.CreateIntegrationAsync("App", Team);
        await AddVersionAsync(integration.Id, first, content, promote: true);
        return integration.Id;
    }

    /// <summary>Creates a Private version with release notes, and optionally promotes it.</summary>
    public async Task AddVersionAsync(IntegrationId id, string number, WorkflowDefinition? content = null, bool promote = false)
    {
        await Integrations.CreateVersionAsync(id, V(number), content ?? Content, Team);
        await Integrations.SetNotesAsync(id, V(number), $"Notes for {number}.", Team);
        if (promote)
        {
            await Integrations.PromoteAsync(id, V(number), Team);
        }
    }

    /// <summary>Installs through the service (the Promoted version unless one is named), as the owner's own user.</summary>
    public Task<Installation> InstallAsync(IntegrationId id, OwnerRef owner, string? version = null, IEnumerable<KeyValuePair<string, string>>? settings = null, ActorId? by = null)
        => Integrations.InstallAsync(id, owner, by ?? Team, settings, version is null ? null : V(version));

    /// <summary>Installs <paramref name="count"/> users' installations, each with its own setting.</summary>
    public async Task<IReadOnlyList<Installation>> InstallUsersAsync(IntegrationId id, int count, string prefix = "u")
    {
        var installed = new List<Installation>(count);
        for (var i = 0; i < count; i++)
        {
            installed.Add(await InstallAsync(id, OwnerRef.User($"{prefix}{i}"), settings: [new("index", i.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        }

        return installed;
    }

    /// <summary>
    /// Writes installations straight into the store (no service round trip): for large or generated populations.
    /// Ids come from <paramref name="random"/> so a run is reproducible.
    /// </summary>
    public async Task<IReadOnlyList<Installation>> SeedAsync(ProductRef product, VersionKey pinned, int count, Random random)
    {
        var repository = new InMemoryInstallationRepository(Store);
        var at = Clock.GetCurrentInstant();
        var seeded = new List<Installation>(count);
        var bytes = new byte[16];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            var owner = i % 3 == 0 ? OwnerRef.Account($"a{i % 7}") : OwnerRef.User($"u{i}");
            var installation = new Installation
            {
                Id = new InstallationId(new Guid(bytes)),
                Product = product,
                Owner = owner,
                Pinned = pinned,
                Status = i % 2 == 0 ? RunStatus.Running : RunStatus.Paused,
                Settings = Installation.CheckSettings([new("index", i.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
                CreatedAt = at,
                UpdatedAt = at,
            };
            seeded.Add(await repository.SaveAsync(installation, InstallationEvents.Installed(installation, Team, at)));
        }

        return seeded;
    }

    /// <summary>A published template whose release 1 (with <see cref="Content"/>) is Live.</summary>
    public async Task<TemplateId> NewTemplateAsync()
    {
        var template = await Templates.CreateTemplateAsync("Onboarding", Team);
        await Templates.SetPublishedAsync(template.Id, true, Team);
        var draft = await Templates.CreateDraftAsync(template.Id, Content, Team);
        await Templates.PromoteAsync(template.Id, draft.Number, Team);
        return template.Id;
    }

    /// <summary>Adds a Draft and promotes it; the previous Live release becomes Deprecated (T6).</summary>
    public async Task<ReleaseNumber> PromoteNewReleaseAsync(TemplateId id)
    {
        var draft = await Templates.CreateDraftAsync(id, Content, Team);
        await Templates.PromoteAsync(id, draft.Number, Team);
        return draft.Number;
    }

    /// <summary>Every installation of a product, by id.</summary>
    public async Task<Dictionary<InstallationId, Installation>> AllInstallationsAsync(ProductRef product)
    {
        var all = new Dictionary<InstallationId, Installation>();
        InstallationId? after = null;
        while (true)
        {
            var page = await InstallationStore.ListAsync(product, after, 10_000);
            foreach (var installation in page)
            {
                all.Add(installation.Id, installation);
            }

            if (page.Count < 10_000)
            {
                return all;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>Every stored event, in position order.</summary>
    public async Task<IReadOnlyList<DomainEvent>> AllEventsAsync()
    {
        var all = new List<DomainEvent>();
        while (true)
        {
            var page = await Events.ReadAsync(all.Count, 10_000);
            all.AddRange(page);
            if (page.Count < 10_000)
            {
                return all;
            }
        }
    }

    /// <summary>What a refused command must leave unchanged (X1): counts per version, jobs, events, the aggregate's revision.</summary>
    public async Task<StoreState> CaptureAsync(ProductRef product)
    {
        var counts = await InstallationStore.CountByVersionAsync(product);
        var jobs = await Migrations.ListJobsAsync(product, Team);
        long revision = product.Kind == ProductKind.Integration
            ? (await Integrations.GetIntegrationAsync(new IntegrationId(product.Id), Team)).Revision
            : (await Templates.GetTemplateAsync(new TemplateId(product.Id), Team)).Revision;
        return new StoreState(
            counts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value.Running}/{kv.Value.Paused}").ToArray(),
            jobs.Select(j => $"{j.Id}:{j.State}:{j.Revision}").ToArray(),
            Store.EventCount,
            revision);
    }

    public void Dispose() => _provider.Dispose();

    /// <summary>A comparable picture of the store for X1 checks.</summary>
    internal sealed record StoreState(string[] Counts, string[] Jobs, long EventCount, long AggregateRevision)
    {
        public void AssertSameAs(StoreState before)
        {
            Assert.Equal(before.Counts, Counts);
            Assert.Equal(before.Jobs, Jobs);
            Assert.Equal(before.EventCount, EventCount);
            Assert.Equal(before.AggregateRevision, AggregateRevision);
        }
    }
}

/// <summary>An <see cref="IProgress{T}"/> that records synchronously (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class RecordingProgress<T> : IProgress<T>
{
    private readonly Action<T>? _then;

    public RecordingProgress(Action<T>? then = null) => _then = then;

    public List<T> Reports { get; } = [];

    public void Report(T value)
    {
        Reports.Add(value);
        _then?.Invoke(value);
    }
}
