using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Versioning.Core.Content;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Xunit;

namespace Versioning.Core.Testing.Conformance;

/// <summary>
/// The store conformance suite, in the shape of ASP.NET Core Identity's specification tests: subclass it in your test
/// project, override <see cref="CreateDatabase"/> and <see cref="AddStores"/> (register your store in the container as a
/// host would, for example with <c>builder.UseSqlite(...)</c>), and every public <c>[Fact]</c> here runs against your
/// store — round trips of every field, stale revisions (X3), concurrent writers, the transactional outbox (X4), set-based
/// migration batches and a migration stopped and resumed (M5), and the services resolved from the container driving it
/// (A3). Every test is virtual: to opt out of a capability your store does not offer, override that test with
/// <c>[Fact(Skip = "why")]</c>, so the report shows it skipped, with the reason.
/// </summary>
/// <remarks>
/// The older hooks still work: override <see cref="CreateStoresAsync"/> (and <see cref="ReopenAsync"/>) to hand the
/// repositories over directly; the tests that drive services then register those repositories in the container.
/// </remarks>
public abstract partial class StoreConformanceTests
{
    private readonly Dictionary<VersioningStores, ConformanceHost> _hosts = [];

    /// <summary>A fixed instant the tests use as "now" (with sub-second precision, to check instants round-trip).</summary>
    protected static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 9, 30, 15).PlusTicks(1_234_567);

    /// <summary>The actor the tests use.</summary>
    protected static readonly ActorId Actor = new("conformance@example.com");

    /// <summary>Text that breaks naive SQL or JSON: quotes, semicolons, keywords, backslashes, non-ASCII.</summary>
    protected const string Tricky = "O'Brien \"quoted\"; DROP TABLE templates; -- % _ \\ Ünïcødé ✓ 🚀";

    /// <summary>Shorthand for a release number in these tests.</summary>
    private static ReleaseNumber R(int number) => new(number);

    /// <summary>
    /// Names one fresh, empty database for one test: a file path, a schema name, an <see cref="InMemoryStore"/> — whatever
    /// <see cref="AddStores"/> needs to register the store over it. Called once per test.
    /// </summary>
    /// <returns>The database; passed to <see cref="AddStores"/> and <see cref="DropDatabaseAsync"/>.</returns>
    /// <exception cref="NotSupportedException">Neither this nor <see cref="CreateStoresAsync"/> is overridden.</exception>
    protected virtual object CreateDatabase()
        => throw new NotSupportedException($"{GetType().Name} must override CreateDatabase and AddStores (or CreateStoresAsync).");

    /// <summary>
    /// Registers the store under test over <paramref name="database"/>, as a host would (A3): replace the repositories
    /// <c>AddVersioning</c> registered (<see cref="ITemplateRepository"/>, <see cref="IIntegrationRepository"/>,
    /// <see cref="IInstallationRepository"/>, <see cref="IMigrationRepository"/>, <see cref="Events.IEventReader"/>). Called
    /// once per container: the suite builds a second container over the same database to check durability.
    /// </summary>
    /// <param name="builder">The builder <c>AddVersioning</c> returned.</param>
    /// <param name="database">What <see cref="CreateDatabase"/> returned.</param>
    /// <exception cref="NotSupportedException">Not overridden, and <see cref="CreateStoresAsync"/> is not either.</exception>
    protected virtual void AddStores(VersioningBuilder builder, object database)
        => throw new NotSupportedException($"{GetType().Name} must override AddStores and CreateDatabase (or CreateStoresAsync).");

    /// <summary>Drops a test's database once every container over it is disposed. The default does nothing.</summary>
    /// <param name="database">What <see cref="CreateDatabase"/> returned.</param>
    /// <returns>A task.</returns>
    protected virtual ValueTask DropDatabaseAsync(object database) => ValueTask.CompletedTask;

    /// <summary>
    /// Creates the repositories of one fresh, empty database. Called once per test. The default resolves them from a
    /// container built with <see cref="AddStores"/> over <see cref="CreateDatabase"/>.
    /// </summary>
    /// <returns>The stores; disposed at the end of the test.</returns>
    protected virtual Task<VersioningStores> CreateStoresAsync()
    {
        var database = CreateDatabase();
        var host = ConformanceHost.Build(AddStores, database, null, () => DropDatabaseAsync(database));
        lock (_hosts)
        {
            _hosts[host.Stores] = host;
        }

        return Task.FromResult(host.Stores);
    }

    /// <summary>
    /// Opens a second, independent set of repositories on the same database as <paramref name="stores"/> (a new
    /// connection or process), to check durability and resume after a stop. The default builds a second container with
    /// <see cref="AddStores"/> over the same database when the stores came from one; else it returns <paramref name="stores"/>.
    /// </summary>
    /// <param name="stores">The stores of the current test.</param>
    /// <returns>Repositories over the same data.</returns>
    protected virtual Task<VersioningStores> ReopenAsync(VersioningStores stores)
    {
        ConformanceHost? host;
        lock (_hosts)
        {
            _hosts.TryGetValue(stores, out host);
        }

        return Task.FromResult(host is { BuiltStores: true } ? host.Reopen(AddStores).Stores : stores);
    }

    /// <summary>
    /// A container over <paramref name="stores"/>'s database with every service of the library (A3): the one the stores
    /// came from when <see cref="AddStores"/> built them, else a new one with these repositories registered. Disposed with
    /// the stores.
    /// </summary>
    /// <param name="stores">The stores of the current test.</param>
    /// <returns>The container's services.</returns>
    protected ConformanceHost HostOf(VersioningStores stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        lock (_hosts)
        {
            if (!_hosts.TryGetValue(stores, out var host))
            {
                host = ConformanceHost.Build((builder, _) => ConformanceHost.Register(builder, stores), stores, stores, null);
                _hosts[stores] = host;
            }

            return host;
        }
    }

    /// <summary>How many parallel writers the concurrency tests use.</summary>
    protected virtual int ConcurrentWriters => 8;

    /// <summary>A workflow whose names, operations and settings hold <see cref="Tricky"/> text.</summary>
    /// <param name="connector">The connector name.</param>
    /// <param name="operation">The operation.</param>
    /// <returns>The workflow.</returns>
    protected static WorkflowDefinition Workflow(string connector = "Crm", string operation = "CreateContact")
        => new([
            new Step("First " + Tricky, new ConnectorRef(connector, "1.0"), operation, [new("key", Tricky), new("empty", string.Empty), new("multi line", "a\nb\r\nc\ttab")]),
            new Step("Second", new ConnectorRef("Mail", "2.3"), "Send"),
        ]);

    /// <summary>Reads every stored event, a page of 3 at a time (to exercise paging).</summary>
    /// <param name="stores">The stores.</param>
    /// <returns>All events in position order.</returns>
    protected static async Task<List<DomainEvent>> ReadAllEventsAsync(VersioningStores stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        var all = new List<DomainEvent>();
        long after = 0;
        while (true)
        {
            var page = await stores.Events.ReadAsync(after, 3);
            all.AddRange(page);
            if (page.Count < 3)
            {
                return all;
            }

            after = page[^1].Position;
        }
    }

    /// <summary>A canonical text of a template snapshot, for exact comparison.</summary>
    /// <param name="s">The snapshot.</param>
    /// <returns>The text.</returns>
    protected static string Describe(TemplateSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{s.Id}|{s.Name}|{s.Published}|{s.Revision}|{s.LastReleaseNumber}|{s.CreatedBy}|{s.CreatedAt.ToUnixTimeTicks()}|{string.Join(",", s.Team)}\n");
        foreach (var r in s.Releases)
        {
            text.Append(CultureInfo.InvariantCulture, $"R{r.Number}|{r.State}|{r.RunStatus}|{r.Notes}|{r.CreatedBy}|{r.CreatedAt.ToUnixTimeTicks()}|{r.UpdatedAt.ToUnixTimeTicks()}|{r.PromotedBy}|{r.PromotedAt?.ToUnixTimeTicks()}|{r.DeprecatedAt?.ToUnixTimeTicks()}|{r.CopiedFrom}\n");
            Describe(text, r.Content);
        }

        text.Append(CultureInfo.InvariantCulture, $"audit trail from {s.AuditTrailStart}\n");
        Describe(text, s.AuditTrail);
        return text.ToString();
    }

    /// <summary>A canonical text of an integration snapshot, for exact comparison.</summary>
    /// <param name="s">The snapshot.</param>
    /// <returns>The text.</returns>
    protected static string Describe(IntegrationSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{s.Id}|{s.Name}|{s.Revision}|{s.CreatedBy}|{s.CreatedAt.ToUnixTimeTicks()}|{s.HasPromoted}|{string.Join(",", s.Team)}|{string.Join(",", s.SharedWithAllVersions)}|{string.Join(",", s.UsedNumbers)}\n");
        foreach (var v in s.Versions)
        {
            text.Append(CultureInfo.InvariantCulture, $"V{v.Number}|{v.StoredState}|{v.Notes}|{v.CreatedBy}|{v.CreatedAt.ToUnixTimeTicks()}|{v.UpdatedAt.ToUnixTimeTicks()}|{v.ClonedFrom}|{v.PromotedAt?.ToUnixTimeTicks()}|{v.LegacyAt?.ToUnixTimeTicks()}|{string.Join(",", v.SharedWith)}|{string.Join(",", v.SharedWithAccounts)}|{string.Join("/", v.PromotionWarnings)}\n");
            if (v.Deprecation is { } d)
            {
                text.Append(CultureInfo.InvariantCulture, $"D{d.Date:yyyy-MM-dd}|{d.EffectiveAt.ToUnixTimeTicks()}|{d.Reason}|{d.OtherText}|{d.ScheduledAt.ToUnixTimeTicks()}|{d.ScheduledBy}\n");
            }

            if (v.HasContent)
            {
                Describe(text, v.Content);
            }
            else
            {
                text.Append("(content not loaded)\n");
            }
        }

        foreach (var c in s.Canaries)
        {
            text.Append(CultureInfo.InvariantCulture, $"C{c.Id}|{c.From}|{c.To}|{c.Percent}|{c.Scope.User}|{c.Scope.Account}|{c.StartedBy}|{c.StartedAt.ToUnixTimeTicks()}|{c.EndsAt.ToUnixTimeTicks()}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"audit trail from {s.AuditTrailStart}\n");
        Describe(text, s.AuditTrail);
        return text.ToString();
    }

    /// <summary>A canonical text of an installation.</summary>
    /// <param name="i">The installation.</param>
    /// <returns>The text.</returns>
    protected static string Describe(Installation i)
    {
        ArgumentNullException.ThrowIfNull(i);
        return string.Create(CultureInfo.InvariantCulture,
            $"{i.Id}|{i.Product}|{i.Owner}|{i.Pinned}|{i.Status}|{i.CreatedAt.ToUnixTimeTicks()}|{i.UpdatedAt.ToUnixTimeTicks()}|{i.Revision}|{string.Join(";", i.Settings.Select(kv => kv.Key + "=" + kv.Value))}");
    }

    private static void Describe(StringBuilder text, WorkflowDefinition content)
    {
        foreach (var step in content.Steps)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {step.Name}|{step.Connector}|{step.Operation}|{string.Join(";", step.Settings.Select(kv => kv.Key + "=" + kv.Value))}\n");
        }
    }

    private static void Describe(StringBuilder text, IEnumerable<Auditing.AuditEntry> entries)
    {
        foreach (var e in entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"A{e.Action}|{e.Actor}|{e.At.ToUnixTimeTicks()}|{e.Subject}|{e.Details}\n");
        }
    }

    private static Installation NewInstallation(ProductRef product, VersionKey pinned, string owner, int n = 0) => new()
    {
        Id = InstallationId.New(),
        Product = product,
        Owner = n % 2 == 0 ? OwnerRef.User(owner) : OwnerRef.Account(owner),
        Pinned = pinned,
        Status = n % 3 == 0 ? RunStatus.Running : RunStatus.Paused,
        Settings = Installation.CheckSettings([new("token", Tricky), new("n", n.ToString(CultureInfo.InvariantCulture))]),
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    private static async Task<T> RetryOnConflictAsync<T>(Func<Task<T>> attempt)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (ConcurrencyConflictException) when (i < 1_000)
            {
                await Task.Yield();
            }
        }
    }
}
