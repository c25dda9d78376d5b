using Versioning.Core.Integrations;
using Versioning.Core.Persistence;

namespace Versioning.Core.Tests.Persistence;

/// <summary>What a command reads of one product: value semantics and guards of <see cref="ItemSelection"/>.</summary>
public sealed class ItemSelectionTests
{
    private static readonly VersionKey V1 = VersionKey.ForVersion(VersionNumber.Parse("1.0.0"));
    private static readonly VersionKey V2 = VersionKey.ForVersion(VersionNumber.Parse("2.0.0"));

    [Fact]
    public void All_SelectsEveryItemAndEveryFact()
    {
        Assert.True(ItemSelection.All.IsAll);
        Assert.True(ItemSelection.All.UsedNumbers);
        Assert.Empty(ItemSelection.All.Keys);
        Assert.True(ItemSelection.All.Includes(V1));
        Assert.Same(ItemSelection.All, ItemSelection.All.WithUsedNumbers());
        Assert.Equal("all", ItemSelection.All.ToString());
    }

    [Fact]
    public void Of_ListsDistinctKeysInOrder_AndIncludesOnlyThem()
    {
        var selection = ItemSelection.Of(V2, V1, V2);

        Assert.False(selection.IsAll);
        Assert.False(selection.UsedNumbers);
        Assert.Equal([V1, V2], selection.Keys);
        Assert.True(selection.Includes(V1));
        Assert.False(selection.Includes(VersionKey.ForVersion(VersionNumber.Parse("3.0.0"))));
        Assert.Empty(ItemSelection.Of().Keys);
    }

    [Fact]
    public void Equality_IsByValue()
    {
        Assert.Equal(ItemSelection.Of(V1, V2), ItemSelection.Of([V2, V1]));
        Assert.True(ItemSelection.Of(V1) == ItemSelection.Of(V1));
        Assert.Equal(ItemSelection.Of(V1).GetHashCode(), ItemSelection.Of(V1).GetHashCode());
        Assert.NotEqual(ItemSelection.Of(V1), ItemSelection.Of(V1).WithUsedNumbers());
        Assert.True(ItemSelection.Of(V1) != ItemSelection.Of(V2));
        Assert.NotEqual(ItemSelection.All, ItemSelection.Of());
        Assert.False(ItemSelection.Of(V1).Equals(null));
    }

    [Fact]
    public void WithUsedNumbers_KeepsTheKeys()
    {
        var selection = ItemSelection.Of(V1).WithUsedNumbers();

        Assert.True(selection.UsedNumbers);
        Assert.Equal([V1], selection.Keys);
        Assert.Same(selection, selection.WithUsedNumbers());
        Assert.Contains("used numbers", selection.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Of_RefusesNullAndEmptyKeys()
    {
        Assert.Equal("keys", Assert.Throws<ArgumentNullException>(() => ItemSelection.Of((IEnumerable<VersionKey>)null!)).ParamName);
        Assert.Equal("keys", Assert.Throws<ArgumentException>(() => ItemSelection.Of(V1, default)).ParamName);
    }

    [Fact]
    public async Task FindForCommandAsync_DefaultImplementation_ReturnsAWholeCopyWithoutTheTrail()
    {
        var store = new InMemoryStore();
        var inMemory = new InMemoryIntegrationRepository(store);
        var integration = Integration.Create(IntegrationId.New(), "Default", new ActorId("a"), Instant.FromUtc(2026, 1, 1, 0, 0));
        await inMemory.SaveAsync(integration);
        IIntegrationRepository plugin = new OnlyTheRequiredMembers(inMemory);

        var loaded = await plugin.FindForCommandAsync(integration.Id, ItemSelection.Of(V1));

        Assert.NotNull(loaded);
        Assert.Equal(integration.Id, loaded.Id);
        await Assert.ThrowsAsync<ArgumentNullException>(() => plugin.FindForCommandAsync(integration.Id, null!));
        IProductRepository products = new IntegrationProductRepository(plugin);
        Assert.NotNull(await products.FindForCommandAsync(integration.Id.Value, ItemSelection.All));
    }

    private sealed class OnlyTheRequiredMembers(IIntegrationRepository inner) : IIntegrationRepository
    {
        public Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

        public Task SaveAsync(Integration integration, CancellationToken cancellationToken = default) => inner.SaveAsync(integration, cancellationToken);

        public Task<IReadOnlyList<IntegrationSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
