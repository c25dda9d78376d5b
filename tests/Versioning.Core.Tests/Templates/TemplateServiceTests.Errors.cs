using Versioning.Core.Installations;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateServiceTests
{
    public static TheoryData<string> TemplateCommands() =>
    [
        "GetTemplate", "Rename", "SetPublished", "CreateDraft", "EditContent", "SwapConnector", "SetNotes", "Promote",
        "CopyRelease", "CopyReleaseToNewTemplate", "DeleteRelease", "Run", "Pause", "Install", "GetReport", "GetActions",
    ];

    private Func<Task> Call(string command, TemplateId id, ReleaseNumber number) => command switch
    {
        "GetTemplate" => () => Service.GetTemplateAsync(id, Actors.Alice),
        "Rename" => () => Service.RenameAsync(id, "New name", Bob),
        "SetPublished" => () => Service.SetPublishedAsync(id, true, Bob),
        "CreateDraft" => () => Service.CreateDraftAsync(id, null, Bob),
        "EditContent" => () => Service.EditContentAsync(id, number, Workflows.CrmToSlack(), Bob),
        "SwapConnector" => () => Service.SwapConnectorAsync(id, number, "Slack", Workflows.HubSpot, Bob),
        "SetNotes" => () => Service.SetNotesAsync(id, number, "x", Bob),
        "Promote" => () => Service.PromoteAsync(id, number, Bob),
        "CopyRelease" => () => Service.CopyReleaseAsync(id, number, null, Bob),
        "CopyReleaseToNewTemplate" => () => Service.CopyReleaseToNewTemplateAsync(id, number, "Copy", Bob),
        "DeleteRelease" => () => Service.DeleteReleaseAsync(id, number, Bob),
        "Run" => () => Service.RunAsync(id, number, Bob),
        "Pause" => () => Service.PauseAsync(id, number, Bob),
        "Install" => () => Service.InstallAsync(id, Acme, Bob),
        "GetReport" => () => Service.GetReportAsync(id, number, Actors.Alice),
        "GetActions" => () => Service.GetActionsAsync(id, number, Actors.Alice),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    [Theory]
    [MemberData(nameof(TemplateCommands))]
    public async Task Command_UnknownTemplate_ThrowsNotFoundWithKindTemplateAndId_X6(string command)
    {
        await _scenario.NewLineageAsync();
        var unknown = TemplateId.New();
        var events = _scenario.Store.EventCount;

        var ex = await Assert.ThrowsAsync<EntityNotFoundException>(Call(command, unknown, R(2)));

        Assert.Equal("Template", ex.Kind);
        Assert.Equal(unknown.ToString(), ex.Id);
        Assert.Null(ex.Container);
        Assert.Contains(unknown.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Equal(events, _scenario.Store.EventCount);
        Assert.Single(await Service.ListTemplatesAsync());
    }

    [Theory]
    [MemberData(nameof(TemplateCommands))]
    public async Task Command_DefaultTemplateId_ThrowsArgumentExceptionNamingId_X6(string command)
    {
        await _scenario.NewLineageAsync();
        var events = _scenario.Store.EventCount;

        var ex = await Assert.ThrowsAsync<ArgumentException>(Call(command, default, R(2)));

        Assert.Equal("id", ex.ParamName);
        Assert.Equal(events, _scenario.Store.EventCount);
    }

    [Fact]
    public async Task CopyReleaseAsync_DefaultDestination_ThrowsArgumentExceptionNamingDestination_X6()
    {
        var id = await _scenario.NewLineageAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Service.CopyReleaseAsync(id, R(2), default(TemplateId), Bob));

        Assert.Equal("destination", ex.ParamName);
    }

    [Fact]
    public async Task CopyReleaseAsync_UnknownDestination_ThrowsNotFoundNamingDestination_X6()
    {
        var id = await _scenario.NewLineageAsync();
        var unknown = TemplateId.New();

        var ex = await Assert.ThrowsAsync<EntityNotFoundException>(() => Service.CopyReleaseAsync(id, R(2), unknown, Bob));

        Assert.Equal(("Template", unknown.ToString()), (ex.Kind, ex.Id));
    }

    public static TheoryData<string> ReleaseCommands() =>
    [
        "EditContent", "SwapConnector", "SetNotes", "Promote", "CopyRelease", "CopyReleaseToNewTemplate", "DeleteRelease",
        "Run", "Pause", "GetReport", "GetActions",
    ];

    [Theory]
    [MemberData(nameof(ReleaseCommands))]
    public async Task Command_UnknownReleaseNumber_ThrowsNotFoundWithKindRelease_X6(string command)
    {
        var id = await _scenario.NewLineageAsync();
        await Service.DeleteReleaseAsync(id, R(3), Alice);
        var before = await _scenario.CaptureAsync(id);

        foreach (var number in new[] { R(3), R(4) })
        {
            var ex = await Assert.ThrowsAsync<EntityNotFoundException>(Call(command, id, number));

            Assert.Equal("Release", ex.Kind);
            Assert.Equal(number.ToString(), ex.Id);
            Assert.Contains(id.ToString(), ex.Container, StringComparison.Ordinal);
        }

        // The empty (default) number names no release: refused as an argument, naming it.
        var empty = await Assert.ThrowsAsync<ArgumentException>(Call(command, id, default));
        Assert.Equal("number", empty.ParamName);

        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
    }

    [Fact]
    public async Task CreateTemplateAsync_NullName_ThrowsArgumentNullExceptionNamingName_X6()
    {
        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => Service.CreateTemplateAsync(null!, Alice));

        Assert.Equal("name", ex.ParamName);
        Assert.Empty(await Service.ListTemplatesAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Null\0char")]
    [InlineData("Escape\u001b")]
    public async Task CreateTemplateAsync_BlankOrControlCharacterName_ThrowsArgumentExceptionNamingName_X6(string name)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Service.CreateTemplateAsync(name, Alice));

        Assert.Equal("name", ex.ParamName);
        Assert.Empty(await Service.ListTemplatesAsync());
        Assert.Equal(0, _scenario.Store.EventCount);
    }

    [Fact]
    public async Task CreateTemplateAsync_201CharacterName_ThrowsButAccepts200_X6()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Service.CreateTemplateAsync(new string('n', 201), Alice));
        var accepted = await Service.CreateTemplateAsync(new string('n', 200), Alice);

        Assert.Equal("name", ex.ParamName);
        Assert.Equal(200, accepted.Name.Length);
        Assert.Single(await Service.ListTemplatesAsync());
    }

    [Fact]
    public async Task CreateTemplateAsync_DefaultActor_ThrowsArgumentExceptionNamingBy_X6()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Service.CreateTemplateAsync("CRM sync", default));

        Assert.Equal("by", ex.ParamName);
        Assert.Empty(await Service.ListTemplatesAsync());
    }

    [Fact]
    public async Task Commands_InvalidArguments_NameTheParameter_X6()
    {
        var id = await _scenario.NewLineageAsync(published: true);
        var before = await _scenario.CaptureAsync(id);

        Assert.Equal("newTemplateName", (await Assert.ThrowsAsync<ArgumentNullException>(() => Service.CopyReleaseToNewTemplateAsync(id, R(2), null!, Bob))).ParamName);
        Assert.Equal("newTemplateName", (await Assert.ThrowsAsync<ArgumentException>(() => Service.CopyReleaseToNewTemplateAsync(id, R(2), "\t", Bob))).ParamName);
        Assert.Equal("content", (await Assert.ThrowsAsync<ArgumentNullException>(() => Service.EditContentAsync(id, R(3), null!, Bob))).ParamName);
        Assert.Equal("connectorName", (await Assert.ThrowsAsync<ArgumentNullException>(() => Service.SwapConnectorAsync(id, R(3), null!, Workflows.HubSpot, Bob))).ParamName);
        Assert.Equal("replacement", (await Assert.ThrowsAsync<ArgumentNullException>(() => Service.SwapConnectorAsync(id, R(3), "Slack", null!, Bob))).ParamName);
        Assert.Equal("connectorName", (await Assert.ThrowsAsync<ArgumentException>(() => Service.SwapConnectorAsync(id, R(3), "Zendesk", Workflows.HubSpot, Bob))).ParamName);
        Assert.Equal("notes", (await Assert.ThrowsAsync<ArgumentNullException>(() => Service.SetNotesAsync(id, R(3), null!, Bob))).ParamName);
        Assert.Equal("notes", (await Assert.ThrowsAsync<ArgumentException>(() => Service.SetNotesAsync(id, R(3), "bell\a", Bob))).ParamName);
        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => Service.RenameAsync(id, new string('n', 201), Bob))).ParamName);
        Assert.Equal("owner", (await Assert.ThrowsAsync<ArgumentException>(() => Service.InstallAsync(id, default, Bob))).ParamName);
        Assert.Equal("by", (await Assert.ThrowsAsync<ArgumentException>(() => Service.PromoteAsync(id, R(3), default))).ParamName);
        Assert.Equal("by", (await Assert.ThrowsAsync<ArgumentException>(() => Service.InstallAsync(id, Acme, default))).ParamName);

        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
    }

    [Fact]
    public async Task RefusedCommand_RuleExceptionCarriesRuleAggregateSubjectAndState_X6()
    {
        var id = await _scenario.NewLineageAsync();

        var ex = await TemplateAssert.RefusedAsync("T10", () => Service.DeleteReleaseAsync(id, R(2), Bob));

        Assert.Equal(("T10", "Template", id.ToString(), "release 2", "Live"), (ex.RuleId, ex.AggregateKind, ex.AggregateId, ex.Subject, ex.State));
        Assert.Contains("Cannot delete release 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("promote another release first", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, ReleaseAction.EditContent, "T3")]
    [InlineData(1, ReleaseAction.Promote, "T7")]
    [InlineData(2, ReleaseAction.Promote, "T5")]
    [InlineData(2, ReleaseAction.Delete, "T10")]
    [InlineData(1, ReleaseAction.Run, "T11")]
    [InlineData(3, ReleaseAction.UpgradeTo, "T13")]
    public async Task GetActionsAsync_BlockedAction_ReportsSameRuleAsTheRefusal_X6(int number, ReleaseAction action, string ruleId)
    {
        var id = await _scenario.NewLineageAsync();

        var availability = (await Service.GetActionsAsync(id, R(number), Actors.Alice)).Single(a => a.Action == action);

        Assert.False(availability.IsPermitted);
        Assert.Equal(ruleId, availability.BlockedBy.RuleId);
    }
}
