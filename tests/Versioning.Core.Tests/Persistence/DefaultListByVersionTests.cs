using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Tests.Persistence;

/// <summary>A store that does not implement <c>ListByVersionAsync</c> gets a correct one from the contract.</summary>
public sealed class DefaultListByVersionTests
{
    private static readonly ActorId Actor = new("store-author");
    private static readonly Instant At = Instant.FromUtc(2026, 1, 1, 0, 0);

    [Fact]
    public async Task ListByVersionAsync_DefaultImplementation_PagesLikeTheBuiltInStore()
    {
        var inMemory = new InMemoryInstallationRepository(new InMemoryStore());
        IInstallationRepository plugin = new OnlyTheRequiredMembers(inMemory);
        var product = new ProductRef(ProductKind.Template, Guid.NewGuid());
        for (var n = 0; n < 40; n++)
        {
            var installation = new Installation
            {
                Id = InstallationId.New(),
                Product = product,
                Owner = OwnerRef.User($"u{n}"),
                Pinned = VersionKey.ForRelease(R(1 + (n % 3))),
                Status = RunStatus.Paused,
                Settings = Installation.CheckSettings([]),
                CreatedAt = At,
                UpdatedAt = At,
            };
            await inMemory.SaveAsync(installation, InstallationEvents.Installed(installation, Actor, At));
        }

        foreach (var take in new[] { 1, 3, 7, 100 })
        {
            Assert.Equal(await PagesAsync(inMemory, product, take), await PagesAsync(plugin, product, take));
        }

        Assert.Equal(13, (await PagesAsync(plugin, product, 5)).Count);
        Assert.Equal("take", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => plugin.ListByVersionAsync(product, VersionKey.ForRelease(R(1)), null, 10_001))).ParamName);
    }

    private static async Task<List<InstallationId>> PagesAsync(IInstallationRepository repository, ProductRef product, int take)
    {
        var seen = new List<InstallationId>();
        InstallationId? after = null;
        for (IReadOnlyList<Installation> page; (page = await repository.ListByVersionAsync(product, VersionKey.ForRelease(R(2)), after, take)).Count > 0; after = page[^1].Id)
        {
            Assert.All(page, i => Assert.Equal(VersionKey.ForRelease(R(2)), i.Pinned));
            seen.AddRange(page.Select(i => i.Id));
        }

        return seen;
    }

    /// <summary>A store written before <c>ListByVersionAsync</c> existed.</summary>
    private sealed class OnlyTheRequiredMembers(IInstallationRepository inner) : IInstallationRepository
    {
        public Task<Installation?> FindAsync(InstallationId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

        public Task<Installation> SaveAsync(Installation installation, DomainEvent domainEvent, CancellationToken cancellationToken = default) => inner.SaveAsync(installation, domainEvent, cancellationToken);

        public Task<IReadOnlyDictionary<VersionKey, InstallationCounts>> CountByVersionAsync(ProductRef product, CancellationToken cancellationToken = default) => inner.CountByVersionAsync(product, cancellationToken);

        public Task<InstallationCounts> CountAsync(ProductRef product, VersionKey pinned, CancellationToken cancellationToken = default) => inner.CountAsync(product, pinned, cancellationToken);

        public Task<IReadOnlyList<Installation>> ListAsync(ProductRef product, InstallationId? after, int take, CancellationToken cancellationToken = default) => inner.ListAsync(product, after, take, cancellationToken);
    }
}
