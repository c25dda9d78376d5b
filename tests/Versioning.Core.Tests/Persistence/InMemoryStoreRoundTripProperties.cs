using Versioning.Core.Persistence;
using Versioning.Core.Testing.Conformance;
using Versioning.Core.Tests.Shared;

namespace Versioning.Core.Tests.Persistence;

public sealed class InMemoryStoreRoundTripProperties : StoreRoundTripProperties
{
    protected override Task<VersioningStores> CreateStoresAsync()
    {
        var store = new InMemoryStore();
        return Task.FromResult(new VersioningStores(new InMemoryTemplateRepository(store), new InMemoryIntegrationRepository(store),
            new InMemoryInstallationRepository(store), new InMemoryMigrationRepository(store), new InMemoryEventReader(store)));
    }
}
