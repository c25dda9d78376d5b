using Versioning.Core.Integrations;

namespace Versioning.Core.Tests.Integrations;

/// <summary>Z5, Z6: an outsider sees the same "not found" for a hidden version as for a missing one, in every query.</summary>
public class VisibilityTests
{
    [Fact]
    public async Task Queries_ByOutsider_NeverRevealPrivateOrLabeledVersions_Z5_Z6()
    {
        var h = new IntegrationHarness();
        var id = await h.NewIntegrationAsync();
        await h.CreateAsync(id, "1.0.0");
        await h.Service.PromoteAsync(id, VersionNumber.Parse("1.0.0"), IntegrationHarness.Owner);
        await h.CreateAsync(id, "1.1.0");
        await h.Service.CreateVersionAsync(id, VersionNumber.Parse("1.2.0-beta"), null, IntegrationHarness.Owner);
        var outsider = IntegrationHarness.Outsider;

        Assert.Equal(["1.0.0"], (await h.Service.ListVersionsAsync(id, outsider)).Select(v => v.Number.ToString()));
        Assert.Equal(VersionNumber.Parse("1.0.0"), (await h.Service.GetVersionAsync(id, VersionNumber.Parse("1.0.0"), outsider)).Number);
        foreach (var hidden in new[] { "1.1.0", "1.2.0-beta", "9.9.9" })
        {
            var ex = await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Service.GetVersionAsync(id, VersionNumber.Parse(hidden), outsider));
            Assert.Equal("Version", ex.Kind);
            var install = await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Service.InstallAsync(id, OwnerRef.User(outsider.Value), outsider, version: VersionNumber.Parse(hidden)));
            Assert.Equal(ex.Message, install.Message);
        }

        // Sharing reveals 1.1.0 (not the labeled build); the team sees everything.
        await h.Service.ShareAsync(id, null, outsider, IntegrationHarness.Owner);
        Assert.Equal(["1.0.0", "1.1.0"], (await h.Service.ListVersionsAsync(id, outsider)).Select(v => v.Number.ToString()));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Service.GetVersionAsync(id, VersionNumber.Parse("1.2.0-beta"), outsider));
        Assert.Equal(3, (await h.Service.ListVersionsAsync(id, IntegrationHarness.Owner)).Count);
    }
}
