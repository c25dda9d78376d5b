using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Xunit;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>A saved template reads back exactly: every release field, content, settings, audit entry and revision.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_SaveAndFind_RoundTripsEveryField()
    {
        await using var stores = await CreateStoresAsync();
        var template = Template.Create(TemplateId.New(), "Sync " + Tricky, Actor, T0);
        template.CreateDraft(Workflow(), Actor, T0);
        template.SetNotes(R(1), Tricky + "\nsecond line", Actor, T0);
        template.Promote(R(1), Actor, T0.PlusTicks(10));
        template.CreateDraft(null, Actor, T0.PlusTicks(20));
        template.Run(R(1), Actor, T0.PlusTicks(30));
        template.SetPublished(true, Actor, T0.PlusTicks(40));
        template.CopyRelease(R(1), template, Actor, T0.PlusTicks(50));
        template.Promote(R(3), Actor, T0.PlusTicks(60));
        await stores.Templates.SaveAsync(template);

        Assert.Equal(1, template.Revision);
        Assert.Empty(template.PendingEvents);
        var reopened = await ReopenAsync(stores);
        var loaded = await reopened.Templates.FindAsync(template.Id);
        Assert.NotNull(loaded);
        Assert.Equal(Describe(template.ToSnapshot()), Describe(loaded.ToSnapshot()));
        Assert.Equal(R(3), loaded.LiveRelease?.Number);
        Assert.Equal(ReleaseState.Deprecated, loaded.GetRelease(R(1)).State);
    }

    /// <summary>Loading an unknown template returns null.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_FindUnknown_ReturnsNull()
    {
        await using var stores = await CreateStoresAsync();
        Assert.Null(await stores.Templates.FindAsync(TemplateId.New()));
    }

    /// <summary>Changes saved over several revisions read back; deleted releases are gone and their numbers stay taken.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_UpdatesAndDeletes_PersistAcrossRevisions_T2_T10()
    {
        await using var stores = await CreateStoresAsync();
        var template = Template.Create(TemplateId.New(), "Updates", Actor, T0);
        template.CreateDraft(Workflow(), Actor, T0);
        template.CreateDraft(Workflow("Erp"), Actor, T0);
        await stores.Templates.SaveAsync(template);

        var copy = (await stores.Templates.FindAsync(template.Id))!;
        copy.DeleteRelease(R(1), 0, Actor, T0.PlusTicks(1));
        copy.EditContent(R(2), Workflow("Hr", "Hire"), Actor, T0.PlusTicks(2));
        await stores.Templates.SaveAsync(copy);
        Assert.Equal(2, copy.Revision);

        var loaded = (await (await ReopenAsync(stores)).Templates.FindAsync(template.Id))!;
        Assert.Equal(Describe(copy.ToSnapshot()), Describe(loaded.ToSnapshot()));
        Assert.Null(loaded.FindRelease(R(1)));
        Assert.Equal(R(3), loaded.CreateDraft(null, Actor, T0).Number);
    }

    /// <summary>X3: saving a stale copy throws <see cref="ConcurrencyConflictException"/> with both revisions and writes nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_SaveStaleRevision_ThrowsConflictAndWritesNothing_X3()
    {
        await using var stores = await CreateStoresAsync();
        var template = Template.Create(TemplateId.New(), "Stale", Actor, T0);
        await stores.Templates.SaveAsync(template);
        var first = (await stores.Templates.FindAsync(template.Id))!;
        var second = (await stores.Templates.FindAsync(template.Id))!;
        first.CreateDraft(null, Actor, T0);
        await stores.Templates.SaveAsync(first);
        var eventsBefore = (await ReadAllEventsAsync(stores)).Count;

        second.Rename("Lost update", Actor, T0);
        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Templates.SaveAsync(second));
        Assert.Equal(1, ex.ExpectedRevision);
        Assert.Equal(2, ex.ActualRevision);
        Assert.Equal("Template", ex.AggregateKind);
        Assert.Equal(template.Id.ToString(), ex.AggregateId);
        var stored = (await stores.Templates.FindAsync(template.Id))!;
        Assert.Equal("Stale", stored.Name);
        Assert.Equal(2, stored.Revision);
        Assert.Equal(eventsBefore, (await ReadAllEventsAsync(stores)).Count);
        Assert.Equal(1, second.Revision);
        Assert.NotEmpty(second.PendingEvents);
    }

    /// <summary>Inserting a template whose id exists is a conflict.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_InsertExistingId_ThrowsConflict_X3()
    {
        await using var stores = await CreateStoresAsync();
        var id = TemplateId.New();
        await stores.Templates.SaveAllAsync([Template.Create(id, "One", Actor, T0)]);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Templates.SaveAllAsync([Template.Create(id, "Two", Actor, T0)]));
        Assert.Equal("One", (await stores.Templates.FindAsync(id))!.Name);
    }

    /// <summary>Saving two templates is all or nothing: when one is stale, neither is written (T8 copies save two).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_SaveTwoWithOneStale_WritesNeither_X3()
    {
        await using var stores = await CreateStoresAsync();
        var source = Template.Create(TemplateId.New(), "Source", Actor, T0);
        source.CreateDraft(Workflow(), Actor, T0);
        var target = Template.Create(TemplateId.New(), "Target", Actor, T0);
        await stores.Templates.SaveAllAsync([source, target]);
        var staleTarget = (await stores.Templates.FindAsync(target.Id))!;
        var freshTarget = (await stores.Templates.FindAsync(target.Id))!;
        freshTarget.Rename("Target renamed", Actor, T0);
        await stores.Templates.SaveAsync(freshTarget);
        var eventsBefore = (await ReadAllEventsAsync(stores)).Count;

        var loadedSource = (await stores.Templates.FindAsync(source.Id))!;
        loadedSource.CopyRelease(R(1), staleTarget, Actor, T0);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Templates.SaveAllAsync([loadedSource, staleTarget]));

        Assert.Equal(1, (await stores.Templates.FindAsync(source.Id))!.Revision);
        Assert.Empty((await stores.Templates.FindAsync(target.Id))!.Releases);
        Assert.Equal(eventsBefore, (await ReadAllEventsAsync(stores)).Count);
    }

    /// <summary>Templates are listed by name, with their Live release.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_List_OrderedByNameWithLiveRelease()
    {
        await using var stores = await CreateStoresAsync();
        var b = Template.Create(TemplateId.New(), "Beta", Actor, T0);
        b.CreateDraft(null, Actor, T0);
        b.Promote(R(1), Actor, T0);
        await stores.Templates.SaveAsync(b);
        await stores.Templates.SaveAllAsync([Template.Create(TemplateId.New(), "Alpha", Actor, T0)]);

        var list = await stores.Templates.ListAsync();
        Assert.Equal(["Alpha", "Beta"], list.Select(t => t.Name));
        Assert.Equal(R(1), list[1].LiveReleaseNumber);
        Assert.Null(list[0].LiveReleaseNumber);
    }

    /// <summary>Concurrent writers on one template: every writer's draft is saved exactly once; none is lost (X3).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_ConcurrentWriters_NoLostUpdate_X3()
    {
        await using var stores = await CreateStoresAsync();
        var template = Template.Create(TemplateId.New(), "Busy", Actor, T0);
        await stores.Templates.SaveAsync(template);

        var writers = Enumerable.Range(0, ConcurrentWriters).Select(w => Task.Run(() => RetryOnConflictAsync(async () =>
        {
            var copy = (await stores.Templates.FindAsync(template.Id))!;
            var draft = copy.CreateDraft(null, new ActorId($"writer-{w}"), T0);
            await stores.Templates.SaveAsync(copy);
            return draft.Number;
        })));
        var numbers = await Task.WhenAll(writers);

        Assert.Equal(Enumerable.Range(1, ConcurrentWriters).Select(R), numbers.Order());
        var final = (await stores.Templates.FindAsync(template.Id))!;
        Assert.Equal(ConcurrentWriters, final.Releases.Count);
        Assert.Equal(ConcurrentWriters + 1, final.Revision);
        Assert.Equal(ConcurrentWriters + 1, final.AuditTrail.Count);
        Assert.Equal(ConcurrentWriters + 1, (await ReadAllEventsAsync(stores)).Count(e => e.AggregateId == template.Id.ToString()));
    }
}
