using Versioning.Core.Auditing;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

public partial class IntegrationServiceTests
{
    [Fact]
    public async Task DeleteVersion_UnusedPrivate_RemovesItPermanentlyAndKeepsNumberTaken_Z15()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.0.1");
        var historyBefore = (await _h.LoadAsync(id)).AuditTrail.ToList();

        await _h.Service.DeleteVersionAsync(id, V("1.0.1"), Owner);

        var integration = await _h.LoadAsync(id);
        Assert.Null(integration.FindVersion(V("1.0.1")));
        Assert.Equal([V("1.0.0")], integration.Versions.Select(v => v.Number));
        Assert.Contains(V("1.0.1"), integration.UsedNumbers);
        Assert.Equal(historyBefore, integration.AuditTrail.Take(historyBefore.Count));
        var deleted = integration.AuditTrail[^1];
        Assert.Equal((AuditAction.Deleted, "1.0.1"), (deleted.Action, deleted.Subject));
        await RefusedAsync("Z1", () => _h.Service.CreateVersionAsync(id, V("1.0.1"), null, Owner));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.Service.DeleteVersionAsync(id, V("1.0.1"), Owner));
        Assert.Equal(1, (await _h.Integrations.ListAsync()).Single().VersionCount);
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.2.0")]
    [InlineData("1.3.0")]
    [InlineData("1.4.0")]
    [InlineData("1.5.0-beta")]
    public async Task DeleteVersion_UnusedInAnyStateButPromoted_Succeeds_Z15(string number)
    {
        var id = await _h.EveryStateAsync();

        await _h.Service.DeleteVersionAsync(id, V(number), Owner);

        Assert.Null((await _h.LoadAsync(id)).FindVersion(V(number)));
    }

    [Fact]
    public async Task DeleteVersion_Deprecated_Succeeds_Z15()
    {
        var id = await _h.EveryStateAsync();
        _h.Clock.AdvanceDays(30);
        Assert.Equal(VersionState.Deprecated, await StateNowAsync(id, "1.3.0"));

        await _h.Service.DeleteVersionAsync(id, V("1.3.0"), Owner);

        Assert.Null((await _h.LoadAsync(id)).FindVersion(V("1.3.0")));
    }

    [Fact]
    public async Task DeleteVersion_Promoted_Refused_Z15()
    {
        var id = await _h.EveryStateAsync();

        var ex = await RefusedAsync("Z15", () => _h.Service.DeleteVersionAsync(id, V("1.1.0"), Owner));

        Assert.Equal("Promoted", ex.State);
        Assert.NotNull((await _h.LoadAsync(id)).FindVersion(V("1.1.0")));
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.4.0")]
    public async Task DeleteVersion_WithPausedInstallations_Refused_Z15(string number)
    {
        var id = await _h.EveryStateAsync();
        var installation = await _h.InstallAsync(id, number, Owner);
        Assert.Equal(RunStatus.Paused, installation.Status);

        var ex = await RefusedAsync("Z15", () => _h.Service.DeleteVersionAsync(id, V(number), Owner));

        Assert.Contains("migrate", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull((await _h.LoadAsync(id)).FindVersion(V(number)));
    }

    [Fact]
    public async Task DeleteVersion_DeprecatedWithInstallations_Refused_Z15()
    {
        var id = await _h.EveryStateAsync();
        await _h.InstallAsync(id, "1.0.0", Owner);
        await _h.DeprecateAsync(id, "1.0.0", 21);
        _h.Clock.AdvanceDays(21);

        var ex = await RefusedAsync("Z15", () => _h.Service.DeleteVersionAsync(id, V("1.0.0"), Owner));

        Assert.Equal("Deprecated", ex.State);
    }

    [Fact]
    public async Task DeleteVersion_Missing_ThrowsNotFound_Z15()
    {
        var id = await _h.EveryStateAsync();

        var ex = await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.Service.DeleteVersionAsync(id, V("8.0.0"), Owner));

        Assert.Equal(("Version", "8.0.0"), (ex.Kind, ex.Id));
        Assert.Contains(id.ToString(), ex.Container);
    }
}
