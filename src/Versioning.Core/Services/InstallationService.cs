using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using NodaTime;
using Versioning.Core.Aggregates;
using Versioning.Core.Authorization;
using Versioning.Core.Installations;
using Versioning.Core.Diagnostics;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Services;
using Versioning.Core.Templates;

namespace Versioning.Core.Services;

/// <summary>
/// Runs, pauses and configures installations, and answers whether one may run now (I1, I3). Changes are authorized
/// through the <see cref="IAccessPolicy"/> (X7): by default the installation's owner or the product's team. Reads take a
/// viewer and show only what the same policy lets them change (X8). Works on every lifecycle's products alike, found
/// through the <see cref="IProductRepository"/> registered for their kind (A2).
/// </summary>
/// <threadsafety>Thread-safe: one instance (a DI singleton) serves concurrent callers. It keeps no per-call state;
/// conflicting writers are retried (X3, X10).</threadsafety>
public sealed class InstallationService
{
    private readonly IInstallationRepository _installations;
    private readonly ProductDirectory _products;
    private readonly AccessGuard _access;
    private readonly CommandRunner _runner;

    /// <summary>Creates the service.</summary>
    /// <param name="installations">The installation store.</param>
    /// <param name="templates">The template store.</param>
    /// <param name="integrations">The integration store.</param>
    /// <param name="policy">Who may change an installation (X7).</param>
    /// <param name="clock">The clock.</param>
    /// <param name="options">Validated options; the service keeps a frozen copy, so changing them afterwards has no effect.</param>
    /// <param name="logger">Receives retries, escaped conflicts, refusals (debug) and migration progress; null logs nothing.</param>
    /// <param name="meterFactory">Makes the <c>Versioning.Core</c> meter (the container\'s, when it has one); null records on <see cref="Diagnostics.VersioningDiagnostics.Meter"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (the message lists every problem).</exception>
    public InstallationService(IInstallationRepository installations, ITemplateRepository templates, IIntegrationRepository integrations, IAccessPolicy policy, IClock clock, VersioningOptions options, ILogger<InstallationService>? logger = null, IMeterFactory? meterFactory = null)
        : this(installations, BuiltInProducts(templates, integrations), policy, clock, options, logger, meterFactory)
    {
    }

    /// <summary>Creates the service for the products of every kind in <paramref name="products"/> (A2).</summary>
    /// <param name="installations">The installation store.</param>
    /// <param name="products">One repository per product kind (the last one of a kind wins).</param>
    /// <param name="policy">Who may change an installation (X7).</param>
    /// <param name="clock">The clock.</param>
    /// <param name="options">Validated options; the service keeps a frozen copy, so changing them afterwards has no effect.</param>
    /// <param name="logger">Receives retries, escaped conflicts, refusals (debug) and migration progress; null logs nothing.</param>
    /// <param name="meterFactory">Makes the <c>Versioning.Core</c> meter (the container's, when it has one); null records on <see cref="Diagnostics.VersioningDiagnostics.Meter"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (the message lists every problem).</exception>
    public InstallationService(IInstallationRepository installations, IEnumerable<IProductRepository> products, IAccessPolicy policy, IClock clock, VersioningOptions options, ILogger<InstallationService>? logger = null, IMeterFactory? meterFactory = null)
    {
        _installations = installations ?? throw new ArgumentNullException(nameof(installations));
        _products = new ProductDirectory(products ?? throw new ArgumentNullException(nameof(products)));
        _access = new AccessGuard(policy ?? throw new ArgumentNullException(nameof(policy)), VersioningMetrics.For(meterFactory));
        _runner = new CommandRunner(clock, options, logger, meterFactory);
    }

