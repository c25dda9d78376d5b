using System.Collections.Concurrent;
using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.Sqlite.Tests;

/// <summary>The worker state conformance suite against SQLite, another instance being another database handle on the same file (H1–H5).</summary>
public sealed class SqliteWorkerStateConformanceTests : WorkerStateConformanceTests
{
    private readonly ConcurrentDictionary<WorkerStateStores, string> _paths = new();

    /// <inheritdoc />
    protected override Task<WorkerStateStores> CreateWorkerStoresAsync()
    {
        var path = TempDatabase.NewPath();
        var stores = Open(path, owner: true);
        _paths[stores] = path;
        return Task.FromResult(stores);
    }

    /// <inheritdoc />
    protected override Task<WorkerStateStores> ReopenAsync(WorkerStateStores stores) => Task.FromResult(Open(_paths[stores], owner: false));

    private static WorkerStateStores Open(string path, bool owner)
    {
        var stores = TempDatabase.Stores(path, deleteOnDispose: owner);
        var database = new SqliteDatabase(TempDatabase.ConnectionString(path));
        TempDatabase.Track(path, database);
        return new WorkerStateStores(stores, new SqliteWorkerStateRepository(database));
    }
}
