using Versioning.Core.Aggregates;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;

namespace Versioning.Core.Services;

/// <summary>
/// Finds any product by its <see cref="ProductRef"/> through the <see cref="IProductRepository"/> registered for its
/// kind, so the services that work on every lifecycle never ask which one a product belongs to (A2).
/// </summary>
internal sealed class ProductDirectory
{
    private static readonly IReadOnlySet<ActorId> NoTeam = new HashSet<ActorId>();
    private readonly Dictionary<ProductKind, IProductRepository> _byKind = [];

    public ProductDirectory(IEnumerable<IProductRepository> products)
    {
        ArgumentNullException.ThrowIfNull(products);
        foreach (var repository in products)
        {
            ArgumentNullException.ThrowIfNull(repository, nameof(products));

            // The last registration of a kind wins, as in DI.
            _byKind[repository.Kind] = repository;
        }
    }

    /// <summary>The repository of <paramref name="kind"/>.</summary>
    /// <exception cref="InvalidOperationException">None is registered for that kind.</exception>
    public IProductRepository For(ProductKind kind)
        => _byKind.TryGetValue(kind, out var repository)
            ? repository
            : throw new InvalidOperationException($"No IProductRepository is registered for products of kind {kind}; register one for that lifecycle.");

    /// <summary>Loads a product to run a command on, narrowed to what the command reads, or null when it does not exist.</summary>
    public Task<IProduct?> FindAsync(ProductRef product, ItemSelection selection, CancellationToken cancellationToken)
        => For(product.Kind).FindForCommandAsync(product.Id, selection, cancellationToken);

    /// <summary>Loads a product narrowed to what the command reads, or throws the not-found exception.</summary>
    public async Task<IProduct> LoadAsync(ProductRef product, ItemSelection selection, CancellationToken cancellationToken)
        => await FindAsync(product, selection, cancellationToken).ConfigureAwait(false)
            ?? throw new EntityNotFoundException(product.Kind.ToString(), product.Id.ToString("D"));

    /// <summary>The team of a product (no item is read); empty when it no longer exists (then only a custom policy can allow).</summary>
    public async Task<IReadOnlySet<ActorId>> TeamAsync(ProductRef product, CancellationToken cancellationToken)
        => (await FindAsync(product, ItemSelection.Of(), cancellationToken).ConfigureAwait(false))?.Team ?? NoTeam;

    /// <summary>The selection of the given items (those that are named: a missing key selects nothing).</summary>
    public static ItemSelection Select(params VersionKey?[] keys)
        => ItemSelection.Of(keys.Where(k => k is { Value.Length: > 0 }).Select(k => k!.Value));
}
