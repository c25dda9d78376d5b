using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using NodaTime;
using Versioning.Core.Authorization;
using Versioning.Core.Diagnostics;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Persistence;
using Versioning.Core.Services;
using Versioning.Core.Templates;

namespace Versioning.Core.Services;

/// <summary>
/// The integration version use cases (Z1–Z17): each command checks the access policy, loads the integration, applies
/// the change at the clock's instant (X2) and saves with the loaded revision, retrying on conflict (X3).
/// </summary>
/// <threadsafety>Thread-safe: one instance (a DI singleton) serves concurrent callers. It keeps no per-call state;
/// each command loads its own aggregate, and conflicting writers are retried (X3, X10).</threadsafety>
public sealed partial class IntegrationService
{
    private readonly IIntegrationRepository _integrations;
    private readonly IInstallationRepository _installations;
    private readonly IReadOnlyList<IPromotionCheck> _checks;
    private readonly bool _checksReadCurrentContent;
    private readonly AccessGuard _access;
    private readonly CommandRunner _runner;
    private readonly ProductCommands<Integration, IntegrationId> _commands;

    /// <summary>Creates the service.</summary>
    /// <param name="integrations">The integration store.</param>
    /// <param name="installations">The installation store.</param>
    /// <param name="checks">The promotion checks (Z8); every one runs on every promotion.</param>
    /// <param name="policy">Who may change an integration or install it (X7).</param>
    /// <param name="clock">The clock.</param>
    /// <param name="options">Validated options; the service keeps a frozen copy, so changing them afterwards has no effect.</param>
    /// <param name="logger">Receives retries, escaped conflicts, refusals (debug) and migration progress; null logs nothing.</param>
    /// <param name="meterFactory">Makes the <c>Versioning.Core</c> meter (the container\'s, when it has one); null records on <see cref="Diagnostics.VersioningDiagnostics.Meter"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (the message lists every problem).</exception>
    public IntegrationService(IIntegrationRepository integrations, IInstallationRepository installations, IEnumerable<IPromotionCheck> checks, IAccessPolicy policy, IClock clock, VersioningOptions options, ILogger<IntegrationService>? logger = null, IMeterFactory? meterFactory = null)
    {
        _integrations = integrations ?? throw new ArgumentNullException(nameof(integrations));
        _installations = installations ?? throw new ArgumentNullException(nameof(installations));
        _checks = [.. checks ?? throw new ArgumentNullException(nameof(checks))];
        _checksReadCurrentContent = _checks.Any(c => c.ReadsCurrentContent);
        _access = new AccessGuard(policy ?? throw new ArgumentNullException(nameof(policy)), VersioningMetrics.For(meterFactory));
        _runner = new CommandRunner(clock, options, logger, meterFactory);
        _commands = new(_runner, _access, _installations, "Integration",
            (id, wholeTrail, selection, ct) => wholeTrail ? _integrations.FindAsync(id, ct)
                : selection.IsAll ? _integrations.FindWithoutAuditTrailAsync(id, ct)
                : _integrations.FindForCommandAsync(id, selection, ct),
            _integrations.SaveAsync);
    }

    private VersioningOptions Options => _runner.Options;

    /// <summary>Creates an integration; its creator is the first team member.</summary>
    /// <param name="name">1–200 characters after trimming.</param>
    /// <param name="by">The creator.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved integration.</returns>
    public Task<Integration> CreateIntegrationAsync(string name, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.Text(name, nameof(name), Integration.MaxNameLength);
        var id = IntegrationId.New();
        return _runner.RunAsync("CreateIntegration", async (at, ct) =>
        {
            var integration = Integration.Create(id, name, by, at);
            await _integrations.SaveAsync(integration, ct).ConfigureAwait(false);
            return integration;
        }, cancellationToken);
    }

    /// <summary>
    /// Loads an integration as <paramref name="viewer"/> may see it (X8): whole for its team; for anyone else a copy with
    /// only the versions they can access (<see cref="Integration.CanAccess(VersionNumber, ActorId)"/>), nobody's shares,
    /// and only the history of those versions.
    /// </summary>
    /// <param name="id">The integration.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy.</returns>
    /// <exception cref="EntityNotFoundException">No such integration.</exception>
    /// <exception cref="ArgumentException"><paramref name="viewer"/> is empty.</exception>
    public async Task<Integration> GetIntegrationAsync(IntegrationId id, ActorId viewer, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        var integration = await LoadAsync(id, wholeTrail: true, cancellationToken).ConfigureAwait(false);
        return integration.ViewFor(viewer);
    }

