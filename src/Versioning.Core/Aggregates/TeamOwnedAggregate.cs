using System.Collections.Immutable;
using NodaTime;
using Versioning.Core.Auditing;

namespace Versioning.Core.Aggregates;

/// <summary>
/// An aggregate owned by a team (templates and integrations): the team may change it and see all of it (X7, X8, Z6).
/// One mechanism for both lifecycles: membership, adding and removing members, and the last-member rule.
/// </summary>
/// <threadsafety>Instances are not thread-safe; see <see cref="AggregateRoot"/>.</threadsafety>
public abstract class TeamOwnedAggregate : AggregateRoot
{
    private ImmutableSortedSet<ActorId> _team;

    /// <summary>Initialises the shared state.</summary>
    /// <param name="revision">The stored revision.</param>
    /// <param name="auditTrail">The stored audit trail (see <see cref="AggregateRoot"/>).</param>
    /// <param name="auditTrailStart">The position of the trail's first entry.</param>
    /// <param name="team">The team's members; never empty.</param>
    protected TeamOwnedAggregate(long revision, ImmutableArray<AuditEntry> auditTrail, int auditTrailStart, ImmutableSortedSet<ActorId> team)
        : base(revision, auditTrail, auditTrailStart)
    {
        ArgumentNullException.ThrowIfNull(team);
        _team = team.KeyComparer == Comparer<ActorId>.Default ? team : team.WithComparer(Comparer<ActorId>.Default);
    }

    /// <summary>The team: they may change the aggregate and see all of it (X7, X8, Z6). Enumerates in ordinal order.</summary>
    public IReadOnlySet<ActorId> Team => _team;

    /// <summary>The team as stored in snapshots.</summary>
    protected ImmutableSortedSet<ActorId> TeamSet => _team;

    /// <summary>The rule a refused team change names ("Z6" for integrations, "X7" for templates).</summary>
    protected abstract string TeamRuleId { get; }

    /// <summary>The aggregate's name, as used in messages.</summary>
    protected abstract string DisplayName { get; }

    /// <summary>Tells whether <paramref name="actor"/> is on the team.</summary>
    /// <param name="actor">The actor.</param>
    /// <returns>True for a team member.</returns>
    public bool IsTeamMember(ActorId actor) => !actor.IsEmpty && _team.Contains(actor);

    /// <summary>Adds a team member (X7, Z6). Adding a member twice changes nothing.</summary>
    /// <param name="member">The new member.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    public void AddTeamMember(ActorId member, ActorId by, Instant at)
    {
        Preconditions.Actor(member, nameof(member));
        CheckActor(by);
        if (_team.Contains(member))
        {
            return;
        }

        _team = _team.Add(member);
        Record(AuditAction.TeamChanged, by, at, null, $"{member} joined the team.");
    }

    /// <summary>Removes a team member (X7, Z6). The last member cannot leave; removing a non-member changes nothing.</summary>
    /// <param name="member">The member to remove.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">The member is the last one.</exception>
    public void RemoveTeamMember(ActorId member, ActorId by, Instant at)
    {
        Preconditions.Actor(member, nameof(member));
        CheckActor(by);
        if (!_team.Contains(member))
        {
            return;
        }

        if (_team.Count == 1)
        {
            throw Refused(TeamRuleId, $"{member} is the last member of the team of '{DisplayName}' and cannot be removed ({TeamRuleId}): add another member first.");
        }

        _team = _team.Remove(member);
        Record(AuditAction.TeamChanged, by, at, null, $"{member} left the team.");
    }
}