    /// <summary>
    /// Loads an installation as <paramref name="viewer"/> may see it (X8): its settings and owner are private to the
    /// viewers the <see cref="IAccessPolicy"/> lets change it (by default its owner and the product's team); anyone else
    /// is told it does not exist.
    /// </summary>
    /// <param name="id">The installation.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The installation.</returns>
    /// <exception cref="ArgumentException"><paramref name="viewer"/> is empty.</exception>
    /// <exception cref="EntityNotFoundException">No such installation, or the viewer may not see it.</exception>
    public async Task<Installation> GetAsync(InstallationId id, ActorId viewer, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        return await VisibleAsync("GetInstallation", id, viewer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets an installation Running or Paused (I1).</summary>
    /// <param name="id">The installation.</param>
    /// <param name="status">The new status.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved installation.</returns>
    public Task<Installation> SetStatusAsync(InstallationId id, RunStatus status, ActorId by, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentException("status must be Running or Paused.", nameof(status));
        }

        return Change("SetInstallationStatus", id, by, i => i with { Status = status }, cancellationToken);
    }

    /// <summary>Replaces an installation's settings (I1); upgrades and migrations keep them (T13).</summary>
    /// <param name="id">The installation.</param>
    /// <param name="settings">The new settings.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved installation.</returns>
    public Task<Installation> SetSettingsAsync(InstallationId id, IEnumerable<KeyValuePair<string, string>> settings, ActorId by, CancellationToken cancellationToken = default)
    {
        var checkedSettings = InputLimits.Settings(Installation.CheckSettings(settings), _runner.Options, nameof(settings));
        // X12: the same settings again change nothing (no revision, no event).
        return Change("SetInstallationSettings", id, by, i => SameSettings(i.Settings, checkedSettings) ? i : i with { Settings = checkedSettings }, cancellationToken);
    }

    /// <summary>I3: whether an installation may run at <paramref name="at"/> (Running, and its version not Deprecated then).</summary>
    /// <param name="id">The installation.</param>
    /// <param name="viewer">Who asks: as for <see cref="GetAsync"/>, an installation they may not see is reported as not found (X8).</param>
    /// <param name="at">The instant, or null for now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it may run.</returns>
    /// <exception cref="ArgumentException"><paramref name="viewer"/> is empty.</exception>
    /// <exception cref="EntityNotFoundException">No such installation, or the viewer may not see it.</exception>
    public async Task<bool> CanRunAsync(InstallationId id, ActorId viewer, Instant? at = null, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        var installation = await VisibleAsync("CanRunInstallation", id, viewer, cancellationToken).ConfigureAwait(false);
        var instant = at ?? _runner.Clock.GetCurrentInstant();
        if (installation.Status != RunStatus.Running)
        {
            return false;
        }

        var product = await _products.FindAsync(installation.Product, ProductDirectory.Select(installation.Pinned), cancellationToken).ConfigureAwait(false);
        return product is not null && product.RunsInstallationsOn(installation.Pinned, instant);
    }

    /// <summary>
    /// Installs a product of any lifecycle for an owner (A2): the release or version the product picks for a new
    /// installation (<see cref="IProduct.PinForNewInstallation"/>: the Live release of a published template, T12; the
    /// Promoted or a requested version of an integration, Z10), Paused. Authorized as the kind's install command (<see cref="IProductRepository.InstallCommand"/>: "InstallTemplate", "InstallIntegration", or "InstallProduct" for another lifecycle), as an
    /// install for <paramref name="owner"/> (X7). <c>TemplateService.InstallAsync</c> and <c>IntegrationService.InstallAsync</c>
    /// run the same initializer under their own command names.
    /// </summary>
    /// <param name="product">The product.</param>
    /// <param name="owner">The account or user that owns the installation.</param>
    /// <param name="by">The installing user.</param>
    /// <param name="settings">The installation's settings, or null.</param>
    /// <param name="version">A release or version to use instead of the lifecycle's default, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new installation.</returns>
    /// <exception cref="ArgumentException">The product, owner, actor or a setting is invalid.</exception>
    /// <exception cref="EntityNotFoundException">No such product, or the requested release or version is not visible to the installer.</exception>
    /// <exception cref="VersioningRuleException">The lifecycle takes no new installation there (T12, Z10, M3).</exception>
    public Task<Installation> InstallAsync(ProductRef product, OwnerRef owner, ActorId by, IEnumerable<KeyValuePair<string, string>>? settings = null, VersionKey? version = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(product.Id, nameof(product));
        var command = _products.For(product.Kind).InstallCommand;
        return ProductCommands.InstallAsync(_runner, _access, _installations, command, ct => _products.LoadAsync(product, ProductDirectory.Select(version), ct), owner, version, settings, by, cancellationToken);
    }

    /// <summary>
    /// Lists a product's installations that <paramref name="viewer"/> may see (X8, as for <see cref="GetAsync"/>) a page at
    /// a time, in identifier order: the team sees every installation, a user only their own. A page holds up to
    /// <paramref name="take"/> visible installations; pass the last one's id as <paramref name="after"/> for the next page.
    /// </summary>
    /// <param name="product">The template or integration.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="after">The last id of the previous page, or null.</param>
    /// <param name="take">The page size, 1–10 000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page; shorter than <paramref name="take"/> only when no visible installation is left.</returns>
    /// <exception cref="ArgumentException"><paramref name="viewer"/> is empty.</exception>
    public Task<IReadOnlyList<Installation>> ListAsync(ProductRef product, ActorId viewer, InstallationId? after, int take, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        Preconditions.InRange(take, 1, 10_000, nameof(take));
        return VisiblePageAsync(product, viewer, after, take, (a, ct) => _installations.ListAsync(product, a, take, ct), cancellationToken);
    }

    /// <summary>
    /// Lists the installations pinned to one release or version that <paramref name="viewer"/> may see (X8, as for
    /// <see cref="ListAsync"/>: the team sees every one, a user only their own), a page at a time in identifier order.
    /// Pass the last one's id as <paramref name="after"/> for the next page.
    /// </summary>
    /// <param name="product">The template or integration.</param>
    /// <param name="pinned">The release (<see cref="VersionKey.ForRelease"/>) or version (<see cref="VersionKey.ForVersion"/>).</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="after">The last id of the previous page, or null.</param>
    /// <param name="take">The page size, 1–10 000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page; shorter than <paramref name="take"/> only when no visible installation is left. A release or version that does not exist has none.</returns>
    /// <exception cref="ArgumentException"><paramref name="viewer"/> or <paramref name="pinned"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="take"/> is outside 1–10 000.</exception>
    public Task<IReadOnlyList<Installation>> ListByVersionAsync(ProductRef product, VersionKey pinned, ActorId viewer, InstallationId? after, int take, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(pinned, nameof(pinned));
        Preconditions.Actor(viewer, nameof(viewer));
        Preconditions.InRange(take, 1, 10_000, nameof(take));
        return VisiblePageAsync(product, viewer, after, take, (a, ct) => _installations.ListByVersionAsync(product, pinned, a, take, ct), cancellationToken);
    }

    // X8: a page of what the viewer may see; pages the store further when the policy hid part of a page.
    private async Task<IReadOnlyList<Installation>> VisiblePageAsync(ProductRef product, ActorId viewer, InstallationId? after, int take, Func<InstallationId?, CancellationToken, Task<IReadOnlyList<Installation>>> storePage, CancellationToken cancellationToken)
    {
        var team = await _products.TeamAsync(product, cancellationToken).ConfigureAwait(false);
        var visible = new List<Installation>();
        while (true)
        {
            var page = await storePage(after, cancellationToken).ConfigureAwait(false);
            foreach (var installation in page)
            {
                if (visible.Count < take && _access.Allows(viewer, "ListInstallations", AccessTarget.For(installation, team)))
                {
                    visible.Add(installation);
                }
            }

            // A page the viewer saw whole, or the store's last page, ends the list; else scan on after the page's last id.
            if (visible.Count >= take || page.Count < take)
            {
                return visible;
            }

            after = page[^1].Id;
        }
    }

    private static bool SameSettings(System.Collections.Immutable.ImmutableSortedDictionary<string, string> a, System.Collections.Immutable.ImmutableSortedDictionary<string, string> b)
        => a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && string.Equals(v, kv.Value, StringComparison.Ordinal));

