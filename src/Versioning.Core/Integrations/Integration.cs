using System.Collections.Immutable;
using System.Runtime.InteropServices;
using NodaTime;
using Stateless;
using Versioning.Core.Aggregates;
using Versioning.Core.Auditing;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Lifecycles;

namespace Versioning.Core.Integrations;

/// <summary>
/// An integration and its versions (Zapier-style): the consistency boundary for rules Z1–Z17. Every command checks all
/// its rules before changing anything (X1). States are evaluated at the command's instant, so a Deprecating version
/// whose date has begun is treated as Deprecated without any background job (Z12).
/// </summary>
/// <threadsafety>An instance is not thread-safe: it is a unit of work for one command, loaded, changed and saved by
/// one caller. Do not share a loaded instance between threads; load one per command (the services do), and let the
/// store's revision check (X3) settle concurrent writers. The routing queries (<c>Route</c>) only read and may run
/// on several threads while nothing changes the instance.</threadsafety>
public sealed partial class Integration : TeamOwnedAggregate, IProduct
{
    /// <summary>The longest integration name accepted, after trimming.</summary>
    public const int MaxNameLength = 200;

    private static readonly Lifecycle<VersionState, VersionAction, VersionFacts> Lifecycle = VersionLifecycle.Definition;

    private readonly List<IntegrationVersion> _versions;
    private readonly System.Collections.ObjectModel.ReadOnlyCollection<IntegrationVersion> _versionsView;
    private ImmutableSortedSet<ActorId> _sharedWithAll;
    private ImmutableSortedSet<VersionNumber> _usedNumbers;
    private VersionNumber? _promoted;
    private readonly ItemSelection _loaded;

    private Integration(IntegrationSnapshot snapshot)
        : base(snapshot.Revision, snapshot.AuditTrail, snapshot.AuditTrailStart, snapshot.Team)
    {
        Id = snapshot.Id;
        Name = snapshot.Name;
        CreatedBy = snapshot.CreatedBy;
        CreatedAt = snapshot.CreatedAt;
        HasPromoted = snapshot.HasPromoted;
        _sharedWithAll = snapshot.SharedWithAllVersions;
        _usedNumbers = snapshot.UsedNumbers;
        _versions = [.. snapshot.Versions];
        _versionsView = _versions.AsReadOnly();
        _canaries = snapshot.Canaries.IsDefault ? [] : [.. snapshot.Canaries];
        _promoted = _versions.FirstOrDefault(v => v.StoredState == VersionState.Promoted)?.Number;
        _loaded = snapshot.Loaded ?? ItemSelection.All;
    }

    /// <summary>The integration's identifier.</summary>
    public IntegrationId Id { get; }

    /// <summary>The name.</summary>
    public string Name { get; private set; }

    /// <summary>Who created it.</summary>
    public ActorId CreatedBy { get; }

    /// <summary>When it was created.</summary>
    public Instant CreatedAt { get; }

    /// <summary>Whether a version was ever promoted; from then on exactly one is Promoted (Z9).</summary>
    public bool HasPromoted { get; private set; }

    /// <summary>Users outside the team that every unlabeled Private version is shared with (Z6).</summary>
    public IReadOnlySet<ActorId> SharedWithAllVersions => _sharedWithAll;

    /// <summary>Every version number ever used, deleted ones included (Z1).</summary>
    /// <exception cref="InvalidOperationException">The integration was loaded for a command whose selection did not ask for them (<see cref="ItemSelection.UsedNumbers"/>).</exception>
    public IReadOnlySet<VersionNumber> UsedNumbers => _loaded.UsedNumbers ? _usedNumbers : throw NotLoaded("the numbers ever used (Z1)", "WithUsedNumbers()");

    /// <summary>
    /// The versions loaded, in semantic-version order: every one when <see cref="Loaded"/> is <see cref="ItemSelection.All"/>
    /// (a query's copy); for a command's copy, only the versions its selection lists and the Promoted one.
    /// </summary>
    public IReadOnlyList<IntegrationVersion> Versions => _versionsView;

    /// <summary>
    /// What this copy holds (<see cref="ItemSelection.All"/> for a whole copy). Asking a partial copy about a version it
    /// did not load throws <see cref="InvalidOperationException"/>: it cannot tell whether the version exists.
    /// </summary>
    public ItemSelection Loaded => _loaded;

    /// <summary>The Promoted version, if any (Z7, Z9).</summary>
    public IntegrationVersion? PromotedVersion => _promoted is { } p ? _versions[IndexOf(p)] : null;

    /// <inheritdoc />
    public override string AggregateKind => "Integration";

    /// <summary>The integration as installations and migration jobs refer to it.</summary>
    public ProductRef Product => ProductRef.Of(Id);

    /// <inheritdoc />
    public override string AggregateIdText => Id.ToString();

    /// <inheritdoc />

    protected override string TeamRuleId => "Z6";

    /// <inheritdoc />

    protected override string DisplayName => Name;

    /// <summary>Creates an integration with its creator as the only team member.</summary>
    /// <param name="id">A new identifier.</param>
    /// <param name="name">1–200 characters after trimming.</param>
    /// <param name="by">The creator.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The new integration.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    public static Integration Create(IntegrationId id, string name, ActorId by, Instant at)
    {
        Preconditions.NotDefault(id, nameof(id));
        var checkedName = Preconditions.Name(name, nameof(name), MaxNameLength);
        CheckActor(by);
        var integration = new Integration(new IntegrationSnapshot
        {
            Id = id,
            Name = checkedName,
            Revision = 0,
            CreatedBy = by,
            CreatedAt = at,
            HasPromoted = false,
            Team = [by],
            SharedWithAllVersions = [],
            UsedNumbers = [],
            Versions = [],
            AuditTrail = [],
        });
        integration.Record(AuditAction.Created, by, at, null, $"Integration '{checkedName}' created; {by} is on the team.");
        return integration;
    }

