using NodaTime.Testing;
using Versioning.Core.Authorization;
using Versioning.Core.Content;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Integrations;

/// <summary>
/// One in-memory world for integration tests: a fake clock, the in-memory stores, an event reader and an
/// <see cref="IntegrationService"/> built directly (no DI), plus short ways to reach the states the rules talk about.
/// </summary>
internal sealed class IntegrationHarness
{
    /// <summary>Midnight UTC, so "21 days from now" is a whole date.</summary>
    public static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 0, 0);

    public static readonly ActorId Owner = new("alice");
    public static readonly ActorId Teammate = new("bob");
    public static readonly ActorId Outsider = new("olivia");
    public static readonly ActorId OtherOutsider = new("oscar");

    public IntegrationHarness(Action<VersioningOptions>? configure = null, IEnumerable<IPromotionCheck>? checks = null, Instant? start = null)
    {
        Clock = new FakeClock(start ?? Start);
        Options = new VersioningOptions();
        configure?.Invoke(Options);
        Options.Validate();
        Store = new InMemoryStore();
        Integrations = new InMemoryIntegrationRepository(Store);
        Installations = new InMemoryInstallationRepository(Store);
        Events = new InMemoryEventReader(Store);
        Service = new IntegrationService(
            Integrations,
            Installations,
            checks ?? [new ReleaseNotesPresentCheck(), new BreakingChangeNeedsMajorBumpCheck()],
            new DefaultAccessPolicy(),
            Clock,
            Options);
    }

    public FakeClock Clock { get; }

    public VersioningOptions Options { get; }

    public InMemoryStore Store { get; }

    public InMemoryIntegrationRepository Integrations { get; }

    public InMemoryInstallationRepository Installations { get; }

    public InMemoryEventReader Events { get; }

    public IntegrationService Service { get; }

    public Instant Now => Clock.GetCurrentInstant();

    /// <summary>Today's date in UTC.</summary>
    public LocalDate Today => Clock.GetCurrentInstant().InUtc().Date;

    public static VersionNumber V(string text) => VersionNumber.Parse(text);

    /// <summary>A workflow with one step per (connector, operation) pair.</summary>
    public static WorkflowDefinition Workflow(params (string Connector, string Operation)[] steps)
        => new(steps.Select((s, i) => new Step($"step {i + 1}", new ConnectorRef(s.Connector, "1.0"), s.Operation)));

    /// <summary>The content most tests use: a CRM trigger and a mail action.</summary>
    public static WorkflowDefinition CrmContent { get; } = Workflow(("Salesforce", "NewLead"), ("Gmail", "SendEmail"));

    public async Task<IntegrationId> NewIntegrationAsync(string name = "CRM sync")
    {
        var integration = await Service.CreateIntegrationAsync(name, Owner);
        return integration.Id;
    }

    /// <summary>Creates a version with content and (unless null) release notes, so it passes the built-in checks.</summary>
    public async Task<IntegrationVersion> CreateAsync(IntegrationId id, string number, WorkflowDefinition? content = null, string? notes = "Initial notes.")
    {
        var version = await Service.CreateVersionAsync(id, V(number), content ?? CrmContent, Owner);
        return notes is null ? version : await Service.SetNotesAsync(id, version.Number, notes, Owner);
    }

    public Task<PromotionResult> PromoteAsync(IntegrationId id, string number) => Service.PromoteAsync(id, V(number), Owner);

    public Task<IntegrationVersion> MarkLegacyAsync(IntegrationId id, string number) => Service.MarkLegacyAsync(id, V(number), Owner);

    /// <summary>Deprecates a version on the date <paramref name="days"/> days from today (UTC), for reason ApiChange.</summary>
    public Task<DeprecationSchedule> DeprecateAsync(IntegrationId id, string number, int days = 30)
        => Service.DeprecateAsync(id, V(number), Today.PlusDays(days), DeprecationReason.ApiChange, null, Owner);

    /// <summary>Installs for an account, naming <paramref name="number"/> (or the Promoted version when null).</summary>
    public Task<Installation> InstallAsync(IntegrationId id, string? number = null, ActorId? by = null, string account = "acme")
        => Service.InstallAsync(id, OwnerRef.Account(account), by ?? Owner, version: number is null ? null : V(number));

    /// <summary>Installs for <paramref name="by"/> as the owning user (a user share reaches only installations the user owns, X8).</summary>
    public Task<Installation> InstallForSelfAsync(IntegrationId id, string? number, ActorId by)
        => Service.InstallAsync(id, OwnerRef.User(by.Value), by, version: number is null ? null : V(number));

    /// <summary>Installs <paramref name="count"/> times as a team member, naming <paramref name="number"/>.</summary>
    public async Task InstallManyAsync(IntegrationId id, string number, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await InstallAsync(id, number, Owner, $"account-{i}");
        }
    }

    public Task<Integration> LoadAsync(IntegrationId id) => Service.GetIntegrationAsync(id, Owner);

    public async Task<IntegrationVersion> VersionAsync(IntegrationId id, string number) => (await LoadAsync(id)).GetVersion(V(number));

    /// <summary>The snapshot the in-memory store holds right now (the very object, so reference equality means "not saved").</summary>
    internal InMemoryStoredIntegration Stored(IntegrationId id)
    {
        lock (Store.Gate)
        {
            return Store.Integrations[id];
        }
    }

    /// <summary>Every event stored so far, read through the public event reader.</summary>
    public async Task<IReadOnlyList<DomainEvent>> AllEventsAsync()
    {
        var all = new List<DomainEvent>();
        while (true)
        {
            var page = await Events.ReadAsync(all.Count, 10_000);
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
        }
    }

    /// <summary>
    /// An integration with 1.0.0 Available, 1.1.0 Promoted, 1.2.0 Legacy, 1.3.0 Deprecating (30 days out),
    /// 1.4.0 Private and 1.5.0-beta Private (labeled).
    /// </summary>
    public async Task<IntegrationId> EveryStateAsync()
    {
        var id = await NewIntegrationAsync();
        foreach (var n in new[] { "1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0" })
        {
            await CreateAsync(id, n);
        }

        await CreateAsync(id, "1.5.0-beta");
        await PromoteAsync(id, "1.0.0");
        await PromoteAsync(id, "1.1.0");
        await MarkLegacyAsync(id, "1.2.0");
        await DeprecateAsync(id, "1.3.0", 30);
        return id;
    }
}
