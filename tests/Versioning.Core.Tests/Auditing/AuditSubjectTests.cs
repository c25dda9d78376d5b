using Versioning.Core.Auditing;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;

namespace Versioning.Core.Tests.Auditing;

/// <summary>A4: an audit entry's subject is typed — the release or version as a <see cref="VersionKey"/>, null for the product.</summary>
public sealed class AuditSubjectTests
{
    private static readonly ActorId Alice = new("alice");
    private static readonly Instant T0 = Instant.FromUtc(2026, 1, 1, 0, 0);

    [Fact]
    public void TemplateEntries_CarryTheReleaseAsTypedSubject_ProductEntriesNone_A4()
    {
        var template = Template.Create(TemplateId.New(), "CRM sync", Alice, T0);
        template.CreateDraft(null, Alice, T0.PlusTicks(1));
        template.CreateDraft(null, Alice, T0.PlusTicks(2));
        template.Promote(R(2), Alice, T0.PlusTicks(3));

        Assert.Equal(
            [(AuditAction.Created, null), (AuditAction.ReleaseCreated, VersionKey.ForRelease(R(1))), (AuditAction.ReleaseCreated, VersionKey.ForRelease(R(2))), (AuditAction.Promoted, VersionKey.ForRelease(R(2)))],
            template.AuditTrail.Select(e => (e.Action, e.SubjectKey)));
        Assert.All(template.AuditTrail.Where(e => e.SubjectKey is not null), e => Assert.Equal(AuditEntry.SubjectOf(e.SubjectKey!.Value), e.Subject));
    }

    [Fact]
    public void IntegrationEntries_CarryTheVersionAsTypedSubject_ProductEntriesNone_A4()
    {
        var integration = Integration.Create(IntegrationId.New(), "Slack", Alice, T0);
        var v100 = new VersionNumber(1, 0, 0);
        var rc = new VersionNumber(1, 1, 0, "rc1");
        integration.CreateVersion(v100, null, null, true, Alice, T0.PlusTicks(1));
        integration.CreateVersion(rc, null, null, true, Alice, T0.PlusTicks(2));

        Assert.Equal(
            [(AuditAction.Created, null), (AuditAction.ReleaseCreated, VersionKey.ForVersion(v100)), (AuditAction.ReleaseCreated, VersionKey.ForVersion(rc))],
            integration.AuditTrail.Select(e => (e.Action, e.SubjectKey)));
        Assert.All(integration.AuditTrail.Where(e => e.SubjectKey is not null), e => Assert.Equal(AuditEntry.SubjectOf(e.SubjectKey!.Value), e.Subject));
    }

    [Theory]
    [InlineData("release 2", "2")]
    [InlineData("release 12", "12")]
    [InlineData("1.2.0", "1.2.0")]
    [InlineData("1.2.0-rc1", "1.2.0-rc1")]
    [InlineData(null, null)]
    [InlineData("release 02", null)]
    [InlineData("release 0", null)]
    [InlineData("release -1", null)]
    [InlineData("Release 2", null)]
    [InlineData("release x", null)]
    [InlineData("2", null)]
    [InlineData("1.2", null)]
    [InlineData("", null)]
    [InlineData("the team", null)]
    public void SubjectKey_OfAStoredEntry_IsReadFromItsLabelExactlyOrIsNull_A4(string? subject, string? key)
    {
        var entry = new AuditEntry(AuditAction.NotesChanged, Alice, T0, subject, "details");

        Assert.Equal(key, entry.SubjectKey?.Value);
        if (entry.SubjectKey is { } typed)
        {
            Assert.Equal(subject, AuditEntry.SubjectOf(typed));
        }
    }

    [Fact]
    public void SubjectOf_EmptyKey_RefusedNamingIt_A4()
        => Assert.Equal("key", Assert.Throws<ArgumentException>(() => AuditEntry.SubjectOf(default)).ParamName);
}
