using NodaTime;

namespace Versioning.Core.Persistence;

/// <summary>
/// An event a consumer's handler kept failing on (H4): after the configured attempts the worker stores it here and moves
/// the consumer's checkpoint past it, so one poison event never blocks the events after it. Parked events are kept for
/// an operator to inspect and replay.
/// </summary>
/// <param name="Consumer">The consumer's name.</param>
/// <param name="Position">The event's position in the outbox (its id).</param>
/// <param name="Attempts">How many times the handler was called.</param>
/// <param name="Error">The last failure (exception type and message).</param>
/// <param name="ParkedAt">When it was parked.</param>
public sealed record ParkedEvent(string Consumer, long Position, int Attempts, string Error, Instant ParkedAt);
