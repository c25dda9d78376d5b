using Versioning.Core.Installations;
using Versioning.Core.Tests.Installations;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Reliability;

/// <summary>X12: a write that changes nothing stores nothing — no new revision, no audit entry, no event.</summary>
public sealed class UnchangedWriteTests
{
    [Fact]
    public async Task SetSettingsAsync_SameSettingsInAnotherOrder_NoRevisionNoEvent_X12()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var installation = await h.InstallAsync(app, OwnerRef.User("alice"));
        var set = await h.Installations.SetSettingsAsync(installation.Id, [new("b", "2"), new("a", "1")], Team);
        var events = h.Store.EventCount;

        var again = await h.Installations.SetSettingsAsync(installation.Id, [new("a", "1"), new("b", "2")], Team);

        Assert.Equal(set.Revision, again.Revision);
        Assert.Equal(set.UpdatedAt, again.UpdatedAt);
        Assert.Equal(events, h.Store.EventCount);

        // A real change still writes.
        var changed = await h.Installations.SetSettingsAsync(installation.Id, [new("a", "1"), new("b", "3")], Team);
        Assert.Equal(set.Revision + 1, changed.Revision);
        Assert.Equal(events + 1, h.Store.EventCount);
    }

    [Fact]
    public async Task SetStatusAsync_SameStatus_NoRevisionNoEvent_X12()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var installation = await h.InstallAsync(app, OwnerRef.User("alice"));
        var events = h.Store.EventCount;

        var again = await h.Installations.SetStatusAsync(installation.Id, installation.Status, Team);

        Assert.Equal(installation.Revision, again.Revision);
        Assert.Equal(events, h.Store.EventCount);
    }

    [Fact]
    public async Task EditContentAsync_SameContent_NoRevisionNoAuditEntryNoEvent_X12()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.Integrations.CreateVersionAsync(app, V("1.1.0"), VersioningHarness.Content, Team);
        var before = await h.Integrations.GetIntegrationAsync(app, Team);
        var events = h.Store.EventCount;

        await h.Integrations.EditContentAsync(app, V("1.1.0"), new(VersioningHarness.Content.Steps), Team);
        await h.Integrations.SetNotesAsync(app, V("1.1.0"), before.GetVersion(V("1.1.0")).Notes, Team);

        var after = await h.Integrations.GetIntegrationAsync(app, Team);
        Assert.Equal(before.Revision, after.Revision);
        Assert.Equal(before.AuditTrail.Count, after.AuditTrail.Count);
        Assert.Equal(events, h.Store.EventCount);

        await h.Integrations.EditContentAsync(app, V("1.1.0"), ContentWithoutMail, Team);
        Assert.Equal(before.Revision + 1, (await h.Integrations.GetIntegrationAsync(app, Team)).Revision);
    }

    [Fact]
    public async Task TemplateEditContentAsync_SameContent_NoRevisionNoAuditEntryNoEvent_X12()
    {
        using var h = new VersioningHarness();
        var id = (await h.Templates.CreateTemplateAsync("Unchanged", Team)).Id;
        var draft = await h.Templates.CreateDraftAsync(id, VersioningHarness.Content, Team);
        var before = await h.Templates.GetTemplateAsync(id, Team);
        var events = h.Store.EventCount;

        await h.Templates.EditContentAsync(id, draft.Number, new(VersioningHarness.Content.Steps), Team);

        var after = await h.Templates.GetTemplateAsync(id, Team);
        Assert.Equal(before.Revision, after.Revision);
        Assert.Equal(before.AuditTrail.Count, after.AuditTrail.Count);
        Assert.Equal(events, h.Store.EventCount);
    }
}
