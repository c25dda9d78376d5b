using Versioning.Core.Testing.Conformance;
using Versioning.Core.Tests.Shared;

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>Arbitrary strings round-trip through the PostgreSQL stores exactly, or are refused naming the parameter.</summary>
public sealed class PostgreSqlStoreRoundTripProperties : StoreRoundTripProperties
{
    protected override Task<VersioningStores> CreateStoresAsync() => Task.FromResult(new TestSchema().Stores(owner: true));
}
