using NodaTime;

namespace Versioning.Core.Events;

/// <summary>
/// A change that happened, saved by the store in the same transaction as the aggregate (transactional outbox, X4)
/// and read back in order of <see cref="Position"/>. Events are facts: never changed after they are stored.
/// </summary>
/// <param name="AggregateKind">"Template", "Integration", "Installation" or "Migration".</param>
/// <param name="AggregateId">The aggregate's identifier text.</param>
/// <param name="Type">The event type: one of the constants of <see cref="DomainEventTypes"/>, for example <see cref="DomainEventTypes.Promoted"/>.</param>
/// <param name="Subject">The release or version concerned, if any.</param>
/// <param name="Actor">Who caused it.</param>
/// <param name="At">When it happened.</param>
/// <param name="Details">A message for people (for machine data, read the aggregate at <see cref="AggregateRevision"/>).</param>
public sealed record DomainEvent(string AggregateKind, string AggregateId, string Type, string? Subject, ActorId Actor, Instant At, string Details)
{
    /// <summary>The position in the store's event stream; 0 until the store saves the event.</summary>
    public long Position { get; init; }

    /// <summary>The revision the aggregate reached with the save that stored this event; 0 until saved.</summary>
    public long AggregateRevision { get; init; }
}
