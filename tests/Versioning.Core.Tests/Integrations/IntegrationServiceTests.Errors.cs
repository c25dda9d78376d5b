using Versioning.Core.Authorization;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

/// <summary>X6: errors carry what a caller needs without parsing messages.</summary>
public partial class IntegrationServiceTests
{
    [Fact]
    public async Task RuleException_CarriesRuleAggregateVersionAndState_X6()
    {
        var id = await _h.EveryStateAsync();

        var ex = await RefusedAsync("Z11", () => _h.PromoteAsync(id, "1.2.0"));

        Assert.Equal("Integration", ex.AggregateKind);
        Assert.Equal(id.ToString(), ex.AggregateId);
        Assert.Equal("version 1.2.0", ex.Subject);
        Assert.Equal("Legacy", ex.State);
        Assert.Empty(ex.Problems);
        // The message says what was attempted, why it was refused and what to do instead.
        Assert.Contains("Cannot promote version 1.2.0", ex.Message);
        Assert.Contains("Legacy", ex.Message);
        Assert.Contains("clone", ex.Message);
        Assert.IsAssignableFrom<VersioningException>(ex);
    }

    [Fact]
    public async Task RuleException_ForNumbering_NamesTheVersion_X6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        var ex = await RefusedAsync("Z2", () => _h.Service.CreateVersionAsync(id, V("3.0.0"), null, Owner));

        Assert.Equal(("Integration", id.ToString(), "version 3.0.0"), (ex.AggregateKind, ex.AggregateId, ex.Subject));
        Assert.Contains("sequential numbering", ex.Message);
    }

    [Fact]
    public async Task NotFound_CarriesKindAndId_X6()
    {
        var missing = IntegrationId.New();

        var integration = await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.Service.GetIntegrationAsync(missing, Owner));
        Assert.Equal(("Integration", missing.ToString()), (integration.Kind, integration.Id));
        var viaCommand = await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.Service.PromoteAsync(missing, V("1.0.0"), Owner));
        Assert.Equal(("Integration", missing.ToString()), (viaCommand.Kind, viaCommand.Id));

        var id = await _h.NewIntegrationAsync();
        var version = await Assert.ThrowsAsync<EntityNotFoundException>(() => _h.PromoteAsync(id, "1.0.0"));
        Assert.Equal(("Version", "1.0.0"), (version.Kind, version.Id));
        Assert.Contains(id.ToString(), version.Container);
        Assert.IsAssignableFrom<VersioningException>(version);
    }

    [Fact]
    public async Task OutsiderChangingAnIntegration_GetsAccessDenied_X6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        var ex = await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => _h.Service.SetNotesAsync(id, V("1.0.0"), "Mine now.", Outsider));

        Assert.IsAssignableFrom<VersioningException>(ex);
        Assert.IsNotAssignableFrom<UnauthorizedAccessException>(ex);
        Assert.Equal(Outsider, ex.Actor);
        Assert.Equal("Integration", ex.AggregateKind);
        Assert.Equal(id.ToString(), ex.AggregateId);
        Assert.Equal("SetVersionNotes", ex.Command);
        Assert.Contains("team", ex.Message);
    }

    [Fact]
    public async Task MalformedArguments_ThrowArgumentExceptionsNamingTheParameter_X6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentNullException>(() => _h.Service.CreateIntegrationAsync(null!, Owner))).ParamName);
        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.CreateIntegrationAsync("   ", Owner))).ParamName);
        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.CreateIntegrationAsync(new string('n', 201), Owner))).ParamName);
        Assert.Equal("by", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.CreateIntegrationAsync("Fine", default))).ParamName);
        Assert.Equal("notes", (await Assert.ThrowsAsync<ArgumentNullException>(() => _h.Service.SetNotesAsync(id, V("1.0.0"), null!, Owner))).ParamName);
        Assert.Equal("notes", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.SetNotesAsync(id, V("1.0.0"), new string('n', 10_001), Owner))).ParamName);
        Assert.Equal("content", (await Assert.ThrowsAsync<ArgumentNullException>(() => _h.Service.EditContentAsync(id, V("1.0.0"), null!, Owner))).ParamName);
        Assert.Equal("user", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.ShareAsync(id, V("1.0.0"), default, Owner))).ParamName);
        Assert.Equal("member", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.AddTeamMemberAsync(id, default, Owner))).ParamName);
        Assert.Equal("owner", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.InstallAsync(id, default, Owner))).ParamName);
        Assert.Equal("by", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.InstallAsync(id, OwnerRef.Account("a"), default))).ParamName);
        Assert.Equal("settings", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.InstallAsync(id, OwnerRef.Account("a"), Owner, [new("", "v")], V("1.0.0")))).ParamName);
        Assert.Equal("reason", (await Assert.ThrowsAsync<ArgumentException>(() => _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(30), (DeprecationReason)(-1), null, Owner))).ParamName);
        Assert.Equal("otherText", (await Assert.ThrowsAsync<ArgumentNullException>(() => _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(30), DeprecationReason.Other, null, Owner))).ParamName);
    }

    [Fact]
    public async Task Commands_WithEmptyActor_ThrowArgumentExceptionNamingBy_X6()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        Func<Task>[] commands =
        [
            () => _h.Service.CreateVersionAsync(id, V("1.0.1"), null, default),
            () => _h.Service.CloneVersionAsync(id, V("1.0.0"), V("1.0.1"), default),
            () => _h.Service.SetNotesAsync(id, V("1.0.0"), "x", default),
            () => _h.Service.EditContentAsync(id, V("1.0.0"), CrmContent, default),
            () => _h.Service.ShareAsync(id, V("1.0.0"), Outsider, default),
            () => _h.Service.UnshareAsync(id, V("1.0.0"), Outsider, default),
            () => _h.Service.PromoteAsync(id, V("1.0.0"), default),
            () => _h.Service.MarkLegacyAsync(id, V("1.0.0"), default),
            () => _h.Service.DeprecateAsync(id, V("1.0.0"), _h.Today.PlusDays(30), DeprecationReason.ApiChange, null, default),
            () => _h.Service.DeleteVersionAsync(id, V("1.0.0"), default),
            () => _h.Service.AddTeamMemberAsync(id, Teammate, default),
            () => _h.Service.RemoveTeamMemberAsync(id, Owner, default),
        ];

        foreach (var command in commands)
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(command);
            Assert.Equal("by", ex.ParamName);
        }
    }

    [Fact]
    public void VersionText_Unparsable_ThrowsFormatException_X6()
    {
        Assert.Throws<FormatException>(() => V("1.0"));
        Assert.Throws<FormatException>(() => VersionKey.FromStored("abc").ToVersionNumber());
    }
}
