using Versioning.Core.Events;
using Versioning.Core.Persistence;

namespace Versioning.Core.Testing.Conformance;

/// <summary>
/// The repositories of one store, all over the same database (the outbox spans them). Returned by
/// <c>StoreConformanceTests.CreateStoresAsync</c> (package Versioning.Core.Testing.Xunit); disposed after each test.
/// </summary>
/// <param name="Templates">The template repository.</param>
/// <param name="Integrations">The integration repository.</param>
/// <param name="Installations">The installation repository.</param>
/// <param name="Migrations">The migration job repository.</param>
/// <param name="Events">The event (outbox) reader.</param>
/// <param name="Disposal">Releases the database (drop a schema, delete a file), or null.</param>
public sealed record VersioningStores(
    ITemplateRepository Templates,
    IIntegrationRepository Integrations,
    IInstallationRepository Installations,
    IMigrationRepository Migrations,
    IEventReader Events,
    Func<ValueTask>? Disposal = null) : IAsyncDisposable
{
    /// <inheritdoc />
    public ValueTask DisposeAsync() => Disposal?.Invoke() ?? ValueTask.CompletedTask;
}