    /// <summary>Rebuilds an integration from its stored state (for stores).</summary>
    /// <param name="snapshot">The stored state.</param>
    /// <returns>The integration, with no pending events.</returns>
    public static Integration FromSnapshot(IntegrationSnapshot snapshot) => new(Preconditions.NotNull(snapshot, nameof(snapshot)));

    /// <summary>Captures the current state (for stores).</summary>
    /// <returns>An immutable snapshot.</returns>
    public IntegrationSnapshot ToSnapshot() => new()
    {
        Id = Id,
        Name = Name,
        Revision = Revision,
        CreatedBy = CreatedBy,
        CreatedAt = CreatedAt,
        HasPromoted = HasPromoted,
        Team = TeamSet,
        SharedWithAllVersions = _sharedWithAll,
        UsedNumbers = _usedNumbers,
        Versions = ImmutableArray.Create<IntegrationVersion>(CollectionsMarshal.AsSpan(_versions)),
        AuditTrail = AuditTrailSnapshot(),
        AuditTrailStart = AuditTrailStart,
        Canaries = [.. _canaries],
        Loaded = _loaded,
    };

    /// <summary>Finds a version.</summary>
    /// <param name="number">The version number.</param>
    /// <returns>The version.</returns>
    /// <exception cref="EntityNotFoundException">No such version.</exception>
    /// <exception cref="InvalidOperationException">The version was not loaded by this copy's selection (<see cref="Loaded"/>).</exception>
    public IntegrationVersion GetVersion(VersionNumber number) => _versions[IndexOf(number)];

    /// <summary>Finds a version, or returns null.</summary>
    /// <param name="number">The version number.</param>
    /// <returns>The version, or null.</returns>
    /// <exception cref="InvalidOperationException">The version was not loaded by this copy's selection (<see cref="Loaded"/>).</exception>
    public IntegrationVersion? FindVersion(VersionNumber number)
    {
        var index = Locate(number);
        return index >= 0 ? _versions[index] : null;
    }

    /// <summary>
    /// Creates a Private version (Z1–Z3): empty, with <paramref name="content"/>, or as a clone of <paramref name="cloneFrom"/>.
    /// </summary>
    /// <param name="number">The new number: unused, and (when <paramref name="sequentialNumbering"/>) with a predecessor.</param>
    /// <param name="content">The content, or null (empty, or the clone source's).</param>
    /// <param name="cloneFrom">A version to copy content and notes from, or null.</param>
    /// <param name="sequentialNumbering">Whether Z2 applies.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The new version.</returns>
    /// <exception cref="ArgumentException">Both <paramref name="content"/> and <paramref name="cloneFrom"/> are given.</exception>
    /// <exception cref="VersioningRuleException">Z1: the number was used; Z2: it has no predecessor.</exception>
    /// <exception cref="EntityNotFoundException"><paramref name="cloneFrom"/> does not exist.</exception>
    public IntegrationVersion CreateVersion(VersionNumber number, WorkflowDefinition? content, VersionNumber? cloneFrom, bool sequentialNumbering, ActorId by, Instant at)
    {
        CheckActor(by);
        if (content is not null && cloneFrom is not null)
        {
            throw new ArgumentException("Give either content or a version to clone, not both.", nameof(content));
        }

        var source = cloneFrom is { } c ? GetVersion(c) : null;
        if (UsedNumbers.Contains(number))
        {
            throw Refused("Z1", $"Version {number} of '{Name}' already exists or existed before; numbers are never reused (Z1): choose another number.", $"version {number}");
        }

        if (sequentialNumbering && !number.IsPreRelease && MissingPredecessor(number) is { } expected)
        {
            throw Refused("Z2", $"Version {number} of '{Name}' has no predecessor: {expected} (Z2). Create the numbers in sequence, or turn off sequential numbering.", $"version {number}");
        }

        var version = new IntegrationVersion
        {
            Number = number,
            StoredState = Lifecycle.InitialState,
            Content = source?.Content ?? content ?? WorkflowDefinition.Empty,
            Notes = source?.Notes ?? string.Empty,
            CreatedBy = by,
            CreatedAt = at,
            UpdatedAt = at,
            ClonedFrom = source?.Number,
        };
        _versions.Insert(~BinarySearch(number), version);
        MarkContentChanged(VersionKey.ForVersion(number));
        _usedNumbers = _usedNumbers.Add(number);
        Record(AuditAction.ReleaseCreated, by, at, number.ToString(), source is null
            ? $"Version {number} created (Private)."
            : $"Version {number} created (Private) as a clone of {source.Number}.");
        return version;
    }

    /// <summary>Replaces a Private version's content while fewer than the limit's installations use it (Z4).</summary>
    /// <param name="number">The version.</param>
    /// <param name="content">The new content.</param>
    /// <param name="installationCount">How many installations use it.</param>
    /// <param name="editInstallationLimit">The limit (option).</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">Z4/Z7: not Private or too many installations.</exception>
    public void EditContent(VersionNumber number, WorkflowDefinition content, long installationCount, int editInstallationLimit, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(content);
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, VersionAction.EditContent, installationCount, editInstallationLimit, at);
        var version = _versions[index];
        if (version.Content.Equals(content))
        {
            // X12: an unchanged write changes nothing (no revision, no audit entry, no event).
            return;
        }

