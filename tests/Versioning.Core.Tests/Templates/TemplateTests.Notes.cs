using Versioning.Core.Auditing;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateTests
{
    [Theory]
    [InlineData(1, ReleaseState.Deprecated)]
    [InlineData(2, ReleaseState.Live)]
    [InlineData(3, ReleaseState.Draft)]
    public void SetNotes_AnyState_ChangesNotesAndAudits_T4(int number, ReleaseState state)
    {
        var template = Lineage();
        var content = template.GetRelease(R(number)).Content;
        var entries = template.AuditTrail.Count;

        template.SetNotes(R(number), "Fixes the duplicate contact bug.\nSee ticket 42.", Bob, At(10));

        var release = template.GetRelease(R(number));
        Assert.Equal(state, release.State);
        Assert.Equal("Fixes the duplicate contact bug.\nSee ticket 42.", release.Notes);
        Assert.Equal(content, release.Content);
        Assert.Equal(entries + 1, template.AuditTrail.Count);
        var entry = template.AuditTrail[^1];
        Assert.Equal((AuditAction.NotesChanged, Bob, At(10), $"release {number}"), (entry.Action, entry.Actor, entry.At, entry.Subject));
    }

    [Fact]
    public void SetNotes_EachChangeAuditedAndEmptyClears_T4()
    {
        var template = Lineage();
        var entries = template.AuditTrail.Count;

        template.SetNotes(R(2), "First", Bob, At(10));
        template.SetNotes(R(2), "Second", Carol, At(11));
        template.SetNotes(R(2), string.Empty, Bob, At(12));

        Assert.Equal(string.Empty, template.GetRelease(R(2)).Notes);
        Assert.Equal(
            [(Bob, At(10)), (Carol, At(11)), (Bob, At(12))],
            template.AuditTrail.Skip(entries).Select(e => (e.Actor, e.At)));
        Assert.All(template.AuditTrail.Skip(entries), e => Assert.Equal(AuditAction.NotesChanged, e.Action));
    }

    [Fact]
    public void SetNotes_SameNotesAgain_NoChangeNoAuditEntry_T4()
    {
        var template = Lineage();
        template.SetNotes(R(2), "Same", Bob, At(10));
        var before = template.ToSnapshot();
        var events = template.PendingEvents.Count;

        template.SetNotes(R(2), "Same", Carol, At(11));

        TemplateAssert.SameState(before, template.ToSnapshot());
        Assert.Equal(events, template.PendingEvents.Count);
    }

    [Fact]
    public void SetNotes_MaximumLengthAccepted_OneMoreRefused_T4()
    {
        var template = Lineage();

        template.SetNotes(R(3), new string('n', TemplateRelease.MaxNotesLength), Bob, At(10));
        var ex = Assert.Throws<ArgumentException>(() => template.SetNotes(R(3), new string('n', TemplateRelease.MaxNotesLength + 1), Bob, At(11)));

        Assert.Equal("notes", ex.ParamName);
        Assert.Equal(TemplateRelease.MaxNotesLength, template.GetRelease(R(3)).Notes.Length);
    }
}
