using Versioning.Core.Testing.Conformance;
using Versioning.Core.Tests.Shared;

namespace Versioning.Core.Sqlite.Tests;

public sealed class SqliteStoreRoundTripProperties : StoreRoundTripProperties
{
    protected override Task<VersioningStores> CreateStoresAsync() => Task.FromResult(TempDatabase.Stores(TempDatabase.NewPath(), deleteOnDispose: true));
}
