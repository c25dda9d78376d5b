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

    /// <summary>Loads a product to run a command on, or null when it does not exist.</summary>
    public Task<IProduct?> FindAsync(ProductRef product, CancellationToken cancellationToken)
        => For(product.Kind).FindAsync(product.Id, cancellationToken);

    /// <summary>Loads a product or throws the not-found exception.</summary>
    public async Task<IProduct> LoadAsync(ProductRef product, CancellationToken cancellationToken)
        => await FindAsync(product, cancellationToken).ConfigureAwait(false)
            ?? throw new EntityNotFoundException(product.Kind.ToString(), product.Id.ToString("D"));

    /// <summary>The team of a product; empty when it no longer exists (then only a custom policy can allow).</summary>
    public async Task<IReadOnlySet<ActorId>> TeamAsync(ProductRef product, CancellationToken cancellationToken)
        => (await FindAsync(product, cancellationToken).ConfigureAwait(false))?.Team ?? NoTeam;
}
