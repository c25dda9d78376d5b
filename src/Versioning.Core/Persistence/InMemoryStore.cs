using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Versioning.Core.Aggregates;

namespace Versioning.Core.Persistence;

/// <summary>
/// The state behind the in-memory repositories: one lock guards aggregates, installations, jobs and the event stream
/// together, so a save and its events are one atomic step (X4) and no update is lost (X3). Aggregates are kept as
/// immutable snapshots without their audit trail, and each trail as an append-only list beside them, so a save appends
/// its new entries instead of copying the trail; every load rebuilds a private copy. Register one instance per logical
/// database.
/// </summary>
/// <threadsafety>Thread-safe: every repository over one store takes its lock for each read and write, so concurrent
/// writers never lose an update (X3).</threadsafety>
public sealed class InMemoryStore
{
    internal readonly Lock Gate = new();
    internal readonly Dictionary<TemplateId, InMemoryTemplateRepository.Stored> Templates = [];
    internal readonly Dictionary<IntegrationId, InMemoryStoredIntegration> Integrations = [];
    internal readonly Dictionary<Guid, List<Auditing.AuditEntry>> Trails = [];
    internal readonly Dictionary<ProductRef, StoredProduct> Products = [];
    internal readonly List<Row> Rows = [];
    internal readonly Dictionary<InstallationId, int> InstallationRows = [];
    internal readonly Dictionary<ProductRef, ProductIndex> ByProduct = [];
    internal readonly Dictionary<(ProductRef Product, VersionKey Pinned), long[]> Counts = [];
    internal readonly Dictionary<MigrationId, MigrationJob> Jobs = [];
    internal readonly List<DomainEvent> Events = [];
    internal readonly WorkerState Worker = new();

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

    /// <summary>
    /// Why <paramref name="aggregate"/>'s trail cannot be appended to the stored <paramref name="trail"/>, or null: a copy
    /// loaded without its trail must leave out exactly the stored entries. Call under <see cref="Gate"/>, after the
    /// revision check, before writing anything.
    /// </summary>
    internal static string? TrailMismatch(AggregateRoot aggregate, List<Auditing.AuditEntry>? trail)
        => aggregate.AuditTrailStart > 0 && aggregate.AuditTrailStart != (trail?.Count ?? 0)
            ? $"{aggregate.AggregateKind} '{aggregate.AggregateIdText}' was loaded with its audit trail starting at entry {aggregate.AuditTrailStart}, but {trail?.Count ?? 0} entries are stored."
            : null;

    /// <summary>Appends the entries recorded since the last save to the stored trail of <paramref name="id"/>; call under <see cref="Gate"/>.</summary>
    internal void AppendTrail(Guid id, AggregateRoot aggregate)
    {
        if (!Trails.TryGetValue(id, out var trail))
        {
            Trails[id] = trail = [];
        }

        // TrailMismatch ran before any write, so each entry's number is the stored trail's length when it is added.
        foreach (var (_, entry) in aggregate.NewAuditEntries)
        {
            trail.Add(entry);
        }
    }

    /// <summary>The stored trail of <paramref name="id"/> as an array (a whole load); call under <see cref="Gate"/>.</summary>
    internal System.Collections.Immutable.ImmutableArray<Auditing.AuditEntry> TrailOf(Guid id)
        => Trails.TryGetValue(id, out var trail) ? [.. trail] : [];

    /// <summary>The number of stored entries of <paramref name="id"/>'s trail; call under <see cref="Gate"/>.</summary>
    internal int TrailLength(Guid id) => Trails.TryGetValue(id, out var trail) ? trail.Count : 0;

    /// <summary>Appends events, assigning positions; call under <see cref="Gate"/>.</summary>
    internal void Append(IEnumerable<DomainEvent> events, long aggregateRevision)
    {
        foreach (var e in events)
        {
            Events.Add(e with { Position = Events.Count + 1, AggregateRevision = aggregateRevision });
        }
    }

    /// <summary>The installation with this id, rebuilt from its row; null when absent. Call under <see cref="Gate"/>.</summary>
    internal Installation? FindInstallation(InstallationId id)
        => InstallationRows.TryGetValue(id, out var row) ? Rows[row].ToInstallation() : null;

    /// <summary>Every installation (for tests and benchmarks). Call under <see cref="Gate"/>.</summary>
    internal IEnumerable<Installation> AllInstallations() => Rows.Select(r => r.ToInstallation());

    /// <summary>Stores an installation value, keeping the per-product index and per-version counters; call under <see cref="Gate"/>.</summary>
    internal void Put(Installation installation)
    {
        var row = new Row(installation);
        if (InstallationRows.TryGetValue(installation.Id, out var index))
        {
            Count(Rows[index].Product, Rows[index].Pinned, Rows[index].Status, -1);
            Rows[index] = row;
        }
        else
        {
            index = Rows.Count;
            Rows.Add(row);
            InstallationRows[installation.Id] = index;
            if (!ByProduct.TryGetValue(installation.Product, out var productIndex))
            {
                productIndex = new ProductIndex(Rows);
                ByProduct[installation.Product] = productIndex;
            }

            productIndex.Add(index);
        }

        Count(row.Product, row.Pinned, row.Status, +1);
    }

