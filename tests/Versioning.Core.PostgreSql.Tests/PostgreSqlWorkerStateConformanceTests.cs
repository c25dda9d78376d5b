using System.Collections.Concurrent;
using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>The worker state conformance suite against PostgreSQL, another instance being another pool on the same schema (H1–H5).</summary>
public sealed class PostgreSqlWorkerStateConformanceTests : WorkerStateConformanceTests
{
    private readonly ConcurrentDictionary<WorkerStateStores, TestSchema> _schemas = new();

    /// <inheritdoc />
    protected override Task<WorkerStateStores> CreateWorkerStoresAsync()
    {
        var schema = new TestSchema();
        var stores = new WorkerStateStores(schema.Stores(owner: true), new PostgreSqlWorkerStateRepository(schema.NewDatabase()));
        _schemas[stores] = schema;
        return Task.FromResult(stores);
    }

    /// <inheritdoc />
    protected override Task<WorkerStateStores> ReopenAsync(WorkerStateStores stores)
    {
        var schema = _schemas[stores];
        return Task.FromResult(new WorkerStateStores(schema.Stores(owner: false), new PostgreSqlWorkerStateRepository(schema.NewDatabase())));
    }
}
