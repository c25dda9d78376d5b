using NodaTime;
using Versioning.Core.Auditing;
using Versioning.Core.Installations;
using Versioning.Core.Lifecycles;

namespace Versioning.Core.Integrations;

/// <summary>Canary releases (K1–K6) on the integration aggregate.</summary>
public sealed partial class Integration
{
    // The canaries whose end is not recorded yet, oldest first. Starting a canary records the expiry of any earlier one,
    // so this holds at most one canary after a start: the active one is always the last.
    private readonly List<Canary> _canaries;

    /// <summary>The canaries whose end is not recorded yet (K1, K3): the active one, or one that ended by itself and awaits its expiry record.</summary>
    public IReadOnlyList<Canary> Canaries => _canaries;

    /// <summary>The canary active at <paramref name="at"/>, or null (K1: at most one).</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The active canary, or null.</returns>
    public Canary? ActiveCanary(Instant at) => _canaries.Count > 0 && _canaries[^1] is var last && last.IsActiveAt(at) ? last : null;

    /// <summary>
    /// Starts a canary (K1, K4): for <paramref name="duration"/>, <paramref name="percent"/> percent of the executions of
    /// <paramref name="from"/>'s installations within <paramref name="scope"/> run <paramref name="to"/>. Refused when
    /// from = to, another canary is active (K1), either version is labeled (Z5), or <paramref name="to"/> is not a valid
    /// migration target for <paramref name="from"/> (M3: same MAJOR unless <paramref name="sameMajorOnly"/> is off;
    /// Promoted or Available, or Private for a one-user or one-account scope; never Legacy, Deprecating or Deprecated; no
    /// breaking change). A Private target is shared with the scope's user (or account) in the same step, as a migration
    /// does. Earlier canaries that ended by themselves get their expiry recorded first (K3). No installation changes (K5).
    /// </summary>
    /// <param name="from">Version A.</param>
    /// <param name="to">Version B.</param>
    /// <param name="percent">1–100.</param>
    /// <param name="duration">30 seconds to 24 hours, both included.</param>
    /// <param name="scope">Whose executions.</param>
    /// <param name="sameMajorOnly">The M3 option.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant: the canary's start.</param>
    /// <returns>The canary.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside 1–100.</exception>
    /// <exception cref="VersioningRuleException">K1 (including a <paramref name="duration"/> outside 30 s–24 h), Z5, M3 or a lifecycle rule (Z11, Z13, Z14) forbids it.</exception>
    /// <exception cref="EntityNotFoundException">A version does not exist.</exception>
    public Canary StartCanary(VersionNumber from, VersionNumber to, int percent, Duration duration, CanaryScope scope, bool sameMajorOnly, ActorId by, Instant at)
    {
        Canary.CheckPercent(percent, nameof(percent));
        CheckActor(by);
        var source = GetVersion(from);
        var target = GetVersion(to);
        if (!Canary.IsValidDuration(duration))
        {
            // A rule of the domain (K1), not a malformed duration; a percentage outside 1–100 is not a percentage and stays an argument error.
            throw Refused("K1", $"Cannot start a canary from {from} to {to} of '{Name}' for {duration.TotalSeconds:0.###} s: a canary runs 30 seconds to 24 hours (K1). Choose a duration in that range.", target.Label, target.StateAt(at).ToString());
        }

        if (from == to)
        {
            throw Refused("K1", $"Cannot start a canary from {source.Label} of '{Name}' to itself (K1): choose another version to divert executions to.", source.Label, source.StateAt(at).ToString());
        }

        if (ActiveCanary(at) is { } active)
        {
            throw Refused("K1", $"Cannot start a canary from {from} to {to} of '{Name}': canary {active.Id} ({active.From} → {active.To}) is active until {active.EndsAt} and an integration has at most one (K1). Delete it first, or wait until it ends.", target.Label, target.StateAt(at).ToString());
        }

        CheckTarget(source, target, !scope.IsAll, sameMajorOnly, at, canary: true);
        RecordExpiries(by, at);
        if (scope.SharePrincipal is { } principal && target.StateAt(at) == VersionState.Private)
        {
            // M3: nobody is sent to a version they cannot open.
            Share(to, principal, by, at);
        }

        var canary = new Canary(CanaryId.New(), from, to, percent, scope, by, at, at + duration);
        _canaries.Add(canary);
        Record(AuditAction.CanaryStarted, by, at, to.ToString(),
            $"Canary {canary.Id} started: {percent}% of the executions of {source.Label} ({scope}) run {target.Label} until {canary.EndsAt}.");
        return canary;
    }

