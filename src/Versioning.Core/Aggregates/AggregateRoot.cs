using System.Collections;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using NodaTime;
using Versioning.Core.Auditing;
using Versioning.Core.Events;

namespace Versioning.Core.Aggregates;

/// <summary>
/// What every aggregate (template, integration) shares: the optimistic-concurrency revision (X3), the append-only
/// audit trail (T14, Z17) and the pending domain events (X4). One <see cref="Record"/> call appends the audit entry
/// and raises the matching event, so the two can never disagree. A lifecycle defined outside the library derives its
/// product from <see cref="TeamOwnedAggregate"/> and implements <see cref="Aggregates.IProduct"/> (A2).
/// </summary>
/// <threadsafety>Instances are not thread-safe: one command changes one loaded instance on one thread. Concurrency
/// between commands is settled by <see cref="Revision"/> when saving (X3).</threadsafety>
public abstract class AggregateRoot
{
    // The trail as loaded (shared with the snapshot, never copied on load) plus the entries recorded since, so a
    // command on an aggregate with a long history copies it once, when the next snapshot is taken, not on every load.
    private readonly ImmutableArray<AuditEntry> _loadedTrail;
    private readonly List<AuditEntry> _recordedTrail = [];
    private readonly AuditTrailView _auditTrail;
    private readonly NewAuditEntriesView _newAuditEntries;
    private int _savedRecordedCount;
    private readonly List<DomainEvent> _pendingEvents = [];
    private readonly HashSet<VersionKey> _changedItems = [];
    private readonly HashSet<VersionKey> _contentChangedItems = [];
    private readonly HashSet<VersionKey> _removedItems = [];

    /// <summary>Initialises the shared state.</summary>
    /// <param name="revision">The stored revision (0 for a new aggregate).</param>
    /// <param name="auditTrail">The stored audit trail, or its entries from <paramref name="auditTrailStart"/> on.</param>
    /// <param name="auditTrailStart">The position of <paramref name="auditTrail"/>'s first entry in the whole trail (0 when it is whole).</param>
    /// <exception cref="ArgumentException"><paramref name="auditTrail"/> is a default (uninitialised) array.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="auditTrailStart"/> is negative.</exception>
    protected AggregateRoot(long revision, ImmutableArray<AuditEntry> auditTrail, int auditTrailStart)
    {
        if (auditTrail.IsDefault)
        {
            throw new ArgumentException("The snapshot's audit trail is a default ImmutableArray; use an empty one.", nameof(auditTrail));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(auditTrailStart);
        if (revision == 0 && auditTrailStart != 0)
        {
            throw new ArgumentException("A new aggregate (revision 0) has no stored audit trail to leave out; its trail must start at 0.", nameof(auditTrailStart));
        }

        Revision = revision;
        AuditTrailStart = auditTrailStart;
        _loadedTrail = auditTrail;
        _auditTrail = new AuditTrailView(this);
        _newAuditEntries = new NewAuditEntriesView(this);
    }

    /// <summary>The revision this copy was loaded at: 0 for a new aggregate, incremented by each save (X3).</summary>
    public long Revision { get; private set; }

    /// <summary>
    /// Every change so far, oldest first. Entries are never changed or removed. On an aggregate a store loaded without
    /// its trail (<c>FindWithoutAuditTrailAsync</c>, what the services do for a command), only the entries from
    /// <see cref="AuditTrailStart"/> on: those recorded since the load.
    /// </summary>
    public IReadOnlyList<AuditEntry> AuditTrail => _auditTrail;

    /// <summary>
    /// The position of <see cref="AuditTrail"/>[0] in the whole stored trail: 0 when the aggregate was loaded with its
    /// whole trail (<c>FindAsync</c>) or is new; the number of entries stored before the load when it was loaded without
    /// them. Store authors: the audit entry <c>AuditTrail[i]</c> is entry number <c>AuditTrailStart + i</c> of the trail.
    /// </summary>
    public int AuditTrailStart { get; }

    /// <summary>Events raised since the last save, oldest first. Stores save them with the aggregate.</summary>
    public IReadOnlyList<DomainEvent> PendingEvents => _pendingEvents;

    /// <summary>
    /// The audit entries recorded since the last save, oldest first, each with its number in the whole stored trail: what
    /// a store inserts beside <see cref="PendingEvents"/> (one entry per pending event, in the same order). Store authors
    /// write exactly these, with exactly these numbers, in the save's transaction; the numbers continue the stored trail
    /// whether the aggregate was loaded with its trail or without it. Empty after <see cref="MarkSaved"/>. No copy is made.
    /// </summary>
    public IReadOnlyList<NumberedAuditEntry> NewAuditEntries => _newAuditEntries;

    /// <summary>
    /// The releases or versions added or changed since the last save, so a store can write only those rows. Store authors:
    /// upsert each key still present, and insert <see cref="NewAuditEntries"/> and <see cref="PendingEvents"/> with them.
    /// </summary>
    public IReadOnlyCollection<VersionKey> ChangedItems => _changedItems;

    /// <summary>The releases or versions deleted since the last save (store authors: delete those rows).</summary>
    public IReadOnlyCollection<VersionKey> RemovedItems => _removedItems;

    /// <summary>
    /// The releases or versions whose content was set since the last save (created, cloned, or content edited): a subset of
    /// <see cref="ChangedItems"/>. Store authors: write an item's content only when it is listed here; any other changed
    /// item keeps the content stored (it may have been loaded without it).
    /// </summary>
    public IReadOnlyCollection<VersionKey> ContentChangedItems => _contentChangedItems;

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
        _savedRecordedCount = _recordedTrail.Count;
        _pendingEvents.Clear();
        _changedItems.Clear();
        _removedItems.Clear();
        _contentChangedItems.Clear();
    }

