using NodaTime;
using Versioning.Core.Auditing;
using Versioning.Core.Events;
using Versioning.Core.Installations;

namespace Versioning.Core;

/// <summary>
/// What every aggregate (template, integration) shares: the optimistic-concurrency revision (X3), the append-only
/// audit trail (T14, Z17) and the pending domain events (X4). One <see cref="Record"/> call appends the audit entry
/// and raises the matching event, so the two can never disagree.
/// </summary>
public abstract class AggregateRoot
{
    private readonly List<AuditEntry> _auditTrail;
    private readonly List<DomainEvent> _pendingEvents = [];
    private readonly HashSet<VersionKey> _changedItems = [];
    private readonly HashSet<VersionKey> _removedItems = [];

    /// <summary>Initialises the shared state.</summary>
    /// <param name="revision">The stored revision (0 for a new aggregate).</param>
    /// <param name="auditTrail">The stored audit trail.</param>
    private protected AggregateRoot(long revision, IEnumerable<AuditEntry> auditTrail)
    {
        Revision = revision;
        _auditTrail = [.. auditTrail];
    }

    /// <summary>The revision this copy was loaded at: 0 for a new aggregate, incremented by each save (X3).</summary>
    public long Revision { get; private set; }

    /// <summary>Every change so far, oldest first. Entries are never changed or removed.</summary>
    public IReadOnlyList<AuditEntry> AuditTrail => _auditTrail;

    /// <summary>Events raised since the last save, oldest first. Stores save them with the aggregate.</summary>
    public IReadOnlyList<DomainEvent> PendingEvents => _pendingEvents;

    /// <summary>
    /// The releases or versions added or changed since the last save, so a store can write only those rows. Store authors:
    /// upsert each key still present; the audit entries to insert are the last <see cref="PendingEvents"/>.Count of <see cref="AuditTrail"/>.
    /// </summary>
    public IReadOnlyCollection<VersionKey> ChangedItems => _changedItems;

    /// <summary>The releases or versions deleted since the last save (store authors: delete those rows).</summary>
    public IReadOnlyCollection<VersionKey> RemovedItems => _removedItems;

    /// <summary>"Template" or "Integration".</summary>
    public abstract string AggregateKind { get; }

    /// <summary>The aggregate's identifier as text.</summary>
    public abstract string AggregateIdText { get; }

    /// <summary>
    /// Called by a store once it has saved this aggregate and its pending events: sets the revision to the one
    /// stored and clears the pending events. Store authors call it after their transaction commits.
    /// </summary>
    /// <param name="newRevision">The revision now stored; must be greater than <see cref="Revision"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="newRevision"/> is not greater than <see cref="Revision"/>.</exception>
    public void MarkSaved(long newRevision)
    {
        if (newRevision <= Revision)
        {
            throw new ArgumentOutOfRangeException(nameof(newRevision), newRevision, $"The saved revision must be greater than the loaded revision {Revision}.");
        }

        Revision = newRevision;
        _pendingEvents.Clear();
        _changedItems.Clear();
        _removedItems.Clear();
    }

    /// <summary>Appends an audit entry and raises the matching domain event.</summary>
    private protected void Record(AuditAction action, ActorId by, Instant at, string? subject, string details)
    {
        _auditTrail.Add(new AuditEntry(action, by, at, subject, details));
        _pendingEvents.Add(new DomainEvent(AggregateKind, AggregateIdText, action.ToString(), subject, by, at, details));
    }

    /// <summary>Notes that a release or version was added or changed.</summary>
    private protected void MarkChanged(VersionKey key)
    {
        _removedItems.Remove(key);
        _changedItems.Add(key);
    }

    /// <summary>Notes that a release or version was deleted.</summary>
    private protected void MarkRemoved(VersionKey key)
    {
        _changedItems.Remove(key);
        _removedItems.Add(key);
    }

    /// <summary>Builds the exception for a broken rule, naming this aggregate.</summary>
    private protected VersioningRuleException Refused(string ruleId, string message, string? subject = null, string? state = null, IReadOnlyList<string>? problems = null)
        => new(ruleId, message, AggregateKind, AggregateIdText, subject, state, problems);

    /// <summary>Checks the actor is not the empty default.</summary>
    private protected static void CheckActor(ActorId by)
    {
        if (by.IsEmpty)
        {
            throw new ArgumentException("by must name an actor; default(ActorId) is empty.", nameof(by));
        }
    }
}
