using System.Collections.Immutable;
using System.Runtime.InteropServices;
using NodaTime;
using Stateless;
using Versioning.Core.Aggregates;
using Versioning.Core.Auditing;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Lifecycles;

namespace Versioning.Core.Templates;

/// <summary>
/// A workflow template and its releases (Cyclr-style): the consistency boundary for rules T1–T16. Every command
/// checks all its rules before it changes anything, so a refused command leaves the template, its audit trail and
/// its pending events exactly as they were (X1). Time and actor are arguments; the aggregate does no I/O.
/// </summary>
/// <threadsafety>An instance is not thread-safe: it is a unit of work for one command, loaded, changed and saved by
/// one caller. Do not share a loaded instance between threads; load one per command (the services do), and let the
/// store's revision check (X3) settle concurrent writers.</threadsafety>
public sealed class Template : TeamOwnedAggregate, IProduct
{
    /// <summary>The longest template name accepted, after trimming (T1).</summary>
    public const int MaxNameLength = 200;

    private static readonly Lifecycle<ReleaseState, ReleaseAction, ReleaseFacts> Lifecycle = ReleaseLifecycle.Definition;

    private readonly List<TemplateRelease> _releases;
    private readonly System.Collections.ObjectModel.ReadOnlyCollection<TemplateRelease> _releasesView;
    private int _liveIndex;

    private Template(TemplateSnapshot snapshot)
        : base(snapshot.Revision, snapshot.AuditTrail, snapshot.AuditTrailStart, TeamOf(snapshot))
    {
        Id = snapshot.Id;
        Name = snapshot.Name;
        Published = snapshot.Published;
        LastReleaseNumber = snapshot.LastReleaseNumber;
        CreatedBy = snapshot.CreatedBy;
        CreatedAt = snapshot.CreatedAt;
        Loaded = snapshot.Loaded ?? ItemSelection.All;
        _releases = [.. snapshot.Releases];
        _releasesView = _releases.AsReadOnly();
        _liveIndex = _releases.FindIndex(r => r.State == ReleaseState.Live);
    }

    /// <summary>The template's identifier.</summary>
    public TemplateId Id { get; }

    /// <summary>The name: trimmed, 1–200 characters (T1).</summary>
    public string Name { get; private set; }

    /// <summary>Whether users can install the template (T1, T12). Starts false.</summary>
    public bool Published { get; private set; }

    /// <summary>
    /// The highest release number ever assigned, as a counter: 0 before the first release; the next release gets one
    /// more (T2). A counter rather than a <see cref="ReleaseNumber"/> because it names no release (0 is valid here).
    /// </summary>
    public int LastReleaseNumber { get; private set; }

    /// <summary>Who created the template.</summary>
    public ActorId CreatedBy { get; }

    /// <summary>When the template was created.</summary>
    public Instant CreatedAt { get; }

    /// <summary>
    /// The releases this copy holds, in ascending number order (deleted ones are gone; their numbers stay taken): every
    /// release when it was loaded whole (<see cref="Loaded"/> is <see cref="ItemSelection.All"/>); for a copy loaded for
    /// a command, the releases the command selected, the Live one and those created since.
    /// </summary>
    public IReadOnlyList<TemplateRelease> Releases => _releasesView;

    /// <summary>
    /// What the store loaded of the releases (P8): <see cref="ItemSelection.All"/>, or the releases a command selected
    /// (with their content) plus the Live one (without its content unless selected). Reading a release that exists but
    /// was not selected throws <see cref="InvalidOperationException"/>, never "not found".
    /// </summary>
    public ItemSelection Loaded { get; }

    /// <summary>
    /// The releases whose content was set or changed since the last save (new drafts, copies, content edits, connector
    /// swaps): <see cref="AggregateRoot.ContentChangedItems"/> as release numbers. Store authors: write the content of
    /// these releases and of no other; a changed release not listed here
    /// keeps its stored content (it may have been loaded without it, <see cref="TemplateRelease.HasContent"/>).
    /// </summary>
    public IReadOnlyCollection<ReleaseNumber> ReleasesWithNewContent => [.. ContentChangedItems.Select(k => k.ToReleaseNumber())];

