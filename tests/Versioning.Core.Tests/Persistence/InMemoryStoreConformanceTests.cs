using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Persistence;
using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.Tests.Persistence;

/// <summary>
/// The in-memory stores pass the conformance suite, registered through DI (A3): each test's database is one
/// <see cref="InMemoryStore"/>, and a second container over the same instance plays the reopened host.
/// </summary>
public sealed class InMemoryStoreConformanceTests : StoreConformanceTests
{
    protected override object CreateDatabase() => new InMemoryStore();

    protected override void AddStores(VersioningBuilder builder, object database)
        => builder.Services.Replace(ServiceDescriptor.Singleton((InMemoryStore)database));
}
