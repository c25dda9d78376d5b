using System.Collections.Concurrent;
using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL stores pass the conformance suite. Each test gets its own schema, dropped afterwards; reopening uses
/// a new NpgsqlDataSource on the same schema.
/// </summary>
public sealed class PostgreSqlStoreConformanceTests : StoreConformanceTests
{
    private readonly ConcurrentDictionary<VersioningStores, TestSchema> _schemas = new();

    protected override Task<VersioningStores> CreateStoresAsync()
    {
        var schema = new TestSchema();
        var stores = schema.Stores(owner: true);
        _schemas[stores] = schema;
        return Task.FromResult(stores);
    }

    protected override Task<VersioningStores> ReopenAsync(VersioningStores stores) => Task.FromResult(_schemas[stores].Stores(owner: false));
}