    /// <summary>
    /// Reads one version as <paramref name="viewer"/> may see it (Z5, Z6, X8): a version the viewer cannot access (labeled,
    /// or never public and not shared with them, whatever its state now) is reported as not found, exactly like a version
    /// that does not exist.
    /// </summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    /// <exception cref="EntityNotFoundException">No such version, or the viewer may not see it.</exception>
    public async Task<IntegrationVersion> GetVersionAsync(IntegrationId id, VersionNumber number, ActorId viewer, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        var integration = await LoadAsync(id, wholeTrail: false, cancellationToken).ConfigureAwait(false);
        var version = VisibleVersion(integration, number, viewer);
        return integration.IsTeamMember(viewer) ? version : integration.ViewFor(viewer).GetVersion(number);
    }

    /// <summary>Lists integrations by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One summary per integration.</returns>
    public Task<IReadOnlyList<IntegrationSummary>> ListIntegrationsAsync(CancellationToken cancellationToken = default) => _integrations.ListAsync(cancellationToken);

    /// <summary>Adds a team member (Z6).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="member">The new member.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved integration.</returns>
    public Task<Integration> AddTeamMemberAsync(IntegrationId id, ActorId member, ActorId by, CancellationToken cancellationToken = default)
        => Change("AddTeamMember", id, by, (i, at, _) => i.AddTeamMember(member, by, at), cancellationToken);

    /// <summary>Removes a team member (Z6).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="member">The member to remove.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved integration.</returns>
    public Task<Integration> RemoveTeamMemberAsync(IntegrationId id, ActorId member, ActorId by, CancellationToken cancellationToken = default)
        => Change("RemoveTeamMember", id, by, (i, at, _) => i.RemoveTeamMember(member, by, at), cancellationToken);

    /// <summary>Creates a Private version, empty or with content (Z1–Z3).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The new version number.</param>
    /// <param name="content">The content, or null for none.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version.</returns>
    public Task<IntegrationVersion> CreateVersionAsync(IntegrationId id, VersionNumber number, WorkflowDefinition? content, ActorId by, CancellationToken cancellationToken = default)
    {
        InputLimits.Content(content, Options, nameof(content));
        return Change("CreateVersion", id, by, (i, at, _) => i.CreateVersion(number, content, null, Options.SequentialVersionNumbers, by, at), cancellationToken,
            selection: Select(number).WithUsedNumbers());
    }

    /// <summary>Creates a Private version as a clone of an existing one (Z3).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="source">The version to clone.</param>
    /// <param name="number">The new version number.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version.</returns>
    public Task<IntegrationVersion> CloneVersionAsync(IntegrationId id, VersionNumber source, VersionNumber number, ActorId by, CancellationToken cancellationToken = default)
        => Change("CloneVersion", id, by, (i, at, _) => i.CreateVersion(number, null, source, Options.SequentialVersionNumbers, by, at), cancellationToken,
            selection: Select(source, number).WithUsedNumbers());

    /// <summary>Replaces a Private version's content while few installations use it (Z4).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version.</param>
    /// <param name="content">The new content.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changed version.</returns>
    public Task<IntegrationVersion> EditContentAsync(IntegrationId id, VersionNumber number, WorkflowDefinition content, ActorId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        InputLimits.Content(content, Options, nameof(content));
        return Change("EditVersionContent", id, by, (i, at, counts) =>
        {
            i.EditContent(number, content, counts.GetValueOrDefault(number), Options.EditInstallationLimit, by, at);
            return i.GetVersion(number);
        }, cancellationToken, needsCounts: true, selection: Select(number));
    }

