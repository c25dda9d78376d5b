using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;

namespace Versioning.Core.Persistence;

/// <summary>
/// The state behind the in-memory repositories: one lock guards aggregates, installations and the event stream
/// together, so a save and its events are one atomic step (X4) and no update is lost (X3). Aggregates are kept as
/// immutable snapshots; every load rebuilds a private copy.
/// </summary>
public sealed class InMemoryStore
{
    internal readonly Lock Gate = new();
    internal readonly Dictionary<TemplateId, TemplateSnapshot> Templates = [];
    internal readonly Dictionary<IntegrationId, IntegrationSnapshot> Integrations = [];
    internal readonly SortedDictionary<InstallationId, Installation> Installations = [];
    internal readonly Dictionary<(ProductRef Product, VersionKey Pinned), long[]> Counts = [];
    internal readonly List<DomainEvent> Events = [];

    /// <summary>How many events have been stored.</summary>
    public long EventCount
    {
        get
        {
            lock (Gate)
            {
                return Events.Count;
            }
        }
    }

    /// <summary>Appends events, assigning positions; call under <see cref="Gate"/>.</summary>
    internal void Append(IEnumerable<DomainEvent> events, long aggregateRevision)
    {
        foreach (var e in events)
        {
            Events.Add(e with { Position = Events.Count + 1, AggregateRevision = aggregateRevision });
        }
    }

    /// <summary>Adjusts the per-version counters; call under <see cref="Gate"/>.</summary>
    internal void Count(Installation installation, int delta)
    {
        var key = (installation.Product, installation.Pinned);
        if (!Counts.TryGetValue(key, out var counts))
        {
            counts = new long[2];
            Counts[key] = counts;
        }

        counts[(int)installation.Status] += delta;
        if (counts[0] == 0 && counts[1] == 0)
        {
            Counts.Remove(key);
        }
    }
}
