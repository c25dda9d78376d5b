using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    [Fact]
    public void Create_NullName_ThrowsArgumentNullExceptionNamingName_X6()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => Template.Create(TemplateId.New(), null!, Alice, T0));
        Assert.Equal("name", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t ")]
    [InlineData("Tab\tinside")]
    [InlineData("Bell\a")]
    [InlineData("Line\nbreak")]
    public void Create_BlankOrControlCharacterName_ThrowsArgumentExceptionNamingName_X6(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => Template.Create(TemplateId.New(), name, Alice, T0));
        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void Create_201CharacterName_ThrowsArgumentExceptionNamingNameAndLimit_X6()
    {
        var ex = Assert.Throws<ArgumentException>(() => Template.Create(TemplateId.New(), new string('n', 201), Alice, T0));
        Assert.Equal("name", ex.ParamName);
        Assert.Contains("at most 200", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_DefaultTemplateId_ThrowsArgumentExceptionNamingId_X6()
    {
        var ex = Assert.Throws<ArgumentException>(() => Template.Create(default, "CRM sync", Alice, T0));
        Assert.Equal("id", ex.ParamName);
    }

    [Fact]
    public void Create_DefaultActor_ThrowsArgumentExceptionNamingBy_X6()
    {
        var ex = Assert.Throws<ArgumentException>(() => Template.Create(TemplateId.New(), "CRM sync", default, T0));
        Assert.Equal("by", ex.ParamName);
    }

    public static TheoryData<string> CommandNames() =>
        ["Rename", "SetPublished", "CreateDraft", "EditContent", "SwapConnector", "SetNotes", "Promote", "Copy", "Delete", "Run", "Pause", "RecordInstallationsMigrated"];

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Command_DefaultActor_ThrowsArgumentExceptionNamingBy_X6(string command)
    {
        var template = Lineage();
        ActorId nobody = default;
        Action act = command switch
        {
            "Rename" => () => template.Rename("New name", nobody, At(10)),
            "SetPublished" => () => template.SetPublished(true, nobody, At(10)),
            "CreateDraft" => () => template.CreateDraft(null, nobody, At(10)),
            "EditContent" => () => template.EditContent(R(3), Workflows.CrmToSlack(), nobody, At(10)),
            "SwapConnector" => () => template.SwapConnector(R(3), "Slack", Workflows.HubSpot, nobody, At(10)),
            "SetNotes" => () => template.SetNotes(R(3), "x", nobody, At(10)),
            "Promote" => () => template.Promote(R(3), nobody, At(10)),
            "Copy" => () => template.CopyRelease(R(3), template, nobody, At(10)),
            "Delete" => () => template.DeleteRelease(R(3), 0, nobody, At(10)),
            "Run" => () => template.Run(R(3), nobody, At(10)),
            "Pause" => () => template.Pause(R(3), nobody, At(10)),
            "RecordInstallationsMigrated" => () => template.RecordInstallationsMigrated(R(2), "x", nobody, At(10)),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
        var before = template.ToSnapshot();

        var ex = Assert.Throws<ArgumentException>(act);

        Assert.Equal("by", ex.ParamName);
        TemplateAssert.SameState(before, template.ToSnapshot());
    }

    [Fact]
    public void Commands_NullArguments_ThrowArgumentNullExceptionNamingParameter_X6()
    {
        var template = Lineage();

        Assert.Equal("content", Assert.Throws<ArgumentNullException>(() => template.EditContent(R(3), null!, Bob, At(10))).ParamName);
        Assert.Equal("connectorName", Assert.Throws<ArgumentNullException>(() => template.SwapConnector(R(3), null!, Workflows.HubSpot, Bob, At(10))).ParamName);
        Assert.Equal("replacement", Assert.Throws<ArgumentNullException>(() => template.SwapConnector(R(3), "Slack", null!, Bob, At(10))).ParamName);
        Assert.Equal("notes", Assert.Throws<ArgumentNullException>(() => template.SetNotes(R(3), null!, Bob, At(10))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => template.CopyRelease(R(3), null!, Bob, At(10))).ParamName);
        Assert.Equal("details", Assert.Throws<ArgumentNullException>(() => template.RecordInstallationsMigrated(R(2), null!, Bob, At(10))).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => template.Rename(null!, Bob, At(10))).ParamName);
        Assert.Equal("snapshot", Assert.Throws<ArgumentNullException>(() => Template.FromSnapshot(null!)).ParamName);
        Assert.Equal("installationCount", Assert.Throws<ArgumentOutOfRangeException>(() => template.DeleteRelease(R(3), -1, Bob, At(10))).ParamName);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(int.MaxValue)]
    public void GetRelease_UnknownNumber_ThrowsNotFoundWithKindReleaseAndId_X6(int number)
    {
        var template = Lineage();

        var ex = Assert.Throws<EntityNotFoundException>(() => template.GetRelease(R(number)));

        Assert.Equal("Release", ex.Kind);
        Assert.Equal(number.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Id);
        Assert.Contains(template.Id.ToString(), ex.Container, StringComparison.Ordinal);
        Assert.Null(template.FindRelease(R(number)));
    }

    [Fact]
    public void GetRelease_EmptyNumber_ThrowsArgumentExceptionNamingNumber_X6()
    {
        var template = Lineage();
        Assert.Equal("number", Assert.Throws<ArgumentException>(() => template.GetRelease(default)).ParamName);
        Assert.Equal("number", Assert.Throws<ArgumentException>(() => template.Promote(default, Alice, T0)).ParamName);
        Assert.Null(template.FindRelease(default));
        Assert.Equal((R(2), ReleaseState.Live), (template.LiveRelease?.Number, template.LiveRelease?.State));
        Assert.Equal(ReleaseState.Draft, template.GetRelease(R(3)).State);
    }

    [Fact]
    public void Commands_DeletedReleaseNumber_ThrowNotFoundWithKindRelease_X6()
    {
        var template = Lineage();
        template.DeleteRelease(R(3), 0, Alice, At(10));

        Assert.Equal("Release", Assert.Throws<EntityNotFoundException>(() => template.EditContent(R(3), Workflows.CrmToSlack(), Bob, At(11))).Kind);
        Assert.Equal("Release", Assert.Throws<EntityNotFoundException>(() => template.Promote(R(3), Bob, At(11))).Kind);
        Assert.Equal("Release", Assert.Throws<EntityNotFoundException>(() => template.CopyRelease(R(3), template, Bob, At(11))).Kind);
        Assert.Equal("Release", Assert.Throws<EntityNotFoundException>(() => template.DeleteRelease(R(3), 0, Bob, At(11))).Kind);
        Assert.Equal("Release", Assert.Throws<EntityNotFoundException>(() => template.Run(R(3), Bob, At(11))).Kind);
        Assert.Equal("Release", Assert.Throws<EntityNotFoundException>(() => template.Pause(R(3), Bob, At(11))).Kind);
        Assert.Contains("may have been deleted", Assert.Throws<EntityNotFoundException>(() => template.SetNotes(R(3), "x", Bob, At(11))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleException_CarriesRuleAggregateSubjectAndState_X6()
    {
        var template = Lineage();

        var ex = TemplateAssert.Refused("T7", () => template.Promote(R(1), Bob, At(10)));

        Assert.Equal("T7", ex.RuleId);
        Assert.Equal("Template", ex.AggregateKind);
        Assert.Equal(template.Id.ToString(), ex.AggregateId);
        Assert.Equal("release 1", ex.Subject);
        Assert.Equal("Deprecated", ex.State);
        Assert.IsAssignableFrom<VersioningException>(ex);
        Assert.StartsWith("Cannot promote release 1 of template 'CRM sync'", ex.Message, StringComparison.Ordinal);
    }
}