    /// <summary>Sets a version's release notes.</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version.</param>
    /// <param name="notes">Up to 10 000 characters.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changed version.</returns>
    public Task<IntegrationVersion> SetNotesAsync(IntegrationId id, VersionNumber number, string notes, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.FreeText(notes, nameof(notes), IntegrationVersion.MaxNotesLength);
        return Change("SetVersionNotes", id, by, (i, at, _) =>
        {
            i.SetNotes(number, notes, by, at);
            return i.GetVersion(number);
        }, cancellationToken, selection: Select(number));
    }

    /// <summary>Shares a Private version, or with null every unlabeled Private version, with a user (Z6).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version, or null for all.</param>
    /// <param name="user">The user.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved integration.</returns>
    public Task<Integration> ShareAsync(IntegrationId id, VersionNumber? number, ActorId user, ActorId by, CancellationToken cancellationToken = default)
        => Change("ShareVersion", id, by, (i, at, _) => i.Share(number, user, by, at), cancellationToken);

    /// <summary>Shares a Private version with a user or an account (Z6, X8): the principal's kind is kept, so an account share gives nothing to a user of the same id.</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version.</param>
    /// <param name="principal">The user or account.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved integration.</returns>
    public Task<Integration> ShareWithAsync(IntegrationId id, VersionNumber number, OwnerRef principal, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(principal, nameof(principal));
        return Change("ShareVersion", id, by, (i, at, _) => i.Share(number, principal, by, at), cancellationToken);
    }

    /// <summary>Stops sharing a version with a user or an account (Z6, X8); existing installations keep running.</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version.</param>
    /// <param name="principal">The user or account.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved integration.</returns>
    public Task<Integration> UnshareWithAsync(IntegrationId id, VersionNumber number, OwnerRef principal, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(principal, nameof(principal));
        return Change("UnshareVersion", id, by, (i, at, _) => i.Unshare(number, principal, by, at), cancellationToken);
    }

    /// <summary>Stops sharing (Z6); existing installations keep running.</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version, or null for the all-versions share.</param>
    /// <param name="user">The user.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved integration.</returns>
    public Task<Integration> UnshareAsync(IntegrationId id, VersionNumber? number, ActorId user, ActorId by, CancellationToken cancellationToken = default)
        => Change("UnshareVersion", id, by, (i, at, _) => i.Unshare(number, user, by, at), cancellationToken);

    /// <summary>Promotes a version after running every promotion check (Z7, Z8, Z9).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The promoted version, the demoted one and the warnings.</returns>
    public Task<PromotionResult> PromoteAsync(IntegrationId id, VersionNumber number, ActorId by, CancellationToken cancellationToken = default)
        => Change("PromoteVersion", id, by, (i, at, _) =>
        {
            var previous = i.PromotedVersion?.Number;
            var warnings = i.Promote(number, _checks, by, at);
            return new PromotionResult(i.GetVersion(number), previous, warnings);
        }, cancellationToken, selection: _checksReadCurrentContent ? Select(number).WithCurrentContent() : Select(number));

    /// <summary>Marks a Private or Available version Legacy (Z11).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changed version.</returns>
    public Task<IntegrationVersion> MarkLegacyAsync(IntegrationId id, VersionNumber number, ActorId by, CancellationToken cancellationToken = default)
        => Change("MarkVersionLegacy", id, by, (i, at, _) =>
        {
            i.MarkLegacy(number, by, at);
            return i.GetVersion(number);
        }, cancellationToken, selection: Select(number));

    /// <summary>Deprecates a version on a date (Z12, Z13).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version.</param>
    /// <param name="date">The deprecation date.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="otherText">Text for <see cref="DeprecationReason.Other"/>, else null.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schedule.</returns>
    public Task<DeprecationSchedule> DeprecateAsync(IntegrationId id, VersionNumber number, LocalDate date, DeprecationReason reason, string? otherText, ActorId by, CancellationToken cancellationToken = default)
        => Change("DeprecateVersion", id, by, (i, at, counts) => i.Deprecate(number, date, reason, otherText, counts.GetValueOrDefault(number), new DeprecationWindow(Options.MinimumDeprecationDays, Options.MaximumDeprecationDays, Options.DeprecationTimeZone), by, at), cancellationToken, needsCounts: true, selection: Select(number));