    /// <summary>The whole audit trail as an immutable array, for snapshots: the loaded array itself when nothing was recorded, else one copy.</summary>
    protected ImmutableArray<AuditEntry> AuditTrailSnapshot()
    {
        if (_recordedTrail.Count == 0)
        {
            return _loadedTrail;
        }

        var builder = ImmutableArray.CreateBuilder<AuditEntry>(_loadedTrail.Length + _recordedTrail.Count);
        builder.AddRange(_loadedTrail);
        builder.AddRange(CollectionsMarshal.AsSpan(_recordedTrail));
        return builder.MoveToImmutable();
    }

    /// <summary>Appends an audit entry and raises the matching domain event.</summary>
    protected void Record(AuditAction action, ActorId by, Instant at, string? subject, string details)
    {
        _recordedTrail.Add(new AuditEntry(action, by, at, subject, details));
        _pendingEvents.Add(new DomainEvent(AggregateKind, AggregateIdText, DomainEventTypes.For(action), subject, by, at, details));
    }

    /// <summary>Notes that a release or version was added or changed.</summary>
    protected void MarkChanged(VersionKey key)
    {
        _removedItems.Remove(key);
        _changedItems.Add(key);
    }

    /// <summary>Notes that a release or version was added or its content set (it is then changed too).</summary>
    protected void MarkContentChanged(VersionKey key)
    {
        MarkChanged(key);
        _contentChangedItems.Add(key);
    }

    /// <summary>Notes that a release or version was deleted.</summary>
    protected void MarkRemoved(VersionKey key)
    {
        _changedItems.Remove(key);
        _contentChangedItems.Remove(key);
        _removedItems.Add(key);
    }

    /// <summary>Builds the exception for a broken rule, naming this aggregate.</summary>
    protected VersioningRuleException Refused(string ruleId, string message, string? subject = null, string? state = null, IReadOnlyList<string>? problems = null)
        => new(ruleId, message, AggregateKind, AggregateIdText, subject, state, problems);

    /// <summary>Checks the actor is not the empty default.</summary>
    protected static void CheckActor(ActorId by)
    {
        Preconditions.Actor(by, nameof(by));
    }

    /// <summary>The entries recorded since the last save, numbered from their position in the whole trail (no copy).</summary>
    private sealed class NewAuditEntriesView(AggregateRoot owner) : IReadOnlyList<NumberedAuditEntry>
    {
        public int Count => owner._recordedTrail.Count - owner._savedRecordedCount;

        public NumberedAuditEntry this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
                var recorded = owner._savedRecordedCount + index;
                return new(owner.AuditTrailStart + owner._loadedTrail.Length + recorded, owner._recordedTrail[recorded]);
            }
        }

        public IEnumerator<NumberedAuditEntry> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The loaded trail followed by the entries recorded since, as one read-only list (no copy).</summary>
    private sealed class AuditTrailView(AggregateRoot owner) : IReadOnlyList<AuditEntry>
    {
        public int Count => owner._loadedTrail.Length + owner._recordedTrail.Count;

        public AuditEntry this[int index]
        {
            get
            {
                var loaded = owner._loadedTrail;
                if ((uint)index < (uint)loaded.Length)
                {
                    return loaded[index];
                }

                ArgumentOutOfRangeException.ThrowIfNegative(index);
                return owner._recordedTrail[index - loaded.Length];
            }
        }

        public IEnumerator<AuditEntry> GetEnumerator()
        {
            foreach (var entry in owner._loadedTrail)
            {
                yield return entry;
            }

            foreach (var entry in owner._recordedTrail)
            {
                yield return entry;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
