using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

public partial class IntegrationServiceTests
{
    [Fact]
    public async Task CreateVersion_NumberAlreadyExists_Refused_Z1()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        var ex = await RefusedAsync("Z1", () => _h.Service.CreateVersionAsync(id, V("1.0.0"), null, Owner));
        Assert.Equal("version 1.0.0", ex.Subject);
        await RefusedAsync("Z1", () => _h.Service.CloneVersionAsync(id, V("1.0.0"), V("1.0.0"), Owner));
    }

    [Fact]
    public async Task CreateVersion_DeletedNumber_NeverReused_Z1()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.0.1-beta");
        await _h.Service.DeleteVersionAsync(id, V("1.0.0"), Owner);
        await _h.Service.DeleteVersionAsync(id, V("1.0.1-beta"), Owner);

        await RefusedAsync("Z1", () => _h.Service.CreateVersionAsync(id, V("1.0.0"), null, Owner));
        await RefusedAsync("Z1", () => _h.Service.CreateVersionAsync(id, V("1.0.1-beta"), null, Owner));
        var integration = await _h.LoadAsync(id);
        Assert.Empty(integration.Versions);
        Assert.Equal(new[] { V("1.0.0"), V("1.0.1-beta") }.ToHashSet(), integration.UsedNumbers.ToHashSet());
    }

    [Fact]
    public async Task CreateVersion_SameNumbersInDifferentIntegrations_AreIndependent_Z1()
    {
        var a = await _h.NewIntegrationAsync("A");
        var b = await _h.NewIntegrationAsync("B");
        await _h.CreateAsync(a, "1.0.0");

        var created = await _h.CreateAsync(b, "1.0.0");

        Assert.Equal(V("1.0.0"), created.Number);
    }

    [Fact]
    public async Task CreateVersion_LabelMakesADifferentNumber_Z1()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.0.0-beta");
        await _h.CreateAsync(id, "1.0.0-BETA");

        var integration = await _h.LoadAsync(id);
        Assert.Equal(["1.0.0-BETA", "1.0.0-beta", "1.0.0"], integration.Versions.Select(v => v.Number.ToString()));
    }

    [Theory]
    [InlineData("0.0.0")]
    [InlineData("3.7.2")]
    [InlineData("999.999.999")]
    [InlineData("0.0.1")]
    public async Task CreateVersion_FirstVersion_MayHaveAnyNumber_Z2(string number)
    {
        var id = await _h.NewIntegrationAsync();

        var created = await _h.CreateAsync(id, number);

        Assert.Equal(V(number), created.Number);
    }

    [Fact]
    public async Task CreateVersion_PatchWithoutPreviousPatch_Refused_Z2()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        var ex = await RefusedAsync("Z2", () => _h.Service.CreateVersionAsync(id, V("1.0.2"), null, Owner));
        Assert.Contains("1.0.1", ex.Message);
        Assert.Equal("version 1.0.2", ex.Subject);

        await _h.CreateAsync(id, "1.0.1");
        await _h.CreateAsync(id, "1.0.2");
        Assert.Equal(3, (await _h.LoadAsync(id)).Versions.Count);
    }

    [Fact]
    public async Task CreateVersion_PatchNeedsExactPredecessorNotAnyEarlierOne_Z2()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.0.1");
        await _h.CreateAsync(id, "1.1.0");

        // 1.1.1 needs 1.1.0 (exists); 1.1.3 needs 1.1.2 (missing), even though 1.0.x and 1.1.0 exist.
        await _h.CreateAsync(id, "1.1.1");
        await RefusedAsync("Z2", () => _h.Service.CreateVersionAsync(id, V("1.1.3"), null, Owner));
        await RefusedAsync("Z2", () => _h.Service.CreateVersionAsync(id, V("2.0.1"), null, Owner));
    }

    [Fact]
    public async Task CreateVersion_MinorNeedsSomePreviousMinor_Z2()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.0.1");
        await _h.CreateAsync(id, "1.0.2");

        await RefusedAsync("Z2", () => _h.Service.CreateVersionAsync(id, V("1.2.0"), null, Owner));
        await _h.CreateAsync(id, "1.1.0");
        await _h.CreateAsync(id, "1.2.0");
    }

    [Fact]
    public async Task CreateVersion_MinorAfterAnyPatchOfPreviousMinor_Accepted_Z2()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "2.4.7");

        var created = await _h.CreateAsync(id, "2.5.0");

        Assert.Equal(V("2.5.0"), created.Number);
    }

    [Fact]
    public async Task CreateVersion_MajorNeedsSomePreviousMajor_Z2()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.1.0");
        await _h.CreateAsync(id, "1.1.1");

        await RefusedAsync("Z2", () => _h.Service.CreateVersionAsync(id, V("3.0.0"), null, Owner));
        await RefusedAsync("Z2", () => _h.Service.CreateVersionAsync(id, V("2.1.0"), null, Owner));
        await _h.CreateAsync(id, "2.0.0");
        await _h.CreateAsync(id, "3.0.0");
    }

    [Fact]
    public async Task CreateVersion_ZeroAfterOtherVersions_Refused_Z2()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        await RefusedAsync("Z2", () => _h.Service.CreateVersionAsync(id, V("0.0.0"), null, Owner));
    }

    [Theory]
    [InlineData("1.0.5-beta")]
    [InlineData("7.3.0-rc1")]
    [InlineData("9.9.9-x")]
    [InlineData("0.0.0-dev")]
    public async Task CreateVersion_Labeled_IsExemptFromSequence_Z2(string number)
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        var created = await _h.CreateAsync(id, number);

        Assert.Equal(V(number), created.Number);
    }

    [Fact]
    public async Task CreateVersion_LabeledVersionIsNoPredecessor_Z2()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.0.1-beta");
        await _h.CreateAsync(id, "2.0.0-alpha");

        await RefusedAsync("Z2", () => _h.Service.CreateVersionAsync(id, V("1.0.2"), null, Owner));
        await RefusedAsync("Z2", () => _h.Service.CreateVersionAsync(id, V("2.1.0"), null, Owner));
    }

    [Fact]
    public async Task CreateVersion_OnlyLabeledVersionsSoFar_NextReleaseMayHaveAnyNumber_Z2()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0-beta");

        var created = await _h.CreateAsync(id, "4.2.0");

        Assert.Equal(V("4.2.0"), created.Number);
    }

    [Fact]
    public async Task CreateVersion_DeletedPredecessorStillCounts_Z2()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.0.1");
        await _h.Service.DeleteVersionAsync(id, V("1.0.1"), Owner);

        var created = await _h.CreateAsync(id, "1.0.2");

        Assert.Equal(V("1.0.2"), created.Number);
    }

    [Fact]
    public async Task CreateVersion_SequentialNumberingOff_AllowsGaps_Z2()
    {
        var h = new IntegrationHarness(o => o.SequentialVersionNumbers = false);
        var id = await h.NewIntegrationAsync();
        await h.CreateAsync(id, "1.0.0");

        await h.CreateAsync(id, "1.0.5");
        await h.CreateAsync(id, "1.7.0");
        await h.CreateAsync(id, "9.0.0");
        await h.CreateAsync(id, "0.0.0");

        Assert.Equal(5, (await h.LoadAsync(id)).Versions.Count);
        // Uniqueness (Z1) still holds with the option off.
        await RefusedAsync("Z1", () => h.Service.CreateVersionAsync(id, V("1.0.5"), null, Owner));
    }

    [Fact]
    public async Task CloneVersion_NewNumberFollowsSequence_Z2()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        await RefusedAsync("Z2", () => _h.Service.CloneVersionAsync(id, V("1.0.0"), V("1.0.2"), Owner));
        var clone = await _h.Service.CloneVersionAsync(id, V("1.0.0"), V("1.0.1"), Owner);
        Assert.Equal(V("1.0.1"), clone.Number);
    }
}
