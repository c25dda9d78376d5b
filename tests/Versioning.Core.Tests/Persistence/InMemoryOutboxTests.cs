using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Tests.Persistence;

/// <summary>X4 on the default store: events are stored in the same step as the aggregate, and only then.</summary>
public class InMemoryOutboxTests
{
    private static readonly ActorId Actor = new("outbox");
    private static readonly Instant At = Instant.FromUtc(2026, 1, 1, 0, 0);

    [Fact]
    public async Task Save_StoresEventsWithTheAggregate_AndAStaleSaveStoresNone_X4()
    {
        var store = new InMemoryStore();
        var templates = new InMemoryTemplateRepository(store);
        var events = new InMemoryEventReader(store);
        var template = Template.Create(TemplateId.New(), "Outbox", Actor, At);
        template.CreateDraft(null, Actor, At);
        Assert.Equal(0, store.EventCount);

        await templates.SaveAsync(template);
        var stored = await events.ReadAsync(0, 100);
        Assert.Equal(["Created", "ReleaseCreated"], stored.Select(e => e.Type));
        Assert.Equal([1L, 2L], stored.Select(e => e.Position));
        Assert.All(stored, e => Assert.Equal(1, e.AggregateRevision));
        Assert.Empty(template.PendingEvents);

        var stale = Template.FromSnapshot(template.ToSnapshot() with { Revision = 0 });
        stale.Rename("Never stored", Actor, At);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => templates.SaveAsync(stale));
        Assert.Equal(2, store.EventCount);
        Assert.Single(stale.PendingEvents);
    }
}
