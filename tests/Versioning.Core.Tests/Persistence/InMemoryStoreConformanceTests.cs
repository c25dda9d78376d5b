using Versioning.Core.Persistence;
using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.Tests.Persistence;

/// <summary>The in-memory stores pass the conformance suite.</summary>
public sealed class InMemoryStoreConformanceTests : StoreConformanceTests
{
    protected override Task<VersioningStores> CreateStoresAsync()
    {
        var store = new InMemoryStore();
        return Task.FromResult(new VersioningStores(
            new InMemoryTemplateRepository(store),
            new InMemoryIntegrationRepository(store),
            new InMemoryInstallationRepository(store),
            new InMemoryMigrationRepository(store),
            new InMemoryEventReader(store)));
    }
}
