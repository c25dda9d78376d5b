using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Xunit;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>An installation reads back exactly, and updates check the revision (X3).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Installation_SaveFindAndUpdate_RoundTripsWithRevisionCheck_I1_X3()
    {
        await using var stores = await CreateStoresAsync();
        var product = new ProductRef(ProductKind.Integration, Guid.NewGuid());
        var saved = await stores.Installations.SaveAsync(NewInstallation(product, VersionKey.ForVersion(new(1, 0, 0)), "owner " + Tricky), InstallationEvents.Installed(NewInstallation(product, VersionKey.ForRelease(R(1)), "x"), Actor, T0));
        Assert.Equal(1, saved.Revision);
        var loaded = await (await ReopenAsync(stores)).Installations.FindAsync(saved.Id);
        Assert.NotNull(loaded);
        Assert.Equal(Describe(saved), Describe(loaded));

        var running = await stores.Installations.SaveAsync(loaded with { Status = RunStatus.Running, UpdatedAt = T0.PlusTicks(5) }, InstallationEvents.Changed(loaded, Actor, T0));
        Assert.Equal(2, running.Revision);
        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Installations.SaveAsync(loaded with { Status = RunStatus.Paused }, InstallationEvents.Changed(loaded, Actor, T0)));
        Assert.Equal((1L, 2L), (ex.ExpectedRevision, ex.ActualRevision));
        Assert.Equal(RunStatus.Running, (await stores.Installations.FindAsync(saved.Id))!.Status);
        Assert.Null(await stores.Installations.FindAsync(InstallationId.New()));
    }

    /// <summary>Counts by version and run status, and by one version.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Installation_Counts_ByVersionAndStatus_T16_Z16()
    {
        await using var stores = await CreateStoresAsync();
        var product = new ProductRef(ProductKind.Template, Guid.NewGuid());
        var other = new ProductRef(ProductKind.Template, Guid.NewGuid());
        for (var n = 0; n < 9; n++)
        {
            var i = NewInstallation(product, VersionKey.ForRelease(R(n < 6 ? 1 : 2)), $"o{n}", n);
            await stores.Installations.SaveAsync(i, InstallationEvents.Installed(i, Actor, T0));
        }

        var foreign = NewInstallation(other, VersionKey.ForRelease(R(1)), "foreign");
        await stores.Installations.SaveAsync(foreign, InstallationEvents.Installed(foreign, Actor, T0));

        var counts = await stores.Installations.CountByVersionAsync(product);
        Assert.Equal(2, counts.Count);
        Assert.Equal(new InstallationCounts(Running: 2, Paused: 4), counts[VersionKey.ForRelease(R(1))]);
        Assert.Equal(new InstallationCounts(Running: 1, Paused: 2), counts[VersionKey.ForRelease(R(2))]);
        Assert.Equal(6, (await stores.Installations.CountAsync(product, VersionKey.ForRelease(R(1)))).Total);
        Assert.Equal(0, (await stores.Installations.CountAsync(product, VersionKey.ForRelease(R(3)))).Total);
    }

    /// <summary>Keyset paging returns every installation of a product exactly once, in identifier order.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Installation_ListPages_EveryInstallationOnceInIdOrder()
    {
        await using var stores = await CreateStoresAsync();
        var product = new ProductRef(ProductKind.Integration, Guid.NewGuid());
        var ids = new List<InstallationId>();
        for (var n = 0; n < 23; n++)
        {
            var i = NewInstallation(product, VersionKey.ForVersion(new(1, 0, 0)), $"o{n}", n);
            ids.Add((await stores.Installations.SaveAsync(i, InstallationEvents.Installed(i, Actor, T0))).Id);
        }

        var seen = new List<InstallationId>();
        InstallationId? after = null;
        while (true)
        {
            var page = await stores.Installations.ListAsync(product, after, 5);
            seen.AddRange(page.Select(i => i.Id));
            if (page.Count < 5)
            {
                break;
            }

            after = page[^1].Id;
        }

        Assert.Equal(ids.Order(), seen);
        Assert.Empty(await stores.Installations.ListAsync(new ProductRef(ProductKind.Integration, Guid.NewGuid()), null, 5));
    }

    /// <summary>
    /// The installations on one release or version, a page at a time: exactly those pinned to it, each once, in identifier
    /// order; none of another version or another product.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Installation_ListByVersionPages_OnlyThatVersionOnceInIdOrder()
    {
        await using var stores = await CreateStoresAsync();
        var product = new ProductRef(ProductKind.Integration, Guid.NewGuid());
        var other = new ProductRef(ProductKind.Integration, Guid.NewGuid());
        VersionKey[] keys = [VersionKey.ForVersion(new(1, 0, 0)), VersionKey.ForVersion(new(1, 1, 0)), VersionKey.ForVersion(new(1, 1, 0, "rc-1"))];
        var expected = keys.ToDictionary(k => k, _ => new List<InstallationId>());
        for (var n = 0; n < 31; n++)
        {
            var key = keys[n % 7 == 0 ? 2 : n % 2];
            var i = NewInstallation(product, key, $"o{n}", n);
            expected[key].Add((await stores.Installations.SaveAsync(i, InstallationEvents.Installed(i, Actor, T0))).Id);
            var foreign = NewInstallation(other, key, $"f{n}", n);
            await stores.Installations.SaveAsync(foreign, InstallationEvents.Installed(foreign, Actor, T0));
        }

        foreach (var key in keys)
        {
            var seen = new List<InstallationId>();
            InstallationId? after = null;
            while (true)
            {
                var page = await stores.Installations.ListByVersionAsync(product, key, after, 4);
                Assert.All(page, i => Assert.Equal((product, key), (i.Product, i.Pinned)));
                seen.AddRange(page.Select(i => i.Id));
                if (page.Count < 4)
                {
                    break;
                }

                after = page[^1].Id;
            }

            Assert.Equal(expected[key].Order(), seen);
        }

        Assert.Empty(await stores.Installations.ListByVersionAsync(product, VersionKey.ForVersion(new(9, 0, 0)), null, 5));
        Assert.Equal("take", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stores.Installations.ListByVersionAsync(product, keys[0], null, 0))).ParamName);
        Assert.Equal("pinned", (await Assert.ThrowsAsync<ArgumentException>(() => stores.Installations.ListByVersionAsync(product, default, null, 5))).ParamName);
    }
}