    /// <summary>Deletes a version with no installations (Z15).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved integration.</returns>
    public Task<Integration> DeleteVersionAsync(IntegrationId id, VersionNumber number, ActorId by, CancellationToken cancellationToken = default)
        => Change("DeleteVersion", id, by, (i, at, counts) => i.DeleteVersion(number, counts.GetValueOrDefault(number), by, at), cancellationToken, needsCounts: true);

    /// <summary>Lists versions with their state at an instant (Z16); hidden from non-team users: labeled and unshared Private versions (Z5, Z6).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="at">The instant, or null for now.</param>
    /// <param name="includeDeprecated">Whether to include Deprecated versions.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One row per visible version.</returns>
    public async Task<IReadOnlyList<VersionListing>> ListVersionsAsync(IntegrationId id, ActorId viewer, Instant? at = null, bool includeDeprecated = false, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        var integration = await LoadAsync(id, wholeTrail: false, cancellationToken).ConfigureAwait(false);
        var counts = await CountsAsync(id, cancellationToken).ConfigureAwait(false);
        return integration.ListVersions(at ?? _runner.Clock.GetCurrentInstant(), includeDeprecated, counts)
            .Where(r => integration.CanAccess(r.Number, viewer))
            .ToList();
    }

    /// <summary>The deprecation notices due at an instant across all integrations (Z13), for the versions <paramref name="viewer"/> can access (X8).</summary>
    /// <param name="viewer">Who is looking: a never-public version's notice goes only to its team and the users it was shared with.</param>
    /// <param name="at">The instant, or null for now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The notices, by integration name and version.</returns>
    public async Task<IReadOnlyList<DeprecationNotice>> ListNoticesDueAsync(ActorId viewer, Instant? at = null, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        var instant = at ?? _runner.Clock.GetCurrentInstant();
        var notices = new List<DeprecationNotice>();
        foreach (var summary in await _integrations.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var integration = await _integrations.FindWithoutAuditTrailAsync(summary.Id, cancellationToken).ConfigureAwait(false);
            if (integration is not null)
            {
                notices.AddRange(integration.NoticesDue(instant, Options.DeprecationNoticeDays, Options.DeprecationTimeZone).Where(n => integration.CanAccess(n.Version, viewer)));
            }
        }

        return notices;
    }

    /// <summary>
    /// The deprecation notices due at an instant for one integration (Z13), for the versions <paramref name="viewer"/>
    /// can access (X8, as for <see cref="ListNoticesDueAsync(ActorId, Instant?, CancellationToken)"/>).
    /// </summary>
    /// <param name="id">The integration.</param>
    /// <param name="viewer">Who is looking: a never-public version's notice goes only to its team and the users it was shared with.</param>
    /// <param name="at">The instant, or null for now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The notices, by version.</returns>
    /// <exception cref="ArgumentException"><paramref name="viewer"/> is empty.</exception>
    /// <exception cref="EntityNotFoundException">The integration does not exist.</exception>
    public async Task<IReadOnlyList<DeprecationNotice>> ListNoticesDueAsync(IntegrationId id, ActorId viewer, Instant? at = null, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        var instant = at ?? _runner.Clock.GetCurrentInstant();
        var integration = await LoadAsync(id, wholeTrail: false, cancellationToken).ConfigureAwait(false);
        return [.. integration.NoticesDue(instant, Options.DeprecationNoticeDays, Options.DeprecationTimeZone).Where(n => integration.CanAccess(n.Version, viewer))];
    }

    /// <summary>
    /// Installs an integration for an owner (Z10): the Promoted version, or one the installing user names and may use.
    /// The installation starts Paused.
    /// </summary>
    /// <param name="id">The integration.</param>
    /// <param name="owner">The account or user that owns the installation.</param>
    /// <param name="by">The installing user (their access decides which Private versions they may name, Z6).</param>
    /// <param name="settings">The installation's settings, or null for none.</param>
    /// <param name="version">A version to use instead of the Promoted one, or null for the Promoted one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new installation.</returns>
    /// <remarks>
    /// The arguments come in the order of <see cref="TemplateService.InstallAsync"/>: what, for whom, by whom,
    /// then the optional parts (name <paramref name="version"/> when there are no settings:
    /// <c>InstallAsync(id, owner, by, version: v)</c>).
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="owner"/> or <paramref name="by"/> is empty, or a setting is invalid.</exception>
    /// <exception cref="VersioningRuleException">Z10, Z11, Z13 or M3: the version cannot take new installations, or the owner may not use it.</exception>
    /// <exception cref="EntityNotFoundException">The integration or the named version does not exist, or the installer may not see it (X8).</exception>
    public Task<Installation> InstallAsync(IntegrationId id, OwnerRef owner, ActorId by, IEnumerable<KeyValuePair<string, string>>? settings = null, VersionNumber? version = null, CancellationToken cancellationToken = default)
        => _commands.InstallAsync("InstallIntegration", id, owner, version is { } r ? VersionKey.ForVersion(r) : null, settings, by, cancellationToken);

