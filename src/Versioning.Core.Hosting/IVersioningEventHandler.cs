using Versioning.Core.Events;

namespace Versioning.Core.Hosting;

/// <summary>
/// A named consumer of the outbox's domain events (H4), registered with
/// <c>AddVersioningEventHandler&lt;T&gt;()</c>. The worker calls it with every stored event in position order, keeping a
/// checkpoint per <see cref="Name"/> in the database; one instance of the fleet delivers to a consumer at a time.
/// </summary>
/// <remarks>
/// <para>
/// Delivery is at least once: after a crash or a lost lease, events after the stored checkpoint are delivered again.
/// Use <see cref="DomainEvent.Position"/> as the idempotency key — it is the event's id, unique and stable in its store.
/// </para>
/// <para>
/// A handler that throws is called again after a growing delay; after the configured attempts the event is parked
/// (stored with the error, see <c>IWorkerStateRepository.ListParkedAsync</c>) and the consumer moves on. Events are the
/// host's own record of what happened, unfiltered: a handler that forwards them to people decides who may see what
/// (a never-public version's events name it).
/// </para>
/// </remarks>
public interface IVersioningEventHandler
{
    /// <summary>The consumer's name: its checkpoint's key. Keep it stable across deployments; a new name starts from the first event.</summary>
    string Name { get; }

    /// <summary>Handles one event.</summary>
    /// <param name="domainEvent">The event, with its <see cref="DomainEvent.Position"/>.</param>
    /// <param name="cancellationToken">Signalled when the host stops; the event is then delivered again later.</param>
    /// <returns>A task; a fault means "retry".</returns>
    Task HandleAsync(DomainEvent domainEvent, CancellationToken cancellationToken);
}
