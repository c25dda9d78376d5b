using Versioning.Core.Persistence;

namespace Versioning.Core.Testing.Conformance;

/// <summary>
/// The repositories of one database together with its <see cref="IWorkerStateRepository"/>, as the worker state
/// conformance tests (<c>WorkerStateConformanceTests</c>) use them. Disposing it disposes <see cref="Stores"/>.
/// </summary>
/// <param name="Stores">The aggregate repositories and the event reader.</param>
/// <param name="State">The worker state repository over the same database.</param>
public sealed record WorkerStateStores(VersioningStores Stores, IWorkerStateRepository State) : IAsyncDisposable
{
    /// <summary>Disposes <see cref="Stores"/>.</summary>
    /// <returns>A task.</returns>
    public ValueTask DisposeAsync() => Stores.DisposeAsync();
}
