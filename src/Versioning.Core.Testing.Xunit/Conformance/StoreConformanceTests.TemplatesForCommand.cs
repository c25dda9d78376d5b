using Versioning.Core.Auditing;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Xunit;

namespace Versioning.Core.Testing.Conformance;

/// <summary>
/// P8: <see cref="ITemplateRepository.FindForCommandAsync"/>. A store that narrows the load holds the selected releases
/// (with content) and the Live one (without content unless selected), nothing else; a store that keeps the default
/// returns a whole copy, which is also correct. Either way, saving what a command changed on the copy leaves every other
/// release and every content exactly as stored.
/// </summary>
public abstract partial class StoreConformanceTests
{
    private static ReleaseNumber[] Numbers(Template template) => [.. template.Releases.Select(r => r.Number)];

    /// <summary>Releases 1–4 (2 Live, 4 deleted) with distinct content each; 5 a Draft.</summary>
    private static async Task<Template> SavedLineageAsync(VersioningStores stores)
    {
        var template = Template.Create(TemplateId.New(), "For command " + Tricky, Actor, T0);
        for (var i = 1; i <= 5; i++)
        {
            template.CreateDraft(Workflow("Connector" + i, "Op" + i), Actor, T0.PlusTicks(i));
        }

        template.Promote(R(2), Actor, T0.PlusTicks(10));
        template.DeleteRelease(R(4), 0, Actor, T0.PlusTicks(11));
        template.SetNotes(R(2), "live notes " + Tricky, Actor, T0.PlusTicks(12));
        await stores.Templates.SaveAsync(template);
        return template;
    }

    /// <summary>P8: a command's load holds the selected release with its content and the Live one without it; nothing else.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_FindForCommand_HoldsTheSelectedAndTheLiveRelease_ContentOnlyWhereSelected_P8()
    {
        await using var stores = await CreateStoresAsync();
        var saved = await SavedLineageAsync(stores);
        var whole = (await stores.Templates.FindAsync(saved.Id))!;
        var selection = ItemSelection.Of(VersionKey.ForRelease(R(3)));

        var loaded = (await (await ReopenAsync(stores)).Templates.FindForCommandAsync(saved.Id, selection))!;

        Assert.Equal((whole.Revision, whole.Name, whole.LastReleaseNumber, whole.Published), (loaded.Revision, loaded.Name, loaded.LastReleaseNumber, loaded.Published));
        Assert.Equal(whole.AuditTrail.Count, loaded.AuditTrailStart);
        Assert.Empty(loaded.AuditTrail);
        Assert.Equal(whole.GetRelease(R(3)), loaded.GetRelease(R(3)));
        Assert.Equal(whole.GetRelease(R(3)).Content, loaded.GetRelease(R(3)).Content);
        Assert.Equal(R(2), loaded.LiveRelease?.Number);
        Assert.Equal(whole.LiveRelease!.Notes, loaded.LiveRelease!.Notes);
        if (loaded.Loaded.IsAll)
        {
            // The default implementation: a whole copy.
            Assert.Equal(Numbers(whole), Numbers(loaded));
            return;
        }

        Assert.Equal(selection, loaded.Loaded);
        Assert.Equal([R(2), R(3)], Numbers(loaded));
        Assert.False(loaded.LiveRelease.HasContent);
        Assert.Throws<InvalidOperationException>(() => loaded.LiveRelease.Content);
        Assert.Throws<InvalidOperationException>(() => loaded.GetRelease(R(1)));
        Assert.Throws<InvalidOperationException>(() => loaded.FindRelease(R(5)));
        Assert.Throws<EntityNotFoundException>(() => loaded.GetRelease(R(6)));
    }

    /// <summary>P8: a selected release that does not exist (deleted, never created) is simply absent: "not found", never "not loaded".</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_FindForCommand_SelectedReleaseThatDoesNotExist_IsAbsent_T10_P8()
    {
        await using var stores = await CreateStoresAsync();
        var saved = await SavedLineageAsync(stores);

        var loaded = (await stores.Templates.FindForCommandAsync(saved.Id, ItemSelection.Of(VersionKey.ForRelease(R(4)), VersionKey.ForRelease(R(99)))))!;

        Assert.Null(loaded.FindRelease(R(4)));
        Assert.Throws<EntityNotFoundException>(() => loaded.GetRelease(R(4)));
        Assert.Throws<EntityNotFoundException>(() => loaded.SetNotes(R(99), "x", Actor, T0));
        Assert.Null(await stores.Templates.FindForCommandAsync(TemplateId.New(), ItemSelection.Of()));
    }