    private Task<Installation> Change(string command, InstallationId id, ActorId by, Func<Installation, Installation> change, CancellationToken cancellationToken)
    {
        Preconditions.Actor(by, nameof(by));

        return _runner.RunAsync(command, async (at, ct) =>
        {
            var current = await LoadAsync(id, ct).ConfigureAwait(false);
            var team = await _products.TeamAsync(current.Product, ct).ConfigureAwait(false);
            _access.Demand(by, command, AccessTarget.For(current, team));
            var changed = change(current);
            if (changed == current)
            {
                return current;
            }

            changed = changed with { UpdatedAt = at };
            return await _installations.SaveAsync(changed, InstallationEvents.Changed(changed, by, at), ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    private async Task<Installation> LoadAsync(InstallationId id, CancellationToken cancellationToken)
        => await _installations.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new EntityNotFoundException("Installation", id.ToString());

    // X8: an installation the viewer may not see is reported exactly like one that does not exist.
    private async Task<Installation> VisibleAsync(string query, InstallationId id, ActorId viewer, CancellationToken cancellationToken)
    {
        var installation = await LoadAsync(id, cancellationToken).ConfigureAwait(false);
        var team = await _products.TeamAsync(installation.Product, cancellationToken).ConfigureAwait(false);
        return _access.Allows(viewer, query, AccessTarget.For(installation, team)) ? installation : throw new EntityNotFoundException("Installation", id.ToString());
    }

    /// <summary>The repositories of the two lifecycles the library defines, for the constructors that take their stores.</summary>
    internal static IProductRepository[] BuiltInProducts(ITemplateRepository templates, IIntegrationRepository integrations)
        => [new TemplateProductRepository(templates ?? throw new ArgumentNullException(nameof(templates))),
            new IntegrationProductRepository(integrations ?? throw new ArgumentNullException(nameof(integrations)))];
}