    /// <summary>The Live release, if there is one (T5).</summary>
    public TemplateRelease? LiveRelease => _liveIndex >= 0 ? _releases[_liveIndex] : null;

    /// <inheritdoc />
    public override string AggregateKind => "Template";

    /// <summary>The template as installations and migration jobs refer to it.</summary>
    public ProductRef Product => ProductRef.Of(Id);

    /// <inheritdoc />
    public override string AggregateIdText => Id.ToString();

    /// <inheritdoc />

    protected override string TeamRuleId => "X7";

    /// <inheritdoc />

    protected override string DisplayName => Name;

    /// <summary>
    /// Whether <paramref name="viewer"/> may see a release (X8): the team sees every release; anyone else only the Live
    /// release of a published template (what an installation would get), never drafts, deprecated releases or the trail.
    /// </summary>
    /// <param name="number">The release number.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <returns>True when visible.</returns>
    public bool CanSee(ReleaseNumber number, ActorId viewer)
        => IsTeamMember(viewer) || (!viewer.IsEmpty && Published && LiveRelease is { } live && live.Number == number);

    /// <summary>
    /// The template as <paramref name="viewer"/> may see it (X8): the whole template for the team; for anyone else a copy
    /// holding only the Live release of a published template, with no audit trail.
    /// </summary>
    /// <param name="viewer">Who is looking.</param>
    /// <returns>This template, or a filtered copy.</returns>
    /// <exception cref="EntityNotFoundException">The viewer may see nothing of it (not published, or no Live release).</exception>
    public Template ViewFor(ActorId viewer)
    {
        if (IsTeamMember(viewer))
        {
            return this;
        }

        if (viewer.IsEmpty || !Published || LiveRelease is not { } live)
        {
            throw new EntityNotFoundException("Template", AggregateIdText);
        }

        // Where the Live release was copied from (a draft, another template) is the team's business.
        return FromSnapshot(ToSnapshot() with { Releases = [live with { CopiedFrom = null }], AuditTrail = [], AuditTrailStart = 0, Revision = Revision });
    }

    /// <summary>Creates a template (T1): unpublished, with no releases.</summary>
    /// <param name="id">A new identifier.</param>
    /// <param name="name">1–200 characters after trimming, no control characters.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The new template, with a pending <see cref="AuditAction.Created"/> event.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="by"/> is empty, or <paramref name="name"/> is invalid.</exception>
    public static Template Create(TemplateId id, string name, ActorId by, Instant at)
    {
        Preconditions.NotDefault(id, nameof(id));
        var checkedName = Preconditions.Name(name, nameof(name), MaxNameLength);
        CheckActor(by);
        var template = new Template(new TemplateSnapshot
        {
            Id = id,
            Name = checkedName,
            Published = false,
            Revision = 0,
            LastReleaseNumber = 0,
            CreatedBy = by,
            CreatedAt = at,
            Team = [by],
            Releases = [],
            AuditTrail = [],
        });
        template.Record(AuditAction.Created, by, at, null, $"Template '{checkedName}' created; {by} is on the team.");
        return template;
    }

    /// <summary>Rebuilds a template from its stored state (for stores).</summary>
    /// <param name="snapshot">The stored state.</param>
    /// <returns>The template, with no pending events.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    public static Template FromSnapshot(TemplateSnapshot snapshot) => new(Preconditions.NotNull(snapshot, nameof(snapshot)));

    /// <summary>Captures the current state (for stores). Pending events are not part of it.</summary>
    /// <returns>An immutable snapshot.</returns>
    public TemplateSnapshot ToSnapshot() => new()
    {
        Id = Id,
        Name = Name,
        Published = Published,
        Revision = Revision,
        LastReleaseNumber = LastReleaseNumber,
        CreatedBy = CreatedBy,
        CreatedAt = CreatedAt,
        Team = TeamSet,
        Releases = ImmutableArray.Create<TemplateRelease>(CollectionsMarshal.AsSpan(_releases)),
        AuditTrail = AuditTrailSnapshot(),
        AuditTrailStart = AuditTrailStart,
        Loaded = Loaded,
    };

