using Versioning.Core.Auditing;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    [Fact]
    public void Create_TrimsNameAndStartsUnpublishedWithoutReleases_T1()
    {
        var id = TemplateId.New();

        var template = Template.Create(id, "  CRM sync \t", Alice, T0);

        Assert.Equal(id, template.Id);
        Assert.Equal("CRM sync", template.Name);
        Assert.False(template.Published);
        Assert.Empty(template.Releases);
        Assert.Null(template.LiveRelease);
        Assert.Equal(0, template.LastReleaseNumber);
        Assert.Equal(0, template.Revision);
        Assert.Equal((Alice, T0), (template.CreatedBy, template.CreatedAt));
        var created = Assert.Single(template.AuditTrail);
        Assert.Equal((AuditAction.Created, Alice, T0, (string?)null), (created.Action, created.Actor, created.At, created.Subject));
    }

    [Fact]
    public void Create_NameOf200CharactersAfterTrimming_Accepted_T1()
    {
        var name = new string('n', Template.MaxNameLength);

        var template = Template.Create(TemplateId.New(), "   " + name + "   ", Alice, T0);

        Assert.Equal(200, Template.MaxNameLength);
        Assert.Equal(name, template.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    public void Create_BlankName_Refused_T1(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => Template.Create(TemplateId.New(), name, Alice, T0));
        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void Create_NameOf201Characters_Refused_T1()
    {
        var ex = Assert.Throws<ArgumentException>(() => Template.Create(TemplateId.New(), new string('n', 201), Alice, T0));
        Assert.Equal("name", ex.ParamName);
        Assert.Contains("200", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetPublished_TogglesFlagAndAuditsEachChange_T1()
    {
        var template = NewTemplate();

        template.SetPublished(true, Bob, At(1));
        template.SetPublished(true, Bob, At(2));
        template.SetPublished(false, Carol, At(3));

        Assert.False(template.Published);
        Assert.Equal(
            [(AuditAction.Created, Alice, T0), (AuditAction.Published, Bob, At(1)), (AuditAction.Unpublished, Carol, At(3))],
            template.AuditTrail.Select(e => (e.Action, e.Actor, e.At)));
    }

    [Fact]
    public void Rename_TrimsAndAuditsOldAndNewName_T1()
    {
        var template = NewTemplate("CRM sync");

        template.Rename("  HubSpot sync ", Bob, At(1));
        template.Rename("HubSpot sync", Bob, At(2));

        Assert.Equal("HubSpot sync", template.Name);
        var renamed = Assert.Single(template.AuditTrail, e => e.Action == AuditAction.Renamed);
        Assert.Contains("'CRM sync'", renamed.Details, StringComparison.Ordinal);
        Assert.Contains("'HubSpot sync'", renamed.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Rename_NameOf201Characters_RefusedAndNameKept_T1()
    {
        var template = NewTemplate("CRM sync");

        var ex = Assert.Throws<ArgumentException>(() => template.Rename(new string('x', 201), Bob, At(1)));

        Assert.Equal("name", ex.ParamName);
        Assert.Equal("CRM sync", template.Name);
        Assert.Single(template.AuditTrail);
    }
}
