using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using NodaTime;
using Versioning.Core.Authorization;
using Versioning.Core.Diagnostics;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Services;

/// <summary>
/// The template release use cases (T1–T16): each command loads the template, applies the change at the clock's
/// instant (X2) and saves it with the revision it loaded, retrying on a concurrency conflict (X3). Every method
/// refuses a default (empty) <see cref="TemplateId"/> with an <see cref="ArgumentException"/> naming the parameter (X6).
/// Every command on an existing template asks the <see cref="IAccessPolicy"/> first (X7); reads show outsiders only the
/// Live release of a published template (X8).
/// </summary>
/// <threadsafety>Thread-safe: one instance (a DI singleton) serves concurrent callers. It keeps no per-call state;
/// each command loads its own aggregate, and conflicting writers are retried (X3, X10).</threadsafety>
public sealed class TemplateService
{
    /// <summary>No release but the Live one, without content: what creating a draft and installing read (P8).</summary>
    private static readonly ItemSelection NoRelease = ItemSelection.Of();

    private readonly ITemplateRepository _templates;
    private readonly IInstallationRepository _installations;
    private readonly AccessGuard _access;
    private readonly CommandRunner _runner;
    private readonly ProductCommands<Template, TemplateId> _commands;

    /// <summary>Creates the service.</summary>
    /// <param name="templates">The template store.</param>
    /// <param name="installations">The installation store.</param>
    /// <param name="policy">Who may change a template or install it (X7).</param>
    /// <param name="clock">The clock every instant comes from.</param>
    /// <param name="options">Validated options; the service keeps a frozen copy, so changing them afterwards has no effect.</param>
    /// <param name="logger">Receives retries, escaped conflicts, refusals (debug) and migration progress; null logs nothing.</param>
    /// <param name="meterFactory">Makes the <c>Versioning.Core</c> meter (the container\'s, when it has one); null records on <see cref="Diagnostics.VersioningDiagnostics.Meter"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (the message lists every problem).</exception>
    public TemplateService(ITemplateRepository templates, IInstallationRepository installations, IAccessPolicy policy, IClock clock, VersioningOptions options, ILogger<TemplateService>? logger = null, IMeterFactory? meterFactory = null)
    {
        _templates = templates ?? throw new ArgumentNullException(nameof(templates));
        _installations = installations ?? throw new ArgumentNullException(nameof(installations));
        _access = new AccessGuard(policy ?? throw new ArgumentNullException(nameof(policy)), VersioningMetrics.For(meterFactory));
        _runner = new CommandRunner(clock, options, logger, meterFactory);
        _commands = new(_runner, _access, _installations, "Template",
            (id, wholeTrail, selection, ct) => wholeTrail ? _templates.FindAsync(id, ct)
                : selection.IsAll ? _templates.FindWithoutAuditTrailAsync(id, ct)
                : _templates.FindForCommandAsync(id, selection, ct),
            (template, ct) => _templates.SaveAsync(template, ct));
    }

    /// <summary>Creates an unpublished template with no releases (T1); its creator is the first team member (X7).</summary>
    /// <param name="name">1–200 characters after trimming.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved template.</returns>
    /// <exception cref="ArgumentException">The name or actor is invalid.</exception>
    public Task<Template> CreateTemplateAsync(string name, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.Text(name, nameof(name), Template.MaxNameLength);
        var id = TemplateId.New();
        return _runner.RunAsync("CreateTemplate", async (at, ct) =>
        {
            var template = Template.Create(id, name, by, at);
            await _templates.SaveAsync(template, ct).ConfigureAwait(false);
            return template;
        }, cancellationToken);
    }

    /// <summary>
    /// Loads a template as <paramref name="viewer"/> may see it (X8): whole for its team; for anyone else a copy with only
    /// the Live release of a published template and no audit trail.
    /// </summary>
    /// <param name="id">The template.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy of the template.</returns>
    /// <exception cref="EntityNotFoundException">No such template, or the viewer may see nothing of it.</exception>
    public async Task<Template> GetTemplateAsync(TemplateId id, ActorId viewer, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(id, nameof(id));
        Preconditions.Actor(viewer, nameof(viewer));
        var template = await LoadAsync(id, wholeTrail: true, cancellationToken).ConfigureAwait(false);
        return template.ViewFor(viewer);
    }

