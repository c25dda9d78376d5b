namespace Versioning.Core.Events;

/// <summary>Reads the stored events (the outbox) in order, a page at a time.</summary>
public interface IEventReader
{
    /// <summary>Reads up to <paramref name="maxCount"/> events whose position is greater than <paramref name="afterPosition"/>, in position order.</summary>
    /// <param name="afterPosition">The last position already read (0 to start at the beginning).</param>
    /// <param name="maxCount">The page size, 1 to 10 000.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events, in ascending position order; fewer than <paramref name="maxCount"/> at the end of the stream.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterPosition"/> is negative or <paramref name="maxCount"/> is out of range.</exception>
    Task<IReadOnlyList<DomainEvent>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default);
}