    // State stored before templates had teams has none: the creator is then the only member (a documented choice).
    private static ImmutableSortedSet<ActorId> TeamOf(TemplateSnapshot snapshot)
        => snapshot.Team is { Count: > 0 } team ? team : [snapshot.CreatedBy];

    /// <summary>Finds a release by number.</summary>
    /// <param name="number">The release number.</param>
    /// <returns>The release.</returns>
    /// <exception cref="EntityNotFoundException">No such release (never created, or deleted).</exception>
    public TemplateRelease GetRelease(ReleaseNumber number) => _releases[IndexOf(number)];

    /// <summary>Finds a release by number, or returns null.</summary>
    /// <param name="number">The release number.</param>
    /// <returns>The release, or null.</returns>
    /// <exception cref="InvalidOperationException">The release may exist but this copy was loaded without it (<see cref="Loaded"/>).</exception>
    public TemplateRelease? FindRelease(ReleaseNumber number)
    {
        var index = BinarySearch(number);
        if (index >= 0)
        {
            return _releases[index];
        }

        CheckLoaded(number);
        return null;
    }

    /// <summary>Renames the template (T1).</summary>
    /// <param name="name">1–200 characters after trimming.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="ArgumentException">The name or actor is invalid.</exception>
    public void Rename(string name, ActorId by, Instant at)
    {
        var checkedName = Preconditions.Name(name, nameof(name), MaxNameLength);
        CheckActor(by);
        if (checkedName == Name)
        {
            return;
        }

        var old = Name;
        Name = checkedName;
        Record(AuditAction.Renamed, by, at, null, $"Renamed from '{old}' to '{checkedName}'.");
    }

    /// <summary>Publishes or unpublishes the template. Unpublishing stops new installations; existing ones keep running.</summary>
    /// <param name="published">True to publish.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    public void SetPublished(bool published, ActorId by, Instant at)
    {
        CheckActor(by);
        if (published == Published)
        {
            return;
        }

        Published = published;
        Record(published ? AuditAction.Published : AuditAction.Unpublished, by, at, null, published ? "Template published." : "Template unpublished.");
    }

    /// <summary>Adds a new Draft release numbered one past the highest number ever used (T2).</summary>
    /// <param name="content">The content; null for an empty workflow.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The new release.</returns>
    public TemplateRelease CreateDraft(WorkflowDefinition? content, ActorId by, Instant at)
    {
        CheckActor(by);
        var release = NewDraft(content ?? WorkflowDefinition.Empty, by, at, null, string.Empty);
        Record(AuditAction.ReleaseCreated, by, at, release.Label, $"Draft {release.Label} created by {by}.");
        return release;
    }

    /// <summary>Replaces a Draft's content (T3).</summary>
    /// <param name="number">The release number.</param>
    /// <param name="content">The new content.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">T3: the release is Live or Deprecated.</exception>
    public void EditContent(ReleaseNumber number, WorkflowDefinition content, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(content);
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, ReleaseAction.EditContent, 0);
        var release = _releases[index];
        if (release.Content.Equals(content))
        {
            // X12: an unchanged write changes nothing (no revision, no audit entry, no event).
            return;
        }