    /// <summary>Adds a team member (X7).</summary>
    /// <param name="id">The template.</param>
    /// <param name="member">The new member.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved template.</returns>
    public Task<Template> AddTeamMemberAsync(TemplateId id, ActorId member, ActorId by, CancellationToken cancellationToken = default)
        => Change("AddTemplateTeamMember", id, by, (t, at) => t.AddTeamMember(member, by, at), cancellationToken);

    /// <summary>Removes a team member (X7); the last member cannot leave.</summary>
    /// <param name="id">The template.</param>
    /// <param name="member">The member to remove.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved template.</returns>
    public Task<Template> RemoveTeamMemberAsync(TemplateId id, ActorId member, ActorId by, CancellationToken cancellationToken = default)
        => Change("RemoveTemplateTeamMember", id, by, (t, at) => t.RemoveTeamMember(member, by, at), cancellationToken);

    /// <summary>Lists templates by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One summary per template.</returns>
    public Task<IReadOnlyList<TemplateSummary>> ListTemplatesAsync(CancellationToken cancellationToken = default) => _templates.ListAsync(cancellationToken);

    /// <summary>Renames a template (T1).</summary>
    /// <param name="id">The template.</param>
    /// <param name="name">1–200 characters after trimming.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved template.</returns>
    public Task<Template> RenameAsync(TemplateId id, string name, ActorId by, CancellationToken cancellationToken = default)
        => Change("RenameTemplate", id, by, (t, at) => t.Rename(name, by, at), cancellationToken);

    /// <summary>Publishes (or unpublishes) a template; only a published template can be installed (T12).</summary>
    /// <param name="id">The template.</param>
    /// <param name="published">True to publish, false to stop new installations.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved template.</returns>
    public Task<Template> SetPublishedAsync(TemplateId id, bool published, ActorId by, CancellationToken cancellationToken = default)
        => Change("PublishTemplate", id, by, (t, at) => t.SetPublished(published, by, at), cancellationToken);

    /// <summary>Adds a Draft release (T2).</summary>
    /// <param name="id">The template.</param>
    /// <param name="content">The content, or null for an empty workflow.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new release.</returns>
    public Task<TemplateRelease> CreateDraftAsync(TemplateId id, WorkflowDefinition? content, ActorId by, CancellationToken cancellationToken = default)
    {
        InputLimits.Content(content, _runner.Options, nameof(content));
        // T2 reads the highest number used (the header), not the releases: nothing is selected but the Live one.
        return Change("CreateDraft", id, by, NoRelease, (t, at) => t.CreateDraft(content, by, at), cancellationToken);
    }

    /// <summary>Replaces a Draft's content (T3).</summary>
    /// <param name="id">The template.</param>
    /// <param name="number">The release number.</param>
    /// <param name="content">The new content.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changed release.</returns>
    /// <exception cref="VersioningRuleException">T3: the release is locked.</exception>
    public Task<TemplateRelease> EditContentAsync(TemplateId id, ReleaseNumber number, WorkflowDefinition content, ActorId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        InputLimits.Content(content, _runner.Options, nameof(content));
        return Change("EditContent", id, by, Release(number), (t, at) =>
        {
            t.EditContent(number, content, by, at);
            return t.GetRelease(number);
        }, cancellationToken);
    }

