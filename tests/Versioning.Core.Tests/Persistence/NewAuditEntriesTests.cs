using Versioning.Core.Auditing;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Tests.Persistence;

/// <summary>
/// The store-author protocol (A3): an aggregate hands its store the audit entries recorded since the last save with their
/// numbers in the whole trail, one per pending event, whether it was loaded with its trail or without it.
/// </summary>
public sealed class NewAuditEntriesTests
{
    private static readonly ActorId Owner = new("alice");
    private static readonly Instant At = Instant.FromUtc(2026, 1, 1, 0, 0);

    [Fact]
    public void NewAggregate_NumbersItsEntriesFromZero_OnePerPendingEvent_A3()
    {
        var template = Template.Create(TemplateId.New(), "New", Owner, At);
        template.CreateDraft(null, Owner, At);

        Assert.Equal([0, 1], template.NewAuditEntries.Select(e => e.Sequence));
        Assert.Equal(template.PendingEvents.Count, template.NewAuditEntries.Count);
        Assert.Equal(template.AuditTrail, template.NewAuditEntries.Select(e => e.Entry));
        Assert.Equal(template.PendingEvents.Select(e => e.Type), template.NewAuditEntries.Select(e => e.Entry.Action.ToString()));
    }

    [Fact]
    public void AfterMarkSaved_IsEmpty_AndTheNextEntriesContinueTheNumbering_A3()
    {
        var integration = Integration.Create(IntegrationId.New(), "Saved", Owner, At);
        integration.MarkSaved(1);
        Assert.Empty(integration.NewAuditEntries);

        integration.CreateVersion(new VersionNumber(1, 0, 0), null, null, true, Owner, At);
        integration.SetNotes(new VersionNumber(1, 0, 0), "notes", Owner, At);

        Assert.Equal([1, 2], integration.NewAuditEntries.Select(e => e.Sequence));
        Assert.Equal(integration.AuditTrail.Skip(1), integration.NewAuditEntries.Select(e => e.Entry));
    }

    [Fact]
    public async Task LoadedWithoutItsTrail_NumbersFromTheStoredLength_A3()
    {
        var store = new InMemoryStore();
        var templates = new InMemoryTemplateRepository(store);
        var template = Template.Create(TemplateId.New(), "Light", Owner, At);
        template.CreateDraft(null, Owner, At);
        template.SetPublished(true, Owner, At);
        await templates.SaveAsync(template);

        var light = (await templates.FindWithoutAuditTrailAsync(template.Id))!;
        light.Rename("Renamed", Owner, At);

        var added = Assert.Single(light.NewAuditEntries);
        Assert.Equal(3, added.Sequence);
        Assert.Equal(AuditAction.Renamed, added.Entry.Action);
        Assert.Same(light.AuditTrail[added.Sequence - light.AuditTrailStart], added.Entry);

        await templates.SaveAsync(light);
        var whole = (await templates.FindAsync(template.Id))!;
        Assert.Equal(4, whole.AuditTrail.Count);
        Assert.Equal(AuditAction.Renamed, whole.AuditTrail[3].Action);
        Assert.Empty(light.NewAuditEntries);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws_A3()
    {
        var template = Template.Create(TemplateId.New(), "Range", Owner, At);

        Assert.Throws<ArgumentOutOfRangeException>(() => template.NewAuditEntries[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => template.NewAuditEntries[-1]);
    }
}