    /// <summary>Deletes the active canary before its end (K4): from now on nothing is diverted. No installation changes (K5).</summary>
    /// <param name="id">The canary.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The deleted canary.</returns>
    /// <exception cref="EntityNotFoundException">No such canary, or its end is already recorded.</exception>
    /// <exception cref="VersioningRuleException">K3: it already ended by itself.</exception>
    public Canary DeleteCanary(CanaryId id, ActorId by, Instant at)
    {
        Preconditions.NotDefault(id, nameof(id));
        CheckActor(by);
        var index = IndexOfCanary(id);
        var canary = index >= 0 ? _canaries[index] : throw new EntityNotFoundException("Canary", id.ToString(), $"integration '{Name}' ({Id})");
        if (!canary.IsActiveAt(at))
        {
            throw Refused("K3", $"Cannot delete canary {id} of '{Name}': it ended by itself at {canary.EndsAt} (K3) and diverts nothing any more.", canary.To.ToString());
        }

        _canaries.RemoveAt(index);
        Record(AuditAction.CanaryDeleted, by, at, canary.To.ToString(),
            $"Canary {canary.Id} ({canary.Percent}% of {canary.From} → {canary.To}, {canary.Scope}) deleted before its end at {canary.EndsAt}.");
        return canary;
    }

    /// <summary>
    /// The canaries that ended by themselves at or before <paramref name="at"/> and whose expiry is not recorded yet (K3):
    /// the query a background worker polls before calling <see cref="RecordCanaryExpired"/>. Routing needs neither.
    /// </summary>
    /// <param name="at">The instant.</param>
    /// <returns>The ended canaries, oldest first.</returns>
    public IEnumerable<Canary> CanariesEndedBy(Instant at) => _canaries.Where(c => c.EndsAt <= at).ToList();

    /// <summary>
    /// Records that a canary ended by itself (K3): the <see cref="AuditAction.CanaryExpired"/> entry and event, once. A
    /// second call, or a call for a canary that was deleted, changes nothing and returns false.
    /// </summary>
    /// <param name="id">The canary.</param>
    /// <param name="by">The actor (a worker's identity).</param>
    /// <param name="at">The current instant.</param>
    /// <returns>True when the expiry was recorded now.</returns>
    /// <exception cref="VersioningRuleException">K3: the canary has not ended yet.</exception>
    public bool RecordCanaryExpired(CanaryId id, ActorId by, Instant at)
    {
        Preconditions.NotDefault(id, nameof(id));
        CheckActor(by);
        var index = IndexOfCanary(id);
        if (index < 0)
        {
            return false;
        }

        var canary = _canaries[index];
        if (canary.EndsAt > at)
        {
            throw Refused("K3", $"Cannot record the expiry of canary {id} of '{Name}': it runs until {canary.EndsAt} (K3). Delete it to end it now.", canary.To.ToString());
        }

        _canaries.RemoveAt(index);
        RecordExpiry(canary, by);
        return true;
    }

    /// <summary>
    /// The version an execution runs (K2): <see cref="Canary.To"/> when the canary active at <paramref name="at"/> covers
    /// the installation's pinned version and owner, and the execution key's bucket falls under its percentage; otherwise the
    /// pinned version. The same key always gets the same answer; the installation is never changed (K5); nothing is
    /// allocated (K6).
    /// </summary>
    /// <param name="installation">An installation of this integration.</param>
    /// <param name="executionKey">The host's run id: not empty.</param>
    /// <param name="at">The instant.</param>
    /// <returns>The key of the version to run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="installation"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="executionKey"/> is empty, or the installation belongs to another product.</exception>
    public VersionKey Route(Installation installation, ReadOnlySpan<char> executionKey, Instant at) => Route(installation, executionKey, default, at);

    /// <summary>
    /// The version an execution runs (K2), for a host that tells the account the execution runs in (see
    /// <see cref="CanaryScope.Covers"/>).
    /// </summary>
    /// <param name="installation">An installation of this integration.</param>
    /// <param name="executionKey">The host's run id: not empty.</param>
    /// <param name="account">The account the execution runs in, or empty.</param>
    /// <param name="at">The instant.</param>
    /// <returns>The key of the version to run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="installation"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="executionKey"/> is empty, or the installation belongs to another product.</exception>
    public VersionKey Route(Installation installation, ReadOnlySpan<char> executionKey, ReadOnlySpan<char> account, Instant at)
    {
        ArgumentNullException.ThrowIfNull(installation);
        if (executionKey.IsEmpty)
        {
            throw new ArgumentException("The execution key (the host's run id) must not be empty (K2).", nameof(executionKey));
        }

        if (installation.Product != ProductRef.Of(Id))
        {
            throw new ArgumentException($"Installation {installation.Id} belongs to {installation.Product}, not to integration '{Name}' ({Id}).", nameof(installation));
        }

        var canaries = _canaries;
        if (canaries.Count == 0)
        {
            return installation.Pinned;
        }

        var canary = canaries[^1];
        return canary.IsActiveAt(at) && installation.Pinned == canary.FromKey && canary.Scope.Covers(installation.Owner, account) && canary.Diverts(executionKey)
            ? canary.ToKey
            : installation.Pinned;
    }