    /// <summary>Swaps one connector for another in every step of a Draft that uses it (T9).</summary>
    /// <param name="id">The template.</param>
    /// <param name="number">The release number.</param>
    /// <param name="connectorName">The connector to replace.</param>
    /// <param name="replacement">The connector to use instead.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changed release.</returns>
    /// <exception cref="ArgumentException">X11: the swapped content would exceed <see cref="VersioningOptions.MaxContentBytes"/> (names <paramref name="replacement"/>); nothing is saved.</exception>
    public Task<TemplateRelease> SwapConnectorAsync(TemplateId id, ReleaseNumber number, string connectorName, ConnectorRef replacement, ActorId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectorName);
        ArgumentNullException.ThrowIfNull(replacement);
        return Change("SwapConnector", id, by, Release(number), (t, at) =>
        {
            // X11: a longer connector name grows every step that uses it; check the result before changing anything.
            InputLimits.Content(t.GetRelease(number).Content.SwapConnector(connectorName, replacement), _runner.Options, nameof(replacement), $"The content after swapping '{connectorName}' for {replacement}");
            t.SwapConnector(number, connectorName, replacement, by, at);
            return t.GetRelease(number);
        }, cancellationToken);
    }

    /// <summary>Sets a release's notes, in any state (T4).</summary>
    /// <param name="id">The template.</param>
    /// <param name="number">The release number.</param>
    /// <param name="notes">Up to 10 000 characters.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changed release.</returns>
    public Task<TemplateRelease> SetNotesAsync(TemplateId id, ReleaseNumber number, string notes, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.FreeText(notes, nameof(notes), TemplateRelease.MaxNotesLength);
        return Change("SetReleaseNotes", id, by, Release(number), (t, at) =>
        {
            t.SetNotes(number, notes, by, at);
            return t.GetRelease(number);
        }, cancellationToken);
    }

    /// <summary>Promotes a Draft to Live; the previous Live release becomes Deprecated in the same save (T6).</summary>
    /// <param name="id">The template.</param>
    /// <param name="number">The Draft's number.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new Live release.</returns>
    /// <exception cref="VersioningRuleException">T5/T6/T7: the release is not a Draft.</exception>
    public Task<TemplateRelease> PromoteAsync(TemplateId id, ReleaseNumber number, ActorId by, CancellationToken cancellationToken = default)
        => Change("PromoteRelease", id, by, Release(number), (t, at) =>
        {
            t.Promote(number, by, at);
            return t.GetRelease(number);
        }, cancellationToken);

    /// <summary>Copies a release (any state) to a new Draft in the same template or another existing one (T8 a, b).</summary>
    /// <param name="id">The source template.</param>
    /// <param name="number">The source release.</param>
    /// <param name="destination">The destination template; null or equal to <paramref name="id"/> for the same template.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The destination template's id and the new Draft.</returns>
    public Task<(TemplateId TemplateId, TemplateRelease Release)> CopyReleaseAsync(TemplateId id, ReleaseNumber number, TemplateId? destination, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(id, nameof(id));
        Preconditions.Actor(by, nameof(by));
        if (destination is { } d)
        {
            Preconditions.NotDefault(d, nameof(destination));
        }

        return _runner.RunAsync("CopyRelease", async (at, ct) =>
        {
            // T8 reads the copied release with its content; the destination gives only its next number (T2).
            var source = await _commands.LoadAsync(id, wholeTrail: false, Release(number), ct).ConfigureAwait(false);
            _access.Demand(by, "CopyRelease", AccessTarget.For(source));
            var target = destination is null || destination.Value == id ? source : await _commands.LoadAsync(destination.Value, wholeTrail: false, NoRelease, ct).ConfigureAwait(false);
            if (!ReferenceEquals(source, target))
            {
                _access.Demand(by, "CopyRelease", AccessTarget.For(target));
            }

            var copy = source.CopyRelease(number, target, by, at);
            await _templates.SaveAllAsync(ReferenceEquals(source, target) ? [source] : [source, target], ct).ConfigureAwait(false);
            return (target.Id, copy);
        }, cancellationToken);
    }

    /// <summary>Copies a release (any state) to a new Draft of a new template created by the copy (T8 c).</summary>
    /// <param name="id">The source template.</param>
    /// <param name="number">The source release.</param>
    /// <param name="newTemplateName">The new template's name.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new template's id and its first release.</returns>
    public Task<(TemplateId TemplateId, TemplateRelease Release)> CopyReleaseToNewTemplateAsync(TemplateId id, ReleaseNumber number, string newTemplateName, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(id, nameof(id));
        Preconditions.Actor(by, nameof(by));
        Preconditions.Text(newTemplateName, nameof(newTemplateName), Template.MaxNameLength);
        var newId = TemplateId.New();
        return _runner.RunAsync("CopyReleaseToNewTemplate", async (at, ct) =>
        {
            var source = await _commands.LoadAsync(id, wholeTrail: false, Release(number), ct).ConfigureAwait(false);
            _access.Demand(by, "CopyReleaseToNewTemplate", AccessTarget.For(source));
            var target = Template.Create(newId, newTemplateName, by, at);
            var copy = source.CopyRelease(number, target, by, at);
            await _templates.SaveAllAsync([source, target], ct).ConfigureAwait(false);
            return (target.Id, copy);
        }, cancellationToken);
    }

    /// <summary>Deletes a Draft or Deprecated release with no installations (T10).</summary>
    /// <param name="id">The template.</param>
    /// <param name="number">The release number.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The saved template.</returns>
    /// <exception cref="VersioningRuleException">T10: the release is Live or installations are pinned to it.</exception>
    public Task<Template> DeleteReleaseAsync(TemplateId id, ReleaseNumber number, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(id, nameof(id));
        Preconditions.Actor(by, nameof(by));
        return _runner.RunAsync("DeleteRelease", async (at, ct) =>
        {
            var template = await LoadAsync(id, wholeTrail: true, ct).ConfigureAwait(false);
            _access.Demand(by, "DeleteRelease", AccessTarget.For(template));
            template.GetRelease(number);
            var counts = await _installations.CountAsync(ProductRef.Of(id), VersionKey.ForRelease(number), ct).ConfigureAwait(false);
            template.DeleteRelease(number, counts.Total, by, at);
            await _templates.SaveAsync(template, ct).ConfigureAwait(false);
            return template;
        }, cancellationToken);
    }

    /// <summary>Starts a release running (T11).</summary>
    /// <param name="id">The template.</param>
    /// <param name="number">The release number.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changed release.</returns>
    /// <exception cref="VersioningRuleException">T11: the release is Deprecated.</exception>
    public Task<TemplateRelease> RunAsync(TemplateId id, ReleaseNumber number, ActorId by, CancellationToken cancellationToken = default)
        => Change("RunRelease", id, by, Release(number), (t, at) =>
        {
            t.Run(number, by, at);
            return t.GetRelease(number);
        }, cancellationToken);

    /// <summary>Pauses a release (T11).</summary>
    /// <param name="id">The template.</param>
    /// <param name="number">The release number.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changed release.</returns>
    public Task<TemplateRelease> PauseAsync(TemplateId id, ReleaseNumber number, ActorId by, CancellationToken cancellationToken = default)
        => Change("PauseRelease", id, by, Release(number), (t, at) =>
        {
            t.Pause(number, by, at);
            return t.GetRelease(number);
        }, cancellationToken);

    /// <summary>Installs a published template for an owner: bound to the Live release of this moment, Paused (T12).</summary>
    /// <param name="id">The template.</param>
    /// <param name="owner">The account or user.</param>
    /// <param name="by">The actor.</param>
    /// <param name="settings">The installation's own settings, or null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new installation.</returns>
    /// <remarks>
    /// The arguments come in the order of <see cref="IntegrationService.InstallAsync"/>: what, for whom, by
    /// whom, then the optional parts.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="owner"/> or <paramref name="by"/> is empty, or a setting is invalid.</exception>
    /// <exception cref="VersioningRuleException">T12: unpublished, or no Live release.</exception>
    public Task<Installation> InstallAsync(TemplateId id, OwnerRef owner, ActorId by, IEnumerable<KeyValuePair<string, string>>? settings = null, CancellationToken cancellationToken = default)
        => _commands.InstallAsync("InstallTemplate", id, owner, null, settings, by, cancellationToken);

    /// <summary>The report for a release (T16).</summary>
    /// <param name="id">The template.</param>
    /// <param name="number">The release number.</param>
    /// <param name="viewer">Who is looking: a release they may not see is reported as not found (X8).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="EntityNotFoundException">No such release, or the viewer may not see it.</exception>
    public async Task<ReleaseReport> GetReportAsync(TemplateId id, ReleaseNumber number, ActorId viewer, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(id, nameof(id));
        Preconditions.Actor(viewer, nameof(viewer));
        var template = await LoadAsync(id, wholeTrail: false, cancellationToken).ConfigureAwait(false);
        var release = VisibleRelease(template, number, viewer);
        var counts = await _installations.CountAsync(ProductRef.Of(id), VersionKey.ForRelease(number), cancellationToken).ConfigureAwait(false);
        return new ReleaseReport(template.Id, template.Name, release.Number, release.State, release.RunStatus, release.CreatedBy, release.CreatedAt,
            release.PromotedBy, release.PromotedAt, release.Notes, release.Connectors, counts);
    }

    /// <summary>Every action on a release, whether it is permitted now, and the rule blocking it if not (X5).</summary>
    /// <param name="id">The template.</param>
    /// <param name="number">The release number.</param>
    /// <param name="viewer">Who is looking: a release they may not see is reported as not found (X8).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per action, in declaration order.</returns>
    /// <exception cref="EntityNotFoundException">No such release, or the viewer may not see it.</exception>
    public async Task<IReadOnlyList<ActionAvailability<ReleaseAction>>> GetActionsAsync(TemplateId id, ReleaseNumber number, ActorId viewer, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(id, nameof(id));
        Preconditions.Actor(viewer, nameof(viewer));
        var template = await LoadAsync(id, wholeTrail: false, cancellationToken).ConfigureAwait(false);
        VisibleRelease(template, number, viewer);
        var counts = await _installations.CountAsync(ProductRef.Of(id), VersionKey.ForRelease(number), cancellationToken).ConfigureAwait(false);
        return ProductCommands.Availability(ReleaseLifecycle.Definition.Actions, a => template.WhyNot(number, a, counts.Total));
    }

    private Task<Template> LoadAsync(TemplateId id, bool wholeTrail, CancellationToken cancellationToken) => _commands.LoadAsync(id, wholeTrail, cancellationToken);

    // X8: a release the viewer may not see is reported exactly like one that does not exist.
    private static TemplateRelease VisibleRelease(Template template, ReleaseNumber number, ActorId viewer)
    {
        var release = template.GetRelease(number);
        return template.CanSee(number, viewer) ? release : throw new EntityNotFoundException("Release", number.ToString(), $"template '{template.Name}' ({template.Id})");
    }

    // The commands that return the template load it with its whole audit trail, so the caller's copy is whole.
    private Task<Template> Change(string command, TemplateId id, ActorId by, Action<Template, Instant> change, CancellationToken cancellationToken)
        => Change(command, id, by, (t, at) =>
        {
            change(t, at);
            return t;
        }, cancellationToken, wholeTrail: true);

    private Task<T> Change<T>(string command, TemplateId id, ActorId by, Func<Template, Instant, T> change, CancellationToken cancellationToken, bool wholeTrail = false)
        => _commands.ChangeAsync(command, id, by, wholeTrail, (t, at, _) => new ValueTask<T>(change(t, at)), cancellationToken);

    // P8: a command that returns a release reads that release (with its content: it returns it whole) and the Live one
    // (for T5/T6, without content), never the others.
    private Task<T> Change<T>(string command, TemplateId id, ActorId by, ItemSelection selection, Func<Template, Instant, T> change, CancellationToken cancellationToken)
        => _commands.ChangeAsync(command, id, by, wholeTrail: false, (t, at, _) => new ValueTask<T>(change(t, at)), cancellationToken, selection);

    /// <summary>One release, with its content, and the Live release (P8).</summary>
    private static ItemSelection Release(ReleaseNumber number)
        => number.IsEmpty
            ? throw new ArgumentException("The release number is empty (the default value); name a release, 1 or more.", nameof(number))
            : ItemSelection.Of(VersionKey.ForRelease(number));
}
