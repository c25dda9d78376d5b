using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;

namespace Versioning.Core.Persistence;

/// <summary>
/// The state behind the in-memory repositories: one lock guards aggregates, installations, jobs and the event stream
/// together, so a save and its events are one atomic step (X4) and no update is lost (X3). Aggregates are kept as
/// immutable snapshots; every load rebuilds a private copy. Register one instance per logical database.
/// </summary>
public sealed class InMemoryStore
{
    internal readonly Lock Gate = new();
    internal readonly Dictionary<TemplateId, TemplateSnapshot> Templates = [];
    internal readonly Dictionary<IntegrationId, IntegrationSnapshot> Integrations = [];
    internal readonly Dictionary<InstallationId, Installation> Installations = [];
    internal readonly Dictionary<ProductRef, ProductIndex> ByProduct = [];
    internal readonly Dictionary<(ProductRef Product, VersionKey Pinned), long[]> Counts = [];
    internal readonly Dictionary<MigrationId, MigrationJob> Jobs = [];
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

    /// <summary>Stores an installation value, keeping the per-product index and per-version counters; call under <see cref="Gate"/>.</summary>
    internal void Put(Installation installation)
    {
        if (Installations.TryGetValue(installation.Id, out var old))
        {
            Count(old, -1);
        }
        else
        {
            if (!ByProduct.TryGetValue(installation.Product, out var index))
            {
                index = new ProductIndex();
                ByProduct[installation.Product] = index;
            }

            index.Add(installation.Id);
        }

        Installations[installation.Id] = installation;
        Count(installation, +1);
    }

    private void Count(Installation installation, int delta)
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

    /// <summary>A product's installation ids, sorted lazily (appends are O(1); a scan sorts once).</summary>
    internal sealed class ProductIndex
    {
        private readonly List<InstallationId> _ids = [];
        private bool _sorted = true;

        public void Add(InstallationId id)
        {
            if (_ids.Count > 0 && id.CompareTo(_ids[^1]) < 0)
            {
                _sorted = false;
            }

            _ids.Add(id);
        }

        /// <summary>The ids in ascending order.</summary>
        public List<InstallationId> Sorted()
        {
            if (!_sorted)
            {
                _ids.Sort();
                _sorted = true;
            }

            return _ids;
        }

        /// <summary>The position of the first id greater than <paramref name="after"/> (0 when null).</summary>
        public int StartAfter(InstallationId? after)
        {
            var ids = Sorted();
            if (after is not { } a)
            {
                return 0;
            }

            var i = ids.BinarySearch(a);
            return i >= 0 ? i + 1 : ~i;
        }
    }
}