    /// <summary>Every action on a version, whether it is permitted now, and the rule blocking it if not (X5).</summary>
    /// <param name="id">The integration.</param>
    /// <param name="number">The version.</param>
    /// <param name="viewer">Who is looking: a version they cannot access is reported as not found (X8).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per action, in declaration order.</returns>
    /// <exception cref="EntityNotFoundException">No such version, or the viewer may not see it.</exception>
    public async Task<IReadOnlyList<ActionAvailability<VersionAction>>> GetActionsAsync(IntegrationId id, VersionNumber number, ActorId viewer, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        var integration = await LoadAsync(id, wholeTrail: false, cancellationToken).ConfigureAwait(false);
        VisibleVersion(integration, number, viewer);
        var counts = await CountsAsync(id, cancellationToken).ConfigureAwait(false);
        var at = _runner.Clock.GetCurrentInstant();
        var count = counts.GetValueOrDefault(number);
        return ProductCommands.Availability(VersionLifecycle.Definition.Actions, a => integration.WhyNot(number, a, at, count, Options.EditInstallationLimit));
    }

    private Task<Integration> LoadAsync(IntegrationId id, bool wholeTrail, CancellationToken cancellationToken) => _commands.LoadAsync(id, wholeTrail, cancellationToken);

    // X8: what the viewer may not see is reported exactly like what does not exist.
    private static IntegrationVersion VisibleVersion(Integration integration, VersionNumber number, ActorId viewer)
        => integration.CanAccess(number, viewer) && integration.FindVersion(number) is { } version
            ? version
            : throw new EntityNotFoundException("Version", number.ToString(), $"integration '{integration.Name}' ({integration.Id})");

    private async Task<Dictionary<VersionNumber, long>> CountsAsync(IntegrationId id, CancellationToken cancellationToken)
    {
        var counts = await _installations.CountByVersionAsync(ProductRef.Of(id), cancellationToken).ConfigureAwait(false);
        return counts.ToDictionary(kv => kv.Key.ToVersionNumber(), kv => kv.Value.Total);
    }

    // The commands that return the integration load it with its whole history, so the caller's copy is whole.
    private Task<Integration> Change(string command, IntegrationId id, ActorId by, Action<Integration, Instant, IReadOnlyDictionary<VersionNumber, long>> change, CancellationToken cancellationToken, bool needsCounts = false)
        => Change(command, id, by, (i, at, counts) =>
        {
            change(i, at, counts);
            return i;
        }, cancellationToken, needsCounts, wholeTrail: true);

    // A command that returns something else than the integration loads only what it reads (its selection, X1 rules
    // still checked in the aggregate): the versions it touches, the Promoted one, and the facts its rules need.
    private Task<T> Change<T>(string command, IntegrationId id, ActorId by, Func<Integration, Instant, IReadOnlyDictionary<VersionNumber, long>, T> change, CancellationToken cancellationToken, bool needsCounts = false, bool wholeTrail = false, ItemSelection? selection = null)
        => _commands.ChangeAsync<T>(command, id, by, wholeTrail, needsCounts
            ? async (i, at, ct) => change(i, at, await CountsAsync(id, ct).ConfigureAwait(false))
            : (i, at, _) => new ValueTask<T>(change(i, at, EmptyCounts)), cancellationToken, selection);

    private static ItemSelection Select(params VersionNumber[] numbers) => ItemSelection.Of(numbers.Select(VersionKey.ForVersion));

    private static readonly Dictionary<VersionNumber, long> EmptyCounts = [];
}
