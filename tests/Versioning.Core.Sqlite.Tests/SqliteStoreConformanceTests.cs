using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.Sqlite.Tests;

/// <summary>The SQLite stores pass the conformance suite; reopening uses a new database handle on the same file.</summary>
public sealed class SqliteStoreConformanceTests : StoreConformanceTests
{
    private readonly Dictionary<VersioningStores, string> _paths = [];

    protected override Task<VersioningStores> CreateStoresAsync()
    {
        var path = TempDatabase.NewPath();
        var stores = TempDatabase.Stores(path, deleteOnDispose: true);
        lock (_paths)
        {
            _paths[stores] = path;
        }

        return Task.FromResult(stores);
    }

    protected override Task<VersioningStores> ReopenAsync(VersioningStores stores)
    {
        string path;
        lock (_paths)
        {
            path = _paths[stores];
        }

        return Task.FromResult(TempDatabase.Stores(path, deleteOnDispose: false));
    }
}
