using Versioning.Core.Auditing;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    [Fact]
    public void ReleaseForNewInstallation_PublishedWithLive_ReturnsLive_T12()
    {
        var template = Lineage();
        template.SetPublished(true, Alice, At(6));

        Assert.Same(template.LiveRelease, template.ReleaseForNewInstallation());
        Assert.Equal(R(2), template.ReleaseForNewInstallation().Number);
    }

    [Fact]
    public void ReleaseForNewInstallation_Unpublished_Refused_T12()
    {
        var template = Lineage();

        var ex = TemplateAssert.Refused("T12", () => template.ReleaseForNewInstallation());

        Assert.Contains("publish it first", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReleaseForNewInstallation_PublishedWithoutLive_Refused_T12()
    {
        var template = NewTemplate();
        template.SetPublished(true, Alice, At(1));
        template.CreateDraft(null, Alice, At(2));

        var ex = TemplateAssert.Refused("T12", () => template.ReleaseForNewInstallation());

        Assert.Contains("no Live release", ex.Message, StringComparison.Ordinal);
        Assert.Equal(("Template", template.Id.ToString()), (ex.AggregateKind, ex.AggregateId));
    }

    [Fact]
    public void RecordInstallationsMigrated_LiveRelease_AppendsAuditEntry_T13()
    {
        var template = Lineage();

        template.RecordInstallationsMigrated(R(2), "3 installations moved from release 1.", Bob, At(10));

        var entry = template.AuditTrail[^1];
        Assert.Equal(
            (AuditAction.InstallationsUpgraded, Bob, At(10), "release 2", "3 installations moved from release 1."),
            (entry.Action, entry.Actor, entry.At, entry.Subject, entry.Details));
        Assert.Equal("InstallationsUpgraded", template.PendingEvents[^1].Type);
    }

    [Theory]
    [InlineData(1, "Deprecated")]
    [InlineData(3, "Draft")]
    public void RecordInstallationsMigrated_NotLive_Refused_T13(int number, string state)
    {
        var template = Lineage();
        var before = template.ToSnapshot();

        var ex = TemplateAssert.Refused("T13", () => template.RecordInstallationsMigrated(R(number), "moved", Bob, At(10)));

        Assert.Equal(($"release {number}", state), (ex.Subject, ex.State));
        Assert.Contains("only to the Live release", ex.Message, StringComparison.Ordinal);
        TemplateAssert.SameState(before, template.ToSnapshot());
    }
}