    /// <summary>
    /// Runs one migration batch in place: scans up to a batch of candidates after the checkpoint in id order and re-pins
    /// the selected ones (revision +1), allocating nothing per installation. Call under <see cref="Gate"/>.
    /// </summary>
    internal (int Scanned, int Moved, InstallationId? Last) MoveBatch(MigrationJob job, NodaTime.Instant at)
    {
        var scanned = 0;
        var moved = 0;
        InstallationId? last = null;
        if (!ByProduct.TryGetValue(job.Product, out var index))
        {
            return (0, 0, null);
        }

        var order = index.Sorted();
        var rows = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Rows);
        for (var i = index.StartAfter(job.Checkpoint); i < order.Count && scanned < job.BatchSize; i++)
        {
            ref var row = ref rows[order[i]];
            if (!job.IsCandidate(row.Pinned))
            {
                continue;
            }

            scanned++;
            last = row.Id;
            if (job.Scope.Selects(row.Id, row.Owner, row.Pinned, job.To))
            {
                Count(row.Product, row.Pinned, row.Status, -1);
                row.Pinned = job.To;
                row.UpdatedAt = at;
                row.Revision++;
                Count(row.Product, row.Pinned, row.Status, +1);
                moved++;
            }
        }

        return (scanned, moved, last);
    }

    /// <summary>A product's installations in identifier order, a page at a time. Call under <see cref="Gate"/>.</summary>
    internal List<Installation> Page(ProductRef product, InstallationId? after, int take)
    {
        var page = new List<Installation>();
        if (ByProduct.TryGetValue(product, out var index))
        {
            var order = index.Sorted();
            for (var i = index.StartAfter(after); i < order.Count && page.Count < take; i++)
            {
                page.Add(Rows[order[i]].ToInstallation());
            }
        }

        return page;
    }

    internal List<Installation> PageOnVersion(ProductRef product, VersionKey pinned, InstallationId? after, int take)
    {
        var page = new List<Installation>();
        if (ByProduct.TryGetValue(product, out var index) && Counts.ContainsKey((product, pinned)))
        {
            var order = index.Sorted();
            for (var i = index.StartAfter(after); i < order.Count && page.Count < take; i++)
            {
                if (Rows[order[i]].Pinned == pinned)
                {
                    page.Add(Rows[order[i]].ToInstallation());
                }
            }
        }

        return page;
    }

    private void Count(ProductRef product, VersionKey pinned, RunStatus status, int delta)
    {
        var key = (product, pinned);
        if (!Counts.TryGetValue(key, out var counts))
        {
            counts = new long[2];
            Counts[key] = counts;
        }

        counts[(int)status] += delta;
        if (counts[0] == 0 && counts[1] == 0)
        {
            Counts.Remove(key);
        }
    }

    /// <summary>A product of a lifecycle defined outside the library, as <see cref="InMemoryProductRepository{TProduct, TSnapshot}"/> keeps it (its trail is in <see cref="Trails"/>).</summary>
    internal sealed record StoredProduct(object Snapshot, long Revision, string AggregateKind);

    /// <summary>
    /// One installation as stored: a mutable struct in a list, so a migration re-pins in place instead of allocating a
    /// new record per moved installation (P6); records are built only when read.
    /// </summary>
    internal struct Row(Installation installation)
    {
        public readonly InstallationId Id = installation.Id;
        public readonly ProductRef Product = installation.Product;
        public readonly OwnerRef Owner = installation.Owner;
        public readonly RunStatus Status = installation.Status;
        public readonly System.Collections.Immutable.ImmutableSortedDictionary<string, string> Settings = installation.Settings;
        public readonly NodaTime.Instant CreatedAt = installation.CreatedAt;
        public VersionKey Pinned = installation.Pinned;
        public NodaTime.Instant UpdatedAt = installation.UpdatedAt;
        public long Revision = installation.Revision;

        public readonly Installation ToInstallation() => new()
        {
            Id = Id,
            Product = Product,
            Owner = Owner,
            Pinned = Pinned,
            Status = Status,
            Settings = Settings,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
            Revision = Revision,
        };
    }

    /// <summary>A product's installation rows, ordered by id lazily (appends are O(1); a scan sorts once).</summary>
    internal sealed class ProductIndex(List<Row> rows)
    {
        private readonly List<int> _order = [];
        private bool _sorted = true;

        public void Add(int row)
        {
            if (_order.Count > 0 && rows[row].Id.CompareTo(rows[_order[^1]].Id) < 0)
            {
                _sorted = false;
            }

            _order.Add(row);
        }

        /// <summary>The row numbers in ascending id order.</summary>
        public List<int> Sorted()
        {
            if (!_sorted)
            {
                _order.Sort((a, b) => rows[a].Id.CompareTo(rows[b].Id));
                _sorted = true;
            }

            return _order;
        }

        /// <summary>The position of the first id greater than <paramref name="after"/> (0 when null).</summary>
        public int StartAfter(InstallationId? after)
        {
            var order = Sorted();
            if (after is not { } a)
            {
                return 0;
            }

            int lo = 0, hi = order.Count - 1;
            while (lo <= hi)
            {
                var mid = lo + ((hi - lo) >> 1);
                if (rows[order[mid]].Id.CompareTo(a) <= 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return lo;
        }
    }

    /// <summary>The background worker's shared state (<see cref="InMemoryWorkerStateRepository"/>); guarded by <see cref="Gate"/>.</summary>
    internal sealed class WorkerState
    {
        internal readonly Dictionary<string, WorkerLease> Leases = new(StringComparer.Ordinal);
        internal readonly Dictionary<string, long> Checkpoints = new(StringComparer.Ordinal);
        internal readonly Dictionary<(string Consumer, long Position), ParkedEvent> Parked = [];
        internal readonly HashSet<string> NoticeClaims = new(StringComparer.Ordinal);
    }
}