        Replace(index, version with { Content = content, UpdatedAt = at });
        MarkContentChanged(VersionKey.ForVersion(number));
        Record(AuditAction.ContentEdited, by, at, number.ToString(), $"Content of {version.Label} edited: {content.Steps.Length} step(s).");
    }

    /// <summary>Sets a version's release notes (any state).</summary>
    /// <param name="number">The version.</param>
    /// <param name="notes">Up to 10 000 characters.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    public void SetNotes(VersionNumber number, string notes, ActorId by, Instant at)
    {
        var checkedNotes = Preconditions.FreeText(notes, nameof(notes), IntegrationVersion.MaxNotesLength);
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, VersionAction.EditNotes, 0, 1, at);
        var version = _versions[index];
        if (version.Notes == checkedNotes)
        {
            return;
        }

        Replace(index, version with { Notes = checkedNotes, UpdatedAt = at });
        Record(AuditAction.NotesChanged, by, at, number.ToString(), $"Notes of {version.Label} changed.");
    }

    /// <summary>Shares a Private version (or, with null, every unlabeled Private version) with a user outside the team (Z5, Z6).</summary>
    /// <param name="number">The version, or null for all versions.</param>
    /// <param name="user">The user.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">Z5: labeled; Z6: not Private.</exception>
    public void Share(VersionNumber? number, ActorId user, ActorId by, Instant at)
    {
        Preconditions.Actor(user, nameof(user));
        CheckActor(by);
        if (number is not { } n)
        {
            if (_sharedWithAll.Contains(user))
            {
                return;
            }

            _sharedWithAll = _sharedWithAll.Add(user);
            Record(AuditAction.Shared, by, at, null, $"All Private versions shared with {user}.");
            return;
        }

        var index = IndexOf(n);
        Require(index, VersionAction.Share, 0, 1, at);
        var version = _versions[index];
        if (version.SharedWith.Contains(user))
        {
            return;
        }

        Replace(index, version with { SharedWith = version.SharedWith.Add(user), UpdatedAt = at });
        Record(AuditAction.Shared, by, at, n.ToString(), $"{version.Label} shared with {user}.");
    }

    /// <summary>
    /// Shares a Private version with one account (M3, X8): installations the account owns may then use it. Accounts and
    /// users are different principals: an account share gives nothing to a user whose id equals the account's.
    /// </summary>
    /// <param name="number">The version.</param>
    /// <param name="principal">The user or account.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">Z5: labeled; Z6: not Private.</exception>
    public void Share(VersionNumber number, OwnerRef principal, ActorId by, Instant at)
    {
        Preconditions.NotDefault(principal, nameof(principal));
        if (principal.Kind == OwnerKind.User)
        {
            Share(number, new ActorId(principal.Id), by, at);
            return;
        }

        CheckActor(by);
        var index = IndexOf(number);
        Require(index, VersionAction.Share, 0, 1, at);
        var version = _versions[index];
        if (version.SharedWithAccounts.Contains(principal.Id))
        {
            return;
        }

        Replace(index, version with { SharedWithAccounts = version.SharedWithAccounts.Add(principal.Id), UpdatedAt = at });
        Record(AuditAction.Shared, by, at, number.ToString(), $"{version.Label} shared with {principal}.");
    }

    /// <summary>Stops sharing (Z6): the user can no longer install the version; existing installations keep running.</summary>
    /// <param name="number">The version, or null for the all-versions share.</param>
    /// <param name="user">The user.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    public void Unshare(VersionNumber? number, ActorId user, ActorId by, Instant at)
    {
        Preconditions.Actor(user, nameof(user));
        CheckActor(by);
        if (number is not { } n)
        {
            if (_sharedWithAll.Contains(user))
            {
                _sharedWithAll = _sharedWithAll.Remove(user);
                Record(AuditAction.Unshared, by, at, null, $"All-versions share with {user} removed.");
            }

            return;
        }

        var index = IndexOf(n);
        var version = _versions[index];
        if (version.SharedWith.Contains(user))
        {
            RequireNoCanaryTargetingPrincipal(version, OwnerRef.User(user.Value), at);
            Replace(index, version with { SharedWith = version.SharedWith.Remove(user), UpdatedAt = at });
            Record(AuditAction.Unshared, by, at, n.ToString(), $"{version.Label} no longer shared with {user}.");
        }
    }

    /// <summary>Stops sharing a version with a user or an account (Z6, X8); existing installations keep running.</summary>
    /// <param name="number">The version.</param>
    /// <param name="principal">The user or account.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    public void Unshare(VersionNumber number, OwnerRef principal, ActorId by, Instant at)
    {
        Preconditions.NotDefault(principal, nameof(principal));
        if (principal.Kind == OwnerKind.User)
        {
            Unshare(number, new ActorId(principal.Id), by, at);
            return;
        }

        CheckActor(by);
        var index = IndexOf(number);
        var version = _versions[index];
        if (version.SharedWithAccounts.Contains(principal.Id))
        {
            RequireNoCanaryTargetingPrincipal(version, principal, at);
            Replace(index, version with { SharedWithAccounts = version.SharedWithAccounts.Remove(principal.Id), UpdatedAt = at });
            Record(AuditAction.Unshared, by, at, number.ToString(), $"{version.Label} no longer shared with {principal}.");
        }
    }

    /// <summary>
    /// Tells whether <paramref name="user"/> can see and use a version (Z5, Z6, X8): team members see every version;
    /// others see unlabeled versions that were ever public (Promoted or Available, whatever their state now), and
    /// unlabeled never-public versions shared with them, in every state (a never-shared Private version marked Legacy or
    /// deprecated stays hidden).
    /// </summary>
    /// <param name="number">The version.</param>
    /// <param name="user">The user.</param>
    /// <returns>True when visible.</returns>
    public bool CanAccess(VersionNumber number, ActorId user)
    {
        if (IsTeamMember(user))
        {
            return true;
        }

        var version = FindVersion(number);
        if (version is null || user.IsEmpty || version.IsPreRelease)
        {
            return false;
        }

        return version.WasPublic || version.SharedWith.Contains(user) || _sharedWithAll.Contains(user);
    }

    /// <summary>
    /// Tells whether a principal (an installation's owner) can use a version (X8): a user as in
    /// <see cref="CanAccess(VersionNumber, ActorId)"/>; an account when the version was ever public or was shared with
    /// that account. A share with a user never counts for an account of the same id, nor the reverse.
    /// </summary>
    /// <param name="number">The version.</param>
    /// <param name="principal">The user or account.</param>
    /// <returns>True when usable.</returns>
    public bool CanAccess(VersionNumber number, OwnerRef principal)
    {
        if (principal.Id is null)
        {
            return false;
        }

        if (principal.Kind == OwnerKind.User)
        {
            return CanAccess(number, new ActorId(principal.Id));
        }

        var version = FindVersion(number);
        return version is not null && !version.IsPreRelease && (version.WasPublic || version.SharedWithAccounts.Contains(principal.Id));
    }

    /// <summary>
    /// The integration as <paramref name="viewer"/> may see it (X8): the whole integration for the team; for anyone else
    /// a copy with only the versions they can access, without anybody's shares, with only the canaries they may see
    /// (<see cref="CanSee"/>), and with only the audit entries about those versions and canaries.
    /// </summary>
    /// <param name="viewer">Who is looking.</param>
    /// <returns>This integration, or a filtered copy.</returns>
    public Integration ViewFor(ActorId viewer)
    {
        if (IsTeamMember(viewer))
        {
            return this;
        }

        RequireAll("a view for someone outside the team");
        var visible = _versions.Where(v => CanAccess(v.Number, viewer)).ToList();
        var labels = visible.Select(v => v.Number.ToString()).ToHashSet(StringComparer.Ordinal);
        var visibleKeys = visible.Select(v => VersionKey.ForVersion(v.Number)).ToHashSet();
        var hidden = _usedNumbers.Select(n => n.ToString()).Where(n => !labels.Contains(n)).ToList();
        var empty = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
        var snapshot = ToSnapshot();
        return FromSnapshot(snapshot with
        {
            SharedWithAllVersions = [],
            UsedNumbers = [.. visible.Select(v => v.Number)],
            Versions = [.. visible.Select(v => v with
            {
                SharedWith = [],
                SharedWithAccounts = empty,
                ClonedFrom = v.ClonedFrom is { } c && labels.Contains(c.ToString()) ? c : null,
            })],
            Canaries = [.. snapshot.Canaries.Where(c => CanSee(c, viewer))],
            AuditTrail = [.. AuditTrail.Where(e => e.SubjectKey is { } key && visibleKeys.Contains(key)
                && e.Action is not (AuditAction.Shared or AuditAction.Unshared) && !hidden.Any(n => Mentions(e.Details, n))
                && CanaryEntryVisibleTo(e, viewer))],
            AuditTrailStart = 0,
        });
    }

    // Whether a text names a version number as a whole (so "1.1.0" is not found in "1.1.0-beta" or "11.1.0").
    private static bool Mentions(string text, string number)
    {
        for (var at = text.IndexOf(number, StringComparison.Ordinal); at >= 0; at = text.IndexOf(number, at + 1, StringComparison.Ordinal))
        {
            var end = at + number.Length;
            var before = at == 0 ? ' ' : text[at - 1];
            var after = end == text.Length ? ' ' : text[end];
            var afterNext = end + 1 < text.Length ? text[end + 1] : ' ';
            if (!char.IsLetterOrDigit(before) && before is not ('.' or '-') && !char.IsLetterOrDigit(after) && after != '-' && !(after == '.' && char.IsDigit(afterNext)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Promotes a Private or Available version (Z7): every check runs; any error blocks, all errors reported together
    /// and nothing changes (Z8); warnings are recorded on the version. The previous Promoted version becomes Available in
    /// the same step, so there is always exactly one Promoted version from now on (Z9).
    /// </summary>
    /// <param name="number">The version.</param>
    /// <param name="checks">The promotion checks to run.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The warnings recorded.</returns>
    /// <exception cref="VersioningRuleException">Z5, Z7, Z11, Z12: the state forbids it; Z8: a check failed (see <see cref="VersioningRuleException.Problems"/>).</exception>
    public IReadOnlyList<PromotionFinding> Promote(VersionNumber number, IEnumerable<IPromotionCheck> checks, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(checks);
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, VersionAction.Promote, 0, 1, at);
        var candidate = _versions[index];
        // One lookup for the Promoted version, used both for the checks and for the demotion.
        var currentIndex = _promoted is { } promoted ? IndexOf(promoted) : -1;
        var current = currentIndex >= 0 ? _versions[currentIndex] : null;
        var findings = checks.SelectMany(c => c.Check(this, candidate, current)).ToList();
        var errors = findings.Where(f => f.Severity == PromotionSeverity.Error).Select(f => f.ToString()).ToList();
        if (errors.Count > 0)
        {
            throw Refused("Z8", $"Cannot promote {candidate.Label} of '{Name}': {errors.Count} promotion check(s) failed (Z8): {string.Join(" ", errors)}", candidate.Label, candidate.StateAt(at).ToString(), errors);
        }

        var warnings = findings.Where(f => f.Severity == PromotionSeverity.Warning).ToList();
        if (current is not null)
        {
            Replace(currentIndex, current with { StoredState = VersionState.Available, UpdatedAt = at });
            Record(AuditAction.Demoted, by, at, current.Number.ToString(), $"{current.Label} demoted to Available: {candidate.Label} was promoted.");
        }

        Replace(index, candidate with
        {
            StoredState = VersionState.Promoted,
            PromotedAt = at,
            UpdatedAt = at,
            PromotionWarnings = [.. warnings],
        });
        _promoted = number;
        HasPromoted = true;
        foreach (var warning in warnings)
        {
            Record(AuditAction.PromotionWarning, by, at, number.ToString(), warning.ToString());
        }

        Record(AuditAction.Promoted, by, at, number.ToString(), current is null
            ? $"{candidate.Label} promoted."
            : $"{candidate.Label} promoted, replacing {current.Number}.");
        return warnings;
    }

    /// <summary>Marks a Private or Available version Legacy (Z11). There is no way back.</summary>
    /// <param name="number">The version.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">Z11: any other state.</exception>
    public void MarkLegacy(VersionNumber number, ActorId by, Instant at)
    {
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, VersionAction.MarkLegacy, 0, 1, at);
        var version = _versions[index];
        Replace(index, version with { StoredState = VersionState.Legacy, LegacyAt = at, UpdatedAt = at });
        Record(AuditAction.MarkedLegacy, by, at, number.ToString(), $"{version.Label} marked Legacy.");
    }

    /// <summary>
    /// Deprecates a Private, Available or Legacy version on a date (Z12, Z13): it is Deprecating until the start of that
    /// date in the configured zone, then Deprecated. Irreversible; the date can't be changed.
    /// </summary>
    /// <param name="number">The version.</param>
    /// <param name="date">The deprecation date: its start must lie between the minimum and maximum days after now (<paramref name="window"/>).</param>
    /// <param name="reason">The reason.</param>
    /// <param name="otherText">1–50 characters when <paramref name="reason"/> is <see cref="DeprecationReason.Other"/>; otherwise null.</param>
    /// <param name="installationCount">How many installations use the version.</param>
    /// <param name="window">The deprecation window and zone.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentException">The reason or its text is invalid.</exception>
    /// <exception cref="VersioningRuleException">Z12: the state forbids it or the date lies outside the window; Z13: installations and no other Promoted version.</exception>
    public DeprecationSchedule Deprecate(VersionNumber number, LocalDate date, DeprecationReason reason, string? otherText, long installationCount, DeprecationWindow window, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(window);
        CheckActor(by);
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentException($"reason must be one of {string.Join(", ", Enum.GetNames<DeprecationReason>())}.", nameof(reason));
        }

        string? text = null;
        if (reason == DeprecationReason.Other)
        {
            text = Preconditions.Text(otherText, nameof(otherText), DeprecationSchedule.MaxOtherTextLength);
        }
        else if (otherText is not null)
        {
            throw new ArgumentException("otherText is only for the reason Other.", nameof(otherText));
        }

        var index = IndexOf(number);
        var effectiveAt = date.AtStartOfDayInZone(window.TimeZone).ToInstant();
        var earliest = at + Duration.FromDays(window.MinimumDays);
        var latest = at + Duration.FromDays(window.MaximumDays);
        if (effectiveAt < earliest || effectiveAt > latest)
        {
            // A rule of the domain (Z12), not a malformed date: the same date is valid on another day or with other options.
            var current = _versions[index];
            throw Refused("Z12",
                $"Cannot deprecate {current.Label} of '{Name}' on {date:yyyy-MM-dd}: the deprecation date must begin between {window.MinimumDays} and {window.MaximumDays} days from now (Z12); {date:yyyy-MM-dd} begins at {effectiveAt} in {window.TimeZone.Id}, allowed {earliest} to {latest}. Choose a date in that window.",
                current.Label, current.StateAt(at).ToString());
        }

        Require(index, VersionAction.Deprecate, installationCount, 1, at);
        var version = _versions[index];
        var schedule = new DeprecationSchedule(date, effectiveAt, reason, text, at, by);
        Replace(index, version with { StoredState = VersionState.Deprecating, Deprecation = schedule, UpdatedAt = at });
        Record(AuditAction.DeprecationScheduled, by, at, number.ToString(), $"{version.Label} deprecated on {date:yyyy-MM-dd} ({schedule.ReasonText}); Deprecating until {effectiveAt}.");
        return schedule;
    }

    /// <summary>Deletes a version with no installations of any status, never the Promoted one (Z15). Its number stays taken.</summary>
    /// <param name="number">The version.</param>
    /// <param name="installationCount">How many installations use it.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">Z15: Promoted, or installations remain.</exception>
    public void DeleteVersion(VersionNumber number, long installationCount, ActorId by, Instant at)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(installationCount);
        CheckActor(by);
        var index = IndexOf(number);
        Require(index, VersionAction.Delete, installationCount, 1, at);
        var version = _versions[index];
        _versions.RemoveAt(index);
        MarkRemoved(VersionKey.ForVersion(number));
        Record(AuditAction.Deleted, by, at, number.ToString(), $"{version.Label} ({version.StateAt(at)}) deleted; its number stays taken.");
    }

    /// <summary>
    /// The version a new installation by <paramref name="user"/> gets (Z10): the Promoted one unless the user names
    /// another, which must be Available, or Private and accessible (Z6); never Legacy, Deprecating or Deprecated.
    /// </summary>
    /// <param name="requested">The version the user asks for, or null for the default.</param>
    /// <param name="user">The installing user.</param>
    /// <param name="at">The current instant.</param>
    /// <param name="owner">The installation's owner, if known: a Private version shared with that account or user may be named too, and the owner must be able to open the version it gets (M3, X8).</param>
    /// <returns>The version number to pin.</returns>
    /// <exception cref="VersioningRuleException">Z10: no Promoted version, or the named version takes no new installations; M3: the owner cannot open the named version.</exception>
    /// <exception cref="EntityNotFoundException">Z6: neither the user nor the owner can see the named version.</exception>
    public VersionNumber ResolveForNewInstallation(VersionNumber? requested, ActorId user, Instant at, OwnerRef owner = default)
    {
        if (requested is not { } number)
        {
            return _promoted ?? throw Refused("Z10", $"'{Name}' has no Promoted version, so a new installation must name a version (Z10).");
        }

        var index = Locate(number);
        if (index < 0 || !(CanAccess(number, user) || CanAccess(number, owner)))
        {
            // Z6: a version the user cannot see is reported as missing, so its existence is not revealed.
            throw new EntityNotFoundException("Version", number.ToString(), $"integration '{Name}' ({Id})");
        }

        Require(index, VersionAction.Install, 0, 1, at);

        // M3, X8: outside the team, the installation's owner must be able to open the version it pins: a share with
        // the installer never reaches an account (a user installing for themselves keeps the user share).
        if (owner.Id is not null && !IsTeamMember(user) && !CanAccess(number, owner))
        {
            var version = _versions[index];
            throw Refused("M3", $"Cannot install {version.Label} of '{Name}' for {owner}: it is Private and not shared with them (M3, Z6), so they could not open it; share it with {owner} first.", version.Label, version.StateAt(at).ToString());
        }

        return number;
    }

    /// <summary>
    /// I3: whether an installation of this integration runs at <paramref name="at"/>: it is Running and its version's state
    /// at that instant still runs existing installations (not Deprecated, Z14). Allocation-free for unlabeled versions.
    /// </summary>
    /// <param name="installation">The installation.</param>
    /// <param name="at">The instant.</param>
    /// <returns>True when it may run.</returns>
    public bool CanRun(Installations.Installation installation, Instant at)
    {
        ArgumentNullException.ThrowIfNull(installation);
        return installation.Status == RunStatus.Running && installation.Product == Product && RunsInstallationsOn(installation.Pinned, at);
    }

    /// <inheritdoc />
    public bool RunsInstallationsOn(VersionKey pinned, Instant at)
    {
        if (!VersionNumber.TryParse(pinned.Value.AsSpan(), out var number))
        {
            return false;
        }

        var index = Locate(number);
        return index >= 0 && Lifecycle.Has(_versions[index].StateAt(at), StateCapabilities.RunsExistingInstallations);
    }

    /// <summary>The version a new installation pins (Z10): see <see cref="ResolveForNewInstallation"/>.</summary>
    VersionKey IProduct.PinForNewInstallation(VersionKey? requested, ActorId by, OwnerRef owner, Instant at)
        => VersionKey.ForVersion(ResolveForNewInstallation(requested is { } r ? ParseKey(r) : null, by, at, owner));

    /// <summary>
    /// A migration from one version to another (M1, M3): see <see cref="CheckMigration"/>. Migrating one user or account to a
    /// Private version shares it with them (M3, X8, as the principal it is), so nobody is moved onto a version they cannot open.
    /// </summary>
    MigrationPlan IProduct.PlanMigration(VersionKey? from, VersionKey? to, OwnerRef? singleOwner, bool sameMajorOnly, ActorId by, Instant at)
    {
        if (from is not { } f || to is not { } t)
        {
            throw new ArgumentException("A migration of an integration names its source and target versions (M1).", from is null ? nameof(from) : nameof(to));
        }

        var (source, target) = (ParseKey(f), ParseKey(t));
        CheckMigration(source, target, singleOwner is not null, sameMajorOnly, at);
        if (singleOwner is { } owner && GetVersion(target).StateAt(at) == VersionState.Private)
        {
            Share(target, owner, by, at);
        }

        return new MigrationPlan(f, t);
    }

    /// <inheritdoc />
    void IProduct.CheckMigrationTarget(VersionKey to, OwnerRef? singleOwner, Instant at)
    {
        var target = ParseKey(to);
        RequirePermitted(target, VersionAction.MigrateTo, at);

        // M3: the start shared a Private target with the owner; if it was unshared since, moving them would put them on a
        // version they cannot open.
        if (singleOwner is { } owner && !CanAccess(target, owner))
        {
            var version = GetVersion(target);
            throw Refused("M3", $"Cannot move {owner}'s installations to version {target} of '{Name}': it is Private and no longer shared with them (M3, Z6); share it again and start a new migration.", version.Label, version.StateAt(at).ToString());
        }
    }

    // A key that is no version number names no version of this integration.
    private VersionNumber ParseKey(VersionKey key)
        => VersionNumber.TryParse(key.Value.AsSpan(), out var number) ? number : throw new EntityNotFoundException("Version", key.Value, $"integration '{Name}' ({Id})");

    /// <summary>
    /// Checks that installations may be migrated from <paramref name="from"/> to <paramref name="to"/> (M1, M3, Z5):
    /// different versions; same MAJOR when <paramref name="sameMajorOnly"/>; neither labeled; the target Promoted or
    /// Available, or Private when the scope is one user or account; never Legacy, Deprecating or Deprecated; and the
    /// target drops no step operation or connector the source has.
    /// </summary>
    /// <param name="from">The source version.</param>
    /// <param name="to">The target version.</param>
    /// <param name="singleOwnerScope">Whether the scope is one user or one account.</param>
    /// <param name="sameMajorOnly">The M3 option.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">A rule forbids it.</exception>
    /// <exception cref="EntityNotFoundException">A version does not exist.</exception>
    public void CheckMigration(VersionNumber from, VersionNumber to, bool singleOwnerScope, bool sameMajorOnly, Instant at)
    {
        var source = GetVersion(from);
        var target = GetVersion(to);
        if (from == to)
        {
            throw Refused("M1", $"Cannot migrate {source.Label} of '{Name}' to itself (M1): choose a different target version.", source.Label, source.StateAt(at).ToString());
        }

        CheckTarget(source, target, singleOwnerScope, sameMajorOnly, at, canary: false);
    }

    /// <summary>
    /// The M3 checks a migration and a canary (K1) share: the source may be migrated from and the target to (Z5, Z11,
    /// Z13, Z14); same MAJOR when asked; a Private target only for one user or account; no breaking change.
    /// </summary>
    private void CheckTarget(IntegrationVersion source, IntegrationVersion target, bool singleOwnerScope, bool sameMajorOnly, Instant at, bool canary)
    {
        var (from, to) = (source.Number, target.Number);
        var what = canary ? "start a canary" : "migrate";
        Require(IndexOf(from), VersionAction.MigrateFrom, 0, 1, at, canary ? "start a canary from" : null);
        Require(IndexOf(to), VersionAction.MigrateTo, 0, 1, at, canary ? "start a canary to" : null);
        if (sameMajorOnly && from.Major != to.Major)
        {
            throw Refused("M3", canary
                ? $"Cannot start a canary from {from} to {to} of '{Name}': like migrations, canaries stay within one MAJOR version (M3, K1)."
                : $"Cannot migrate from {from} to {to} of '{Name}': migrations stay within one MAJOR version (M3); users must move across majors themselves.", target.Label, target.StateAt(at).ToString());
        }

        if (target.StateAt(at) == VersionState.Private && !singleOwnerScope)
        {
            throw Refused("M3", canary
                ? $"Cannot start a canary for everyone to the Private {target.Label} of '{Name}' (M3, K1): promote it first, or scope the canary to one user or account."
                : $"Cannot migrate a percentage of users to the Private {target.Label} of '{Name}' (M3): promote it first, or migrate one user or account.", target.Label, VersionState.Private.ToString());
        }

        var changes = BreakingChanges.Between(source.Content, target.Content);
        if (changes.IsBreaking)
        {
            throw Refused("M3", $"Cannot {what} from {from} to {to} of '{Name}': the target {changes} (M3), which would break installations.", target.Label, target.StateAt(at).ToString(),
                [.. changes.RemovedConnectors.Select(c => $"connector {c} removed"), .. changes.RemovedOperations.Select(o => $"operation {o} removed")]);
        }
    }

    /// <summary>Records that installations moved between versions (T14/Z17 history of a migration batch).</summary>
    /// <param name="to">The version they moved to.</param>
    /// <param name="details">What moved, for people.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    public void RecordInstallationsMigrated(VersionNumber to, string details, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(details);
        CheckActor(by);
        GetVersion(to);
        Record(AuditAction.InstallationsUpgraded, by, at, to.ToString(), details);
    }

    /// <summary>The versions with their state at <paramref name="at"/> (Z16); Deprecated ones only when asked for.</summary>
    /// <param name="at">The instant.</param>
    /// <param name="includeDeprecated">Whether to include Deprecated versions.</param>
    /// <param name="installationCounts">Installation counts per version (missing means 0).</param>
    /// <returns>One row per version, in version order.</returns>
    public IReadOnlyList<VersionListing> ListVersions(Instant at, bool includeDeprecated, IReadOnlyDictionary<VersionNumber, long> installationCounts)
    {
        ArgumentNullException.ThrowIfNull(installationCounts);
        RequireAll("the list of versions");
        return _versions
            .Select(v => new VersionListing(v.Number, v.StateAt(at), installationCounts.GetValueOrDefault(v.Number), v.LegacyAt, v.Deprecation?.Date, v.CreatedAt, v.UpdatedAt))
            .Where(r => includeDeprecated || r.State != VersionState.Deprecated)
            .ToList();
    }

    /// <summary>
    /// The deprecation notices due at <paramref name="at"/> (Z13): Deprecating versions whose notice date — the deprecation
    /// date minus <paramref name="noticeDays"/> calendar days, from the start of that day in <paramref name="zone"/> — has come.
    /// Counting calendar days keeps the notice at local midnight across daylight-saving changes.
    /// </summary>
    /// <param name="at">The instant.</param>
    /// <param name="noticeDays">How many days before the date a notice falls due (option).</param>
    /// <param name="zone">The zone of the deprecation dates (option).</param>
    /// <returns>The notices.</returns>
    public IEnumerable<DeprecationNotice> NoticesDue(Instant at, int noticeDays, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfNegative(noticeDays);
        RequireAll("the deprecation notices");
        return NoticesDueCore(at, noticeDays, zone);
    }

    private IEnumerable<DeprecationNotice> NoticesDueCore(Instant at, int noticeDays, DateTimeZone zone)
    {
        foreach (var v in _versions)
        {
            if (v.Deprecation is { } d && v.StateAt(at) == VersionState.Deprecating)
            {
                var dueAt = d.Date.PlusDays(-noticeDays).AtStartOfDayInZone(zone).ToInstant();
                if (at >= dueAt)
                {
                    yield return new DeprecationNotice(Id, Name, v.Number, d.Date, d.EffectiveAt, dueAt, d.ReasonText);
                }
            }
        }
    }

    /// <summary>The actions permitted on a version at an instant (X5), the active canary's blocks included (K1).</summary>
    /// <param name="number">The version.</param>
    /// <param name="at">The instant.</param>
    /// <param name="installationCount">How many installations use it.</param>
    /// <param name="editInstallationLimit">The Z4 limit.</param>
    /// <returns>The permitted actions.</returns>
    public ActionSet<VersionAction> PermittedActions(VersionNumber number, Instant at, long installationCount, int editInstallationLimit)
    {
        var version = GetVersion(number);
        var facts = Facts(version, installationCount, editInstallationLimit);
        return WithoutCanaryBlocked(version, Lifecycle.PermittedActions(version.StateAt(at), in facts), at);
    }

    /// <summary>Why an action is not permitted on a version at an instant, or the default value when it is (X5); an active canary's block is the K1 rule.</summary>
    /// <param name="number">The version.</param>
    /// <param name="action">The action.</param>
    /// <param name="at">The instant.</param>
    /// <param name="installationCount">How many installations use it.</param>
    /// <param name="editInstallationLimit">The Z4 limit.</param>
    /// <returns>The unmet rule, or <c>default</c>.</returns>
    public RuleViolation WhyNot(VersionNumber number, VersionAction action, Instant at, long installationCount, int editInstallationLimit)
    {
        var version = GetVersion(number);
        var facts = Facts(version, installationCount, editInstallationLimit);
        return Lifecycle.CanApply(version.StateAt(at), action, in facts, out var whyNot) ? CanaryBlocking(version, action, at) : whyNot;
    }

    /// <summary>Checks that <paramref name="action"/> is permitted on a version and throws the rule's exception if not.</summary>
    /// <param name="number">The version.</param>
    /// <param name="action">The action.</param>
    /// <param name="at">The instant.</param>
    /// <exception cref="VersioningRuleException">The action is not permitted.</exception>
    internal void RequirePermitted(VersionNumber number, VersionAction action, Instant at) => Require(IndexOf(number), action, 0, 1, at);

    /// <summary>
    /// The Stateless state machine of one version (rule S4), for questions and what-if paths: <c>CanFire</c>,
    /// <c>GetPermittedTriggers</c>, <c>GetInfo()</c> and the graph exports, or firing a sequence of actions to see where
    /// it leads. It is <b>detached</b>: it starts in the version's state at <paramref name="at"/> with the facts of this
    /// call (whether another version is Promoted now, <paramref name="installationCount"/>, <paramref name="editInstallationLimit"/>),
    /// and firing it changes only the machine's own copy of the state, never the integration, its audit trail or its
    /// events. To change the version, call the integration's command (<see cref="Promote"/>, <see cref="Deprecate"/>, …),
    /// which checks the same rules and records the change. A refused action raises the same
    /// <see cref="VersioningRuleException"/> as the command would in the machine's state. Delete is an internal
    /// transition by convention (the state stays; nothing is removed). Each call configures a new machine. It knows the
    /// lifecycle table only: the blocks of an active canary (K1) are not in it; <see cref="PermittedActions"/> and
    /// <see cref="WhyNot"/> report them.
    /// </summary>
    /// <param name="number">The version.</param>
    /// <param name="at">The instant whose state the machine starts in (a Deprecating version is Deprecated from its date, Z12).</param>
    /// <param name="installationCount">How many installations use the version (Z4, Z13, Z15).</param>
    /// <param name="editInstallationLimit">The Z4 limit: content is frozen from this many installations on.</param>
    /// <returns>A new machine, in the version's state at <paramref name="at"/>.</returns>
    /// <exception cref="EntityNotFoundException">No such version.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="installationCount"/> is negative or <paramref name="editInstallationLimit"/> is less than 1.</exception>
    public StateMachine<VersionState, VersionAction> StateMachineFor(VersionNumber number, Instant at, long installationCount, int editInstallationLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(installationCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(editInstallationLimit, 1);
        var version = GetVersion(number);
        var facts = Facts(version, installationCount, editInstallationLimit);
        var name = Name;
        var state = version.StateAt(at);
        return Lifecycle.ToStateMachine(
            () => state,
            next => state = next,
            () => facts,
            (refusedIn, action, whyNot) => Refusal(version, name, refusedIn, action, whyNot));
    }

    private void Replace(int index, IntegrationVersion version)
    {
        _versions[index] = version;
        MarkChanged(VersionKey.ForVersion(version.Number));
    }

    private VersionFacts Facts(IntegrationVersion version, long installationCount, int editInstallationLimit)
        => new(version.IsPreRelease, installationCount, editInstallationLimit, _promoted is { } p && p != version.Number);

    private void Require(int index, VersionAction action, long installationCount, int editInstallationLimit, Instant at, string? attempt = null)
    {
        var version = _versions[index];
        var state = version.StateAt(at);
        var facts = Facts(version, installationCount, editInstallationLimit);
        if (!Lifecycle.CanApply(state, action, in facts, out var whyNot))
        {
            throw Refusal(version, Name, state, action, whyNot, attempt);
        }

        if (CanaryBlocking(version, action, at) is { IsEmpty: false } blocked)
        {
            throw Refusal(version, Name, state, action, blocked, attempt);
        }
    }

    /// <summary>The exception for an action the lifecycle refuses: one wording for the commands and the Stateless machine.</summary>
    private VersioningRuleException Refusal(IntegrationVersion version, string integrationName, VersionState state, VersionAction action, RuleViolation whyNot, string? attempt = null)
        => Refused(whyNot.RuleId!, $"Cannot {attempt ?? Describe(action)} {version.Label} of '{integrationName}': {whyNot.Message}", version.Label, state.ToString());

    private static string Describe(VersionAction action) => action switch
    {
        VersionAction.EditContent => "edit the content of",
        VersionAction.EditNotes => "edit the notes of",
        VersionAction.MarkLegacy => "mark as Legacy",
        VersionAction.MigrateFrom => "migrate installations from",
        VersionAction.MigrateTo => "migrate installations to",
        VersionAction.Install => "install",
        _ => action.ToString().ToLowerInvariant(),
    };

    private string? MissingPredecessor(VersionNumber number)
    {
        var released = _usedNumbers.Where(n => !n.IsPreRelease).ToList();
        if (released.Count == 0)
        {
            return null;
        }

        if (number.Patch > 0)
        {
            var previous = new VersionNumber(number.Major, number.Minor, number.Patch - 1);
            return _usedNumbers.Contains(previous) ? null : $"a patch needs {previous}";
        }

        if (number.Minor > 0)
        {
            return released.Any(n => n.Major == number.Major && n.Minor == number.Minor - 1) ? null : $"a minor release needs some {number.Major}.{number.Minor - 1}.x";
        }

        if (number.Major > 0)
        {
            return released.Any(n => n.Major == number.Major - 1) ? null : $"a major release needs some {number.Major - 1}.x.x";
        }

        return "0.0.0 can only be the first version";
    }

    private int IndexOf(VersionNumber number)
    {
        var index = Locate(number);
        return index >= 0 ? index : throw new EntityNotFoundException("Version", number.ToString(), $"integration '{Name}' ({Id})");
    }

    // The index of a loaded version, or a negative number when it does not exist; a version this copy's selection did not
    // load is neither: it may exist, so asking about it is a programming error.
    private int Locate(VersionNumber number)
    {
        var index = BinarySearch(number);
        if (index < 0 && !_loaded.IsAll && !_loaded.Includes(VersionKey.ForVersion(number)))
        {
            throw NotLoaded($"version {number}", "ItemSelection.Of(...)");
        }

        return index;
    }

    private void RequireAll(string what)
    {
        if (!_loaded.IsAll)
        {
            throw NotLoaded(what + ", which reads every version,", "ItemSelection.All");
        }
    }

    private InvalidOperationException NotLoaded(string what, string selection)
        => new($"Integration '{Name}' ({Id}): {what} was not loaded by this command's selection ({_loaded}); load it with {selection}.");

    private int BinarySearch(VersionNumber number) => SortedSearch.IndexOf(_versions, number, static v => v.Number);
}
