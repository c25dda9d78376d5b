using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

public partial class IntegrationServiceTests
{
    private static readonly Versioning.Core.Content.WorkflowDefinition EditedContent = Workflow(("Salesforce", "NewLead"), ("Gmail", "SendEmail"), ("Slack", "Post"));

    [Fact]
    public async Task EditContent_PrivateWithNoInstallations_ReplacesContent_Z4()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        var edited = await _h.Service.EditContentAsync(id, V("1.0.0"), EditedContent, Owner);

        Assert.Equal(EditedContent, edited.Content);
        Assert.Equal(EditedContent, (await _h.VersionAsync(id, "1.0.0")).Content);
    }

    [Fact]
    public async Task EditContent_PrivateBelowInstallationLimit_Succeeds_Z4()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.InstallManyAsync(id, "1.0.0", _h.Options.EditInstallationLimit - 1);

        var edited = await _h.Service.EditContentAsync(id, V("1.0.0"), EditedContent, Owner);

        Assert.Equal(EditedContent, edited.Content);
    }

    [Fact]
    public async Task EditContent_PrivateAtInstallationLimit_Refused_Z4()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.InstallManyAsync(id, "1.0.0", _h.Options.EditInstallationLimit);

        var ex = await RefusedAsync("Z4", () => _h.Service.EditContentAsync(id, V("1.0.0"), EditedContent, Owner));

        Assert.Equal("Private", ex.State);
        Assert.Contains("clone", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(CrmContent, (await _h.VersionAsync(id, "1.0.0")).Content);
    }

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(1, 1, false)]
    [InlineData(3, 2, true)]
    [InlineData(3, 3, false)]
    public async Task EditContent_ConfiguredLimit_AppliesToTheCount_Z4(int limit, int installations, bool allowed)
    {
        var h = new IntegrationHarness(o => o.EditInstallationLimit = limit);
        var id = await h.NewIntegrationAsync();
        await h.CreateAsync(id, "1.0.0");
        await h.InstallManyAsync(id, "1.0.0", installations);

        Func<Task> edit = () => h.Service.EditContentAsync(id, V("1.0.0"), EditedContent, Owner);

        if (allowed)
        {
            await edit();
        }
        else
        {
            await RefusedAsync("Z4", edit);
        }
    }

    [Theory]
    [InlineData("1.0.0", "Z4", "Available")]
    [InlineData("1.1.0", "Z7", "Promoted")]
    [InlineData("1.2.0", "Z4", "Legacy")]
    [InlineData("1.3.0", "Z4", "Deprecating")]
    public async Task EditContent_NotPrivate_Refused_Z4(string number, string rule, string state)
    {
        var id = await _h.EveryStateAsync();

        var ex = await RefusedAsync(rule, () => _h.Service.EditContentAsync(id, V(number), EditedContent, Owner));

        Assert.Equal(state, ex.State);
        Assert.Equal($"version {number}", ex.Subject);
        Assert.Equal(CrmContent, (await _h.VersionAsync(id, number)).Content);
    }

    [Fact]
    public async Task EditContent_Deprecated_Refused_Z4()
    {
        var id = await _h.EveryStateAsync();
        _h.Clock.AdvanceDays(30);

        var ex = await RefusedAsync("Z4", () => _h.Service.EditContentAsync(id, V("1.3.0"), EditedContent, Owner));

        Assert.Equal("Deprecated", ex.State);
    }

    [Fact]
    public async Task SetNotes_AnyState_IsAllowedAndContentStaysLocked_Z4()
    {
        var id = await _h.EveryStateAsync();

        foreach (var number in new[] { "1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0" })
        {
            var changed = await _h.Service.SetNotesAsync(id, V(number), $"Notes for {number}.", Owner);
            Assert.Equal($"Notes for {number}.", changed.Notes);
            Assert.Equal(CrmContent, changed.Content);
        }
    }
}
