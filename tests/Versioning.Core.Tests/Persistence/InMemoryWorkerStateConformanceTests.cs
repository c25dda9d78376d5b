using Versioning.Core.Persistence;
using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.Tests.Persistence;

/// <summary>The worker state conformance suite against the in-memory store (H1–H5).</summary>
public sealed class InMemoryWorkerStateConformanceTests : WorkerStateConformanceTests
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<WorkerStateStores, InMemoryStore> _stores = new();

    /// <inheritdoc />
    protected override Task<WorkerStateStores> CreateWorkerStoresAsync()
    {
        var store = new InMemoryStore();
        var stores = new WorkerStateStores(
            new VersioningStores(
                new InMemoryTemplateRepository(store),
                new InMemoryIntegrationRepository(store),
                new InMemoryInstallationRepository(store),
                new InMemoryMigrationRepository(store),
                new InMemoryEventReader(store)),
            new InMemoryWorkerStateRepository(store));
        _stores[stores] = store;
        return Task.FromResult(stores);
    }

    /// <inheritdoc />
    protected override Task<WorkerStateStores> ReopenAsync(WorkerStateStores stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        return Task.FromResult(stores with { State = new InMemoryWorkerStateRepository(_stores[stores]) });
    }
}
