using Versioning.Core.Events;

namespace Versioning.Core.Persistence;

/// <summary>Reads the events the in-memory repositories stored, in position order.</summary>
/// <param name="store">The shared in-memory state.</param>
public sealed class InMemoryEventReader(InMemoryStore store) : IEventReader
{
    private readonly InMemoryStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc />
    public Task<IReadOnlyList<DomainEvent>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        Preconditions.InRange(maxCount, 1, 10_000, nameof(maxCount));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            var start = (int)Math.Min(afterPosition, _store.Events.Count);
            var count = Math.Min(maxCount, _store.Events.Count - start);
            IReadOnlyList<DomainEvent> page = _store.Events.GetRange(start, count);
            return Task.FromResult(page);
        }
    }
}
