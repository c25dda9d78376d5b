using Versioning.Core.Content;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

public partial class IntegrationServiceTests
{
    [Fact]
    public async Task CreateVersion_Empty_StartsPrivateWithNoContent_Z3()
    {
        var id = await _h.NewIntegrationAsync();

        var version = await _h.Service.CreateVersionAsync(id, V("1.0.0"), null, Owner);

        Assert.Equal(VersionState.Private, version.StoredState);
        Assert.Equal(VersionState.Private, version.StateAt(_h.Now));
        Assert.Same(WorkflowDefinition.Empty, version.Content);
        Assert.Empty(version.Content.Steps);
        Assert.Equal(string.Empty, version.Notes);
        Assert.Null(version.ClonedFrom);
        Assert.Null(version.PromotedAt);
        Assert.Null(version.Deprecation);
        Assert.Equal(Owner, version.CreatedBy);
    }

    [Fact]
    public async Task CreateVersion_WithContent_StartsPrivateWithThatContent_Z3()
    {
        var id = await _h.NewIntegrationAsync();

        var version = await _h.Service.CreateVersionAsync(id, V("1.0.0"), CrmContent, Owner);

        Assert.Equal(VersionState.Private, version.StoredState);
        Assert.Equal(CrmContent, version.Content);
        Assert.Equal(CrmContent, (await _h.VersionAsync(id, "1.0.0")).Content);
    }

    [Theory]
    [InlineData("1.0.0", VersionState.Available)]
    [InlineData("1.1.0", VersionState.Promoted)]
    [InlineData("1.2.0", VersionState.Legacy)]
    [InlineData("1.3.0", VersionState.Deprecating)]
    [InlineData("1.4.0", VersionState.Private)]
    [InlineData("1.5.0-beta", VersionState.Private)]
    public async Task CloneVersion_FromAnyState_CopiesContentAndNotesIntoANewPrivateVersion_Z3(string source, VersionState sourceState)
    {
        var id = await _h.EveryStateAsync();
        var content = Workflow(("Hubspot", "NewContact"), ("Slack", "Post"));
        // Give the source distinctive content first: it has to be Private for that, so use a fresh clone chain
        // where the source is Private; otherwise rely on the content every version was created with.
        var expected = (await _h.VersionAsync(id, source)).Content;
        if (sourceState == VersionState.Private)
        {
            await _h.Service.EditContentAsync(id, V(source), content, Owner);
            await _h.Service.SetNotesAsync(id, V(source), "Distinct notes.", Owner);
            expected = content;
        }

        Assert.Equal(sourceState, await StateNowAsync(id, source));
        var clone = await _h.Service.CloneVersionAsync(id, V(source), V("1.4.1"), Owner);

        Assert.Equal(VersionState.Private, clone.StoredState);
        Assert.Equal(expected, clone.Content);
        Assert.Equal((await _h.VersionAsync(id, source)).Notes, clone.Notes);
        Assert.Equal(V(source), clone.ClonedFrom);
        Assert.Empty(clone.SharedWith);
        Assert.Null(clone.PromotedAt);
        Assert.Null(clone.Deprecation);
        Assert.Null(clone.LegacyAt);
        Assert.Empty(clone.PromotionWarnings);
    }

    [Fact]
    public async Task CloneVersion_DeprecatedSource_CopiesContent_Z3()
    {
        var id = await _h.EveryStateAsync();
        _h.Clock.AdvanceDays(31);
        Assert.Equal(VersionState.Deprecated, await StateNowAsync(id, "1.3.0"));

        var clone = await _h.Service.CloneVersionAsync(id, V("1.3.0"), V("1.4.1"), Owner);

        Assert.Equal(VersionState.Private, clone.StoredState);
        Assert.Equal(CrmContent, clone.Content);
    }

    [Fact]
    public async Task CloneVersion_EditingTheCloneLeavesTheSourceAlone_Z3()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.Service.CloneVersionAsync(id, V("1.0.0"), V("1.0.1"), Owner);

        await _h.Service.EditContentAsync(id, V("1.0.1"), Workflow(("Salesforce", "NewLead")), Owner);

        Assert.Equal(CrmContent, (await _h.VersionAsync(id, "1.0.0")).Content);
        Assert.Single((await _h.VersionAsync(id, "1.0.1")).Content.Steps);
    }

    [Fact]
    public async Task CloneVersion_MissingSource_ThrowsNotFoundAndCreatesNothing_Z3()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        var ex = await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.Service.CloneVersionAsync(id, V("0.9.0"), V("1.0.1"), Owner));

        Assert.Equal("Version", ex.Kind);
        Assert.Equal("0.9.0", ex.Id);
        Assert.Single((await _h.LoadAsync(id)).Versions);
        Assert.DoesNotContain(V("1.0.1"), (await _h.LoadAsync(id)).UsedNumbers);
    }
}