        Replace(index, release with { Content = content, UpdatedAt = at });
        MarkContentChanged(VersionKey.ForRelease(number));
        Record(AuditAction.ContentEdited, by, at, release.Label, $"Content of {release.Label} edited: {content.Steps.Length} step(s).");
    }

    /// <summary>In a Draft, makes every step that uses the connector named <paramref name="connectorName"/> use <paramref name="replacement"/> (T9).</summary>
    /// <param name="number">The release number.</param>
    /// <param name="connectorName">The connector to replace.</param>
    /// <param name="replacement">The connector to use instead.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="ArgumentException">No step uses <paramref name="connectorName"/>.</exception>
    /// <exception cref="VersioningRuleException">T3: the release is locked.</exception>
    public void SwapConnector(ReleaseNumber number, string connectorName, ConnectorRef replacement, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(connectorName);
        ArgumentNullException.ThrowIfNull(replacement);
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, ReleaseAction.EditContent, 0);
        var release = _releases[index];
        if (!release.Content.UsesConnector(connectorName))
        {
            throw new ArgumentException($"No step of {release.Label} uses the connector '{connectorName}'; list the release's connectors to see which are used.", nameof(connectorName));
        }

        Replace(index, release with { Content = release.Content.SwapConnector(connectorName, replacement), UpdatedAt = at });
        MarkContentChanged(VersionKey.ForRelease(number));
        Record(AuditAction.ContentEdited, by, at, release.Label, $"Connector '{connectorName}' swapped for {replacement} in {release.Label}.");
    }

    /// <summary>Sets a release's notes; allowed in every state (T4).</summary>
    /// <param name="number">The release number.</param>
    /// <param name="notes">Up to 10 000 characters; empty clears them.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    public void SetNotes(ReleaseNumber number, string notes, ActorId by, Instant at)
    {
        var checkedNotes = Preconditions.FreeText(notes, nameof(notes), TemplateRelease.MaxNotesLength);
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, ReleaseAction.EditNotes, 0);
        var release = _releases[index];
        if (release.Notes == checkedNotes)
        {
            return;
        }

        Replace(index, release with { Notes = checkedNotes, UpdatedAt = at });
        Record(AuditAction.NotesChanged, by, at, release.Label, $"Notes of {release.Label} changed.");
    }

    /// <summary>
    /// Promotes a Draft to Live; in the same step the previous Live release becomes Deprecated (T5, T6, T7).
    /// Existing installations keep their binding (T12).
    /// </summary>
    /// <param name="number">The Draft's number.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">T5/T6/T7: the release is not a Draft.</exception>
    public void Promote(ReleaseNumber number, ActorId by, Instant at)
    {
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, ReleaseAction.Promote, 0);
        var previous = _liveIndex;
        if (previous >= 0)
        {
            var old = _releases[previous];
            Replace(previous, old with { State = ReleaseState.Deprecated, DeprecatedAt = at, UpdatedAt = at });
            Record(AuditAction.Deprecated, by, at, old.Label, $"{old.Label} deprecated: {_releases[index].Label} was promoted to Live.");
        }

        var release = _releases[index];
        Replace(index, release with { State = ReleaseState.Live, PromotedBy = by, PromotedAt = at, UpdatedAt = at });
        _liveIndex = index;
        Record(AuditAction.Promoted, by, at, release.Label, previous >= 0
            ? $"{release.Label} promoted to Live, replacing release {_releases[previous].Number}."
            : $"{release.Label} promoted to Live.");
    }

    /// <summary>
    /// Copies a release (any state) to a new Draft in <paramref name="destination"/>: this template, another one, or
    /// a template just created for the copy (T8). The copy's content equals the source's and records its provenance;
    /// this template's audit records "copied to" and the destination's records "copied from".
    /// </summary>
    /// <param name="number">The source release number in this template.</param>
    /// <param name="destination">Where the new Draft goes; may be this template.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The new Draft in <paramref name="destination"/>.</returns>
    public TemplateRelease CopyRelease(ReleaseNumber number, Template destination, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, ReleaseAction.Copy, 0);
        var source = _releases[index];
        var copy = destination.NewDraft(source.Content, by, at, new ReleaseProvenance(Id, source.Number), source.Notes);
        var where = ReferenceEquals(destination, this) ? "this template" : $"template '{destination.Name}' ({destination.Id})";
        Record(AuditAction.CopiedTo, by, at, source.Label, $"{source.Label} copied to {copy.Label} of {where}.");
        destination.Record(AuditAction.CopiedFrom, by, at, copy.Label, $"{copy.Label} created as a copy of {source.Label} of template '{Name}' ({Id}).");
        return copy;
    }

    /// <summary>Deletes a Draft or Deprecated release with no installations pinned to it (T10). Its number stays taken; its audit entries remain.</summary>
    /// <param name="number">The release number.</param>
    /// <param name="installationCount">How many installations are pinned to the release (from the installation store).</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">T10: the release is Live or has installations.</exception>
    public void DeleteRelease(ReleaseNumber number, long installationCount, ActorId by, Instant at)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(installationCount);
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, ReleaseAction.Delete, installationCount);
        var release = _releases[index];
        _releases.RemoveAt(index);
        MarkRemoved(VersionKey.ForRelease(release.Number));
        _liveIndex = _releases.FindIndex(r => r.State == ReleaseState.Live);
        Record(AuditAction.Deleted, by, at, release.Label, $"{release.Label} ({release.State}) deleted.");
    }

    /// <summary>Starts a release running (T11): Drafts and the Live release only.</summary>
    /// <param name="number">The release number.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">T11: the release is Deprecated.</exception>
    public void Run(ReleaseNumber number, ActorId by, Instant at) => SetRunStatus(number, RunStatus.Running, ReleaseAction.Run, by, at);

    /// <summary>Pauses a release (T11); allowed in every state.</summary>
    /// <param name="number">The release number.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    public void Pause(ReleaseNumber number, ActorId by, Instant at) => SetRunStatus(number, RunStatus.Paused, ReleaseAction.Pause, by, at);

    /// <summary>The release a new installation binds to: the Live release of a published template (T12).</summary>
    /// <returns>The Live release.</returns>
    /// <exception cref="VersioningRuleException">T12: the template is unpublished or has no Live release.</exception>
    public TemplateRelease ReleaseForNewInstallation()
    {
        if (_liveIndex < 0)
        {
            throw Refused("T12", $"Template '{Name}' has no Live release, so it cannot be installed (T12): promote a Draft first.");
        }

        Require(_liveIndex, ReleaseAction.Install, 0);
        return _releases[_liveIndex];
    }

    /// <summary>
    /// I3: whether an installation of this template runs at <paramref name="at"/>: it is Running and its release still
    /// exists in a state that runs existing installations (Live or Deprecated: promoting never stops anyone, T12).
    /// </summary>
    /// <param name="installation">The installation.</param>
    /// <param name="at">The instant (release states do not depend on time; kept for symmetry with integrations).</param>
    /// <returns>True when it may run.</returns>
    public bool CanRun(Installations.Installation installation, Instant at)
    {
        ArgumentNullException.ThrowIfNull(installation);
        return installation.Status == RunStatus.Running && installation.Product == Product && RunsInstallationsOn(installation.Pinned, at);
    }

    /// <inheritdoc />
    public bool RunsInstallationsOn(VersionKey pinned, Instant at)
    {
        if (!ReleaseNumber.TryParse(pinned.Value, out var number))
        {
            return false;
        }

        var index = BinarySearch(number);
        if (index < 0)
        {
            CheckLoaded(number);
            return false;
        }

        return Lifecycle.Has(_releases[index].State, StateCapabilities.RunsExistingInstallations);
    }

    /// <summary>
    /// The release a new installation pins (T12): the Live release of a published template. A requested release must be
    /// that one: a template installs nothing else.
    /// </summary>
    VersionKey IProduct.PinForNewInstallation(VersionKey? requested, ActorId by, OwnerRef owner, Instant at)
    {
        var live = ReleaseForNewInstallation();
        var key = VersionKey.ForRelease(live.Number);
        if (requested is { } r && r != key)
        {
            throw Refused("T12", $"Only the Live {live.Label} of template '{Name}' can be installed (T12), not release {r}.", r.Value);
        }

        return key;
    }

    /// <summary>
    /// An upgrade (T13): every installation not on the Live release moves to it. A target, when named, must be the Live
    /// release; a source cannot be named.
    /// </summary>
    MigrationPlan IProduct.PlanMigration(VersionKey? from, VersionKey? to, OwnerRef? singleOwner, bool sameMajorOnly, ActorId by, Instant at)
    {
        var live = UpgradeTarget();
        if (from is { } f)
        {
            throw Refused("T13", $"An upgrade of template '{Name}' moves every installation not on the Live release (T13); it takes no source release ({f}).", f.Value);
        }

        if (to is { } t && t != live)
        {
            throw Refused("T13", $"Release {t} is not the Live release of template '{Name}' (T13): installations are upgraded to the Live release {live}.", t.Value);
        }

        return new MigrationPlan(null, live);
    }

    /// <inheritdoc />
    void IProduct.CheckMigrationTarget(VersionKey to, OwnerRef? singleOwner, Instant at)
    {
        var live = UpgradeTarget();
        if (live != to)
        {
            throw Refused("T13", $"release {to} is no longer the Live release (T13); start a new upgrade to release {live}.", to.Value);
        }
    }

    /// <summary>The key of the Live release, the target of every upgrade (T13).</summary>
    private VersionKey UpgradeTarget()
        => LiveRelease is { } live
            ? VersionKey.ForRelease(live.Number)
            : throw Refused("T13", $"Template '{Name}' has no Live release to upgrade installations to (T13): promote a Draft first.");

    /// <summary>Records that installations were migrated (upgraded) onto a release (T13, T14): a <see cref="AuditAction.InstallationsUpgraded"/> entry.</summary>
    /// <param name="number">The release upgraded to (the Live release).</param>
    /// <param name="details">What moved, for people.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">T13: the release is not Live.</exception>
    public void RecordInstallationsMigrated(ReleaseNumber number, string details, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(details);
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, ReleaseAction.UpgradeTo, 0);
        Record(AuditAction.InstallationsUpgraded, by, at, _releases[index].Label, details);
    }

    /// <summary>The actions permitted on a release now (X5).</summary>
    /// <param name="number">The release number.</param>
    /// <param name="installationCount">How many installations are pinned to it.</param>
    /// <returns>The permitted actions.</returns>
    public ActionSet<ReleaseAction> PermittedActions(ReleaseNumber number, long installationCount)
    {
        var facts = new ReleaseFacts(Published, installationCount);
        return Lifecycle.PermittedActions(GetRelease(number).State, in facts);
    }

    /// <summary>Why <paramref name="action"/> is not permitted on a release now, or the default value when it is (X5).</summary>
    /// <param name="number">The release number.</param>
    /// <param name="action">The action.</param>
    /// <param name="installationCount">How many installations are pinned to it.</param>
    /// <returns>The unmet rule, or <c>default</c>.</returns>
    public RuleViolation WhyNot(ReleaseNumber number, ReleaseAction action, long installationCount)
    {
        var facts = new ReleaseFacts(Published, installationCount);
        Lifecycle.CanApply(GetRelease(number).State, action, in facts, out var whyNot);
        return whyNot;
    }

    /// <summary>
    /// The Stateless state machine of one release (rule S4), for questions and what-if paths: <c>CanFire</c>,
    /// <c>GetPermittedTriggers</c>, <c>GetInfo()</c> and the graph exports, or firing a sequence of actions to see where
    /// it leads. It is <b>detached</b>: it starts in the release's current state with the facts of this call (the
    /// template's published flag now and <paramref name="installationCount"/>), and firing it changes only the
    /// machine's own copy of the state, never the template, its audit trail or its events. To change the release, call
    /// the template's command (<see cref="Promote"/>, <see cref="DeleteRelease"/>, …), which checks the same rules and
    /// records the change. A refused action raises the same <see cref="VersioningRuleException"/> as the command
    /// would in the machine's state. Delete is an internal transition by convention (the state stays; nothing is
    /// removed). Each call configures a new machine.
    /// </summary>
    /// <param name="number">The release number.</param>
    /// <param name="installationCount">How many installations are pinned to the release (T10).</param>
    /// <returns>A new machine, in the release's current state.</returns>
    /// <exception cref="EntityNotFoundException">No such release.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="installationCount"/> is negative.</exception>
    public StateMachine<ReleaseState, ReleaseAction> StateMachineFor(ReleaseNumber number, long installationCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(installationCount);
        var release = GetRelease(number);
        var facts = new ReleaseFacts(Published, installationCount);
        var name = Name;
        var state = release.State;
        return Lifecycle.ToStateMachine(
            () => state,
            next => state = next,
            () => facts,
            (refusedIn, action, whyNot) => Refusal(release, name, refusedIn, action, whyNot));
    }

    private TemplateRelease NewDraft(WorkflowDefinition content, ActorId by, Instant at, ReleaseProvenance? provenance, string notes)
    {
        if (LastReleaseNumber == int.MaxValue)
        {
            throw Refused("T2", $"Template '{Name}' has used every release number.");
        }

        LastReleaseNumber++;
        var release = new TemplateRelease
        {
            Number = new ReleaseNumber(LastReleaseNumber),
            State = Lifecycle.InitialState,
            RunStatus = RunStatus.Paused,
            Content = content,
            CreatedBy = by,
            CreatedAt = at,
            UpdatedAt = at,
            CopiedFrom = provenance,
            Notes = notes,
        };
        _releases.Add(release);
        MarkContentChanged(VersionKey.ForRelease(release.Number));
        return release;
    }

    private void Replace(int index, TemplateRelease release)
    {
        _releases[index] = release;
        MarkChanged(VersionKey.ForRelease(release.Number));
    }

    private void SetRunStatus(ReleaseNumber number, RunStatus status, ReleaseAction action, ActorId by, Instant at)
    {
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, action, 0);
        var release = _releases[index];
        if (release.RunStatus == status)
        {
            return;
        }

        Replace(index, release with { RunStatus = status, UpdatedAt = at });
        Record(status == RunStatus.Running ? AuditAction.Started : AuditAction.Paused, by, at, release.Label, $"{release.Label} {(status == RunStatus.Running ? "started" : "paused")}.");
    }

    private void Require(int index, ReleaseAction action, long installationCount)
    {
        var release = _releases[index];
        var facts = new ReleaseFacts(Published, installationCount);
        if (!Lifecycle.CanApply(release.State, action, in facts, out var whyNot))
        {
            throw Refusal(release, Name, release.State, action, whyNot);
        }
    }

    /// <summary>The exception for an action the lifecycle refuses: one wording for the commands and the Stateless machine.</summary>
    private VersioningRuleException Refusal(TemplateRelease release, string templateName, ReleaseState state, ReleaseAction action, RuleViolation whyNot)
        => Refused(whyNot.RuleId!, $"Cannot {Describe(action)} {release.Label} of template '{templateName}': {whyNot.Message}", release.Label, state.ToString());

    private static string Describe(ReleaseAction action) => action switch
    {
        ReleaseAction.EditContent => "edit the content of",
        ReleaseAction.EditNotes => "edit the notes of",
        ReleaseAction.Promote => "promote",
        ReleaseAction.Supersede => "deprecate",
        ReleaseAction.Copy => "copy",
        ReleaseAction.Delete => "delete",
        ReleaseAction.Run => "run",
        ReleaseAction.Pause => "pause",
        ReleaseAction.Install => "install",
        ReleaseAction.UpgradeTo => "upgrade installations to",
        _ => action.ToString(),
    };

    private int IndexOf(ReleaseNumber number)
    {
        if (number.IsEmpty)
        {
            throw new ArgumentException("The release number is empty (the default value); name a release, 1 or more.", nameof(number));
        }

        var index = BinarySearch(number);
        if (index >= 0)
        {
            return index;
        }

        CheckLoaded(number);
        throw new EntityNotFoundException("Release", number.ToString(), $"template '{Name}' ({Id})");
    }

    /// <summary>
    /// Throws when a release this copy does not hold may exist in the store: it was neither selected nor loaded as the
    /// Live one (a programming error in the command's selection, never "not found"). A number above
    /// <see cref="LastReleaseNumber"/> was never used, so it is simply absent.
    /// </summary>
    private void CheckLoaded(ReleaseNumber number)
    {
        if (number.IsEmpty || number.Value > LastReleaseNumber || Loaded.Includes(VersionKey.ForRelease(number)))
        {
            return;
        }

        throw new InvalidOperationException($"Release {number} of template '{Name}' ({Id}) was not loaded by this command's selection; select it to read it.");
    }

    private int BinarySearch(ReleaseNumber number) => SortedSearch.IndexOf(_releases, number, static r => r.Number);
}