    /// <summary>
    /// P8: promote, notes, run, content edit and copy on copies loaded for the command store exactly what the same
    /// commands on whole copies store: the releases not loaded and the content not loaded stay as they were.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_SavePartialCopies_StoresWhatWholeCopiesStore_UnselectedReleasesAndContentIntact_T4_T6_T8_P8()
    {
        await using var stores = await CreateStoresAsync();
        var saved = await SavedLineageAsync(stores);

        // The commands on copies loaded for each command, then the same on one whole copy in memory.
        async Task RunAsync(VersioningStores on, TemplateId id, Func<TemplateId, ReleaseNumber?, Task<Template>> load)
        {
            var promote = await load(id, R(3));
            promote.Promote(R(3), Actor, T0.PlusTicks(100));
            promote.SetNotes(R(3), "promoted " + Tricky, Actor, T0.PlusTicks(101));
            promote.Run(R(3), Actor, T0.PlusTicks(102));
            await on.Templates.SaveAsync(promote);

            var edit = await load(id, R(5));
            edit.EditContent(R(5), Workflow("Edited", "EditedOp"), Actor, T0.PlusTicks(103));
            await on.Templates.SaveAsync(edit);

            var draft = await load(id, null);
            draft.CreateDraft(Workflow("New", "NewOp"), Actor, T0.PlusTicks(104));
            draft.Pause(R(3), Actor, T0.PlusTicks(105));
            await on.Templates.SaveAsync(draft);

            var source = await load(id, R(2));
            source.CopyRelease(R(2), source, Actor, T0.PlusTicks(106));
            await on.Templates.SaveAsync(source);
        }

        await RunAsync(stores, saved.Id, async (id, n) => (await stores.Templates.FindForCommandAsync(
            id, n is { } number ? ItemSelection.Of(VersionKey.ForRelease(number), VersionKey.ForRelease(R(3))) : ItemSelection.Of(VersionKey.ForRelease(R(3)))))!);
        var expected = Template.FromSnapshot(saved.ToSnapshot());
        expected.Promote(R(3), Actor, T0.PlusTicks(100));
        expected.SetNotes(R(3), "promoted " + Tricky, Actor, T0.PlusTicks(101));
        expected.Run(R(3), Actor, T0.PlusTicks(102));
        expected.EditContent(R(5), Workflow("Edited", "EditedOp"), Actor, T0.PlusTicks(103));
        expected.CreateDraft(Workflow("New", "NewOp"), Actor, T0.PlusTicks(104));
        expected.Pause(R(3), Actor, T0.PlusTicks(105));
        expected.CopyRelease(R(2), expected, Actor, T0.PlusTicks(106));

        var stored = (await (await ReopenAsync(stores)).Templates.FindAsync(saved.Id))!;
        Assert.Equal(saved.Revision + 4, stored.Revision);
        Assert.Equal(Numbers(expected), Numbers(stored));
        foreach (var release in expected.Releases)
        {
            Assert.Equal(release, stored.GetRelease(release.Number));
            Assert.Equal(release.Content, stored.GetRelease(release.Number).Content);
        }

        Assert.Equal(expected.GetRelease(R(2)).Content, stored.GetRelease(R(7)).Content);
        Assert.Equal(new ReleaseProvenance(saved.Id, R(2)), stored.GetRelease(R(7)).CopiedFrom);
        Assert.Equal(expected.AuditTrail.Select(e => (e.Action, e.Subject, e.Details)), stored.AuditTrail.Select(e => (e.Action, e.Subject, e.Details)));
    }

    /// <summary>P8, T8: a release copied to another template from copies loaded for the command: both saved together, the rest intact.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_CopyBetweenPartialCopies_SavesBoth_DestinationKeepsItsReleases_T8_P8()
    {
        await using var stores = await CreateStoresAsync();
        var source = await SavedLineageAsync(stores);
        var destination = Template.Create(TemplateId.New(), "Destination", Actor, T0);
        destination.CreateDraft(Workflow("Mine", "MineOp"), Actor, T0);
        destination.Promote(R(1), Actor, T0);
        destination.CreateDraft(Workflow("Mine2", "MineOp2"), Actor, T0);
        await stores.Templates.SaveAsync(destination);

        var from = (await stores.Templates.FindForCommandAsync(source.Id, ItemSelection.Of(VersionKey.ForRelease(R(5)))))!;
        var to = (await stores.Templates.FindForCommandAsync(destination.Id, ItemSelection.Of()))!;
        var copy = from.CopyRelease(R(5), to, Actor, T0.PlusTicks(50));
        await stores.Templates.SaveAllAsync([from, to]);

        var stored = (await (await ReopenAsync(stores)).Templates.FindAsync(destination.Id))!;
        Assert.Equal([R(1), R(2), R(3)], Numbers(stored));
        Assert.Equal(R(3), copy.Number);
        Assert.Equal(source.GetRelease(R(5)).Content, stored.GetRelease(R(3)).Content);
        Assert.Equal(destination.GetRelease(R(1)).Content, stored.GetRelease(R(1)).Content);
        Assert.Equal(destination.GetRelease(R(2)).Content, stored.GetRelease(R(2)).Content);
        var storedSource = (await stores.Templates.FindAsync(source.Id))!;
        Assert.Equal(source.Releases, storedSource.Releases);
        Assert.Equal(AuditAction.CopiedTo, storedSource.AuditTrail[^1].Action);
    }

    /// <summary>X3, P8: two copies loaded for commands on different releases still conflict: the second save is refused and writes nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_FindForCommand_StaleRevision_StillConflicts_X3_P8()
    {
        await using var stores = await CreateStoresAsync();
        var saved = await SavedLineageAsync(stores);
        var first = (await stores.Templates.FindForCommandAsync(saved.Id, ItemSelection.Of(VersionKey.ForRelease(R(3)))))!;
        var second = (await stores.Templates.FindForCommandAsync(saved.Id, ItemSelection.Of(VersionKey.ForRelease(R(5)))))!;
        first.Promote(R(3), Actor, T0.PlusTicks(1));
        await stores.Templates.SaveAsync(first);
        second.EditContent(R(5), Workflow("Lost", "LostOp"), Actor, T0.PlusTicks(2));

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Templates.SaveAsync(second));

        Assert.Equal((saved.Revision, saved.Revision + 1), (conflict.ExpectedRevision, conflict.ActualRevision));
        var stored = (await stores.Templates.FindAsync(saved.Id))!;
        Assert.Equal(saved.GetRelease(R(5)).Content, stored.GetRelease(R(5)).Content);
        Assert.Equal(R(3), stored.LiveRelease?.Number);
    }
}