    /// <summary>
    /// Whether <paramref name="viewer"/> may see <paramref name="canary"/> (X8): the team sees every canary; anyone else
    /// only one whose both versions they can access and whose scope is all executions or names them as its user (a
    /// canary names its versions, possibly never-public ones, and its scope's principal).
    /// </summary>
    /// <param name="canary">A canary of this integration.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <returns>True when visible.</returns>
    public bool CanSee(Canary canary, ActorId viewer)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return IsTeamMember(viewer)
            || (CanAccess(canary.From, viewer) && CanAccess(canary.To, viewer) && (canary.Scope.IsAll || string.Equals(canary.Scope.User, viewer.Value, StringComparison.Ordinal)));
    }

    // X8 for the audit trail: an entry about a canary (its start, deletion or expiry) carries the scope in its text, the
    // canary itself being gone once it ended; a non-team viewer sees it only when that scope is all executions or names
    // them as its user (the versions it names are filtered like any other entry's).
    private static bool CanaryEntryVisibleTo(AuditEntry entry, ActorId viewer)
    {
        if (entry.Action is not (AuditAction.CanaryStarted or AuditAction.CanaryDeleted or AuditAction.CanaryExpired))
        {
            return true;
        }

        var details = entry.Details;
        var user = "user:" + viewer.Value;
        foreach (var opening in CanaryScopeOpenings)
        {
            if (details.Contains(opening + "all)", StringComparison.Ordinal) || details.Contains(opening + user + ")", StringComparison.Ordinal)
                || details.Contains(opening + user + " in account:", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // What precedes the scope in the canary entries: "… of 1.0.0 (scope) run …" and "(10% of 1.0.0 → 1.1.0, scope)".
    private static readonly string[] CanaryScopeOpenings = ["(", ", "];

    private int IndexOfCanary(CanaryId id) => _canaries.FindIndex(c => c.Id == id);

    private void RecordExpiries(ActorId by, Instant at)
    {
        for (var i = 0; i < _canaries.Count;)
        {
            if (_canaries[i].EndsAt <= at)
            {
                var ended = _canaries[i];
                _canaries.RemoveAt(i);
                RecordExpiry(ended, by);
            }
            else
            {
                i++;
            }
        }
    }

    // The entry carries the canary's own end instant: that is when it expired, whenever the record is written.
    private void RecordExpiry(Canary canary, ActorId by)
        => Record(AuditAction.CanaryExpired, by, canary.EndsAt, canary.To.ToString(),
            $"Canary {canary.Id} ({canary.Percent}% of {canary.From} → {canary.To}, {canary.Scope}) ended at {canary.EndsAt}.");

    // The actions an active canary can block (K1).
    private static readonly VersionAction[] CanaryBlockable = [VersionAction.Delete, VersionAction.MarkLegacy, VersionAction.Deprecate, VersionAction.EditContent];

    /// <summary>
    /// K1: while a canary is active, neither of its versions can be deleted or have its content edited (executions run
    /// both as they are), and its target can be neither marked Legacy nor deprecated. The one place that decides: the
    /// commands (<see cref="Require"/>), <see cref="PermittedActions"/> and <see cref="WhyNot"/> all ask it.
    /// </summary>
    /// <returns>The K1 violation, or <c>default</c> when the canary does not block the action.</returns>
    private RuleViolation CanaryBlocking(IntegrationVersion version, VersionAction action, Instant at)
    {
        if (action is not (VersionAction.Delete or VersionAction.MarkLegacy or VersionAction.Deprecate or VersionAction.EditContent) || ActiveCanary(at) is not { } canary)
        {
            return default;
        }

        var needed = version.Number == canary.To || ((action is VersionAction.Delete or VersionAction.EditContent) && version.Number == canary.From);
        return needed
            ? new RuleViolation("K1", $"canary {canary.Id} ({canary.From} → {canary.To}) is active until {canary.EndsAt} and needs it{(action == VersionAction.EditContent ? " as it is" : "")} (K1). Delete the canary first, or wait until it ends.")
            : default;
    }

    /// <summary>Removes from <paramref name="permitted"/> the actions the active canary blocks on <paramref name="version"/> (K1).</summary>
    private ActionSet<VersionAction> WithoutCanaryBlocked(IntegrationVersion version, ActionSet<VersionAction> permitted, Instant at)
    {
        if (_canaries.Count == 0)
        {
            return permitted;
        }

        foreach (var action in CanaryBlockable)
        {
            if (permitted.Contains(action) && !CanaryBlocking(version, action, at).IsEmpty)
            {
                permitted = permitted.Without(action);
            }
        }

        return permitted;
    }

    /// <summary>M3, K1: the active canary's Private target stays shared with the principal it was shared with at the start.</summary>
    private void RequireNoCanaryTargetingPrincipal(IntegrationVersion version, OwnerRef principal, Instant at)
    {
        if (ActiveCanary(at) is { } canary && canary.To == version.Number && version.StateAt(at) == VersionState.Private
            && canary.Scope.SharePrincipal == principal)
        {
            throw Refused("K1", $"Cannot stop sharing {version.Label} of '{Name}' with {principal}: canary {canary.Id} diverts their executions to it until {canary.EndsAt} (M3, K1). Delete the canary first.", version.Label, VersionState.Private.ToString());
        }
    }
}
