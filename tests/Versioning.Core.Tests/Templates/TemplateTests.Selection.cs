using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

/// <summary>
/// P8: a template loaded for one command holds only the releases the command selected (with content) and the Live one
/// (without content unless selected); it refuses to answer about any other release instead of calling it missing, and
/// it tells stores exactly which content changed.
/// </summary>
public partial class TemplateTests
{
    /// <summary>The lineage (1 Deprecated, 2 Live, 3 Draft) as a store loads it for a command selecting <paramref name="selected"/>.</summary>
    private static Template Partial(params int[] selected)
    {
        var whole = Lineage().ToSnapshot();
        var keys = selected.Select(n => VersionKey.ForRelease(R(n))).ToArray();
        var selection = ItemSelection.Of(keys);
        var releases = whole.Releases
            .Where(r => selected.Contains(r.Number.Value) || r.State == ReleaseState.Live)
            .Select(r => selected.Contains(r.Number.Value) ? r : r.WithoutContent());
        return Template.FromSnapshot(whole with { Releases = [.. releases], Loaded = selection, Revision = 3 });
    }

    [Fact]
    public void ReleaseWithoutContent_HasNoContentToRead_ButEverythingElse_P8()
    {
        var release = Lineage().GetRelease(R(2));

        var bare = release.WithoutContent();

        Assert.True(release.HasContent);
        Assert.False(bare.HasContent);
        Assert.Contains("not loaded", Assert.Throws<InvalidOperationException>(() => bare.Content).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => bare.Connectors);
        Assert.Equal((release.Number, release.State, release.Notes, release.PromotedAt), (bare.Number, bare.State, bare.Notes, bare.PromotedAt));
        Assert.Same(bare, bare.WithoutContent());
        Assert.Contains("HasContent = False", bare.ToString(), StringComparison.Ordinal);
        Assert.False((bare with { Notes = "n" }).HasContent);
        Assert.True((bare with { Content = release.Content }).HasContent);
        Assert.NotEqual(release, bare);
    }

    [Fact]
    public void PartialLoad_UnselectedExistingRelease_ThrowsInvalidOperation_NeverNotFound_P8()
    {
        var template = Partial(3);

        Assert.Equal([R(2), R(3)], template.Releases.Select(r => r.Number));
        Assert.False(template.LiveRelease!.HasContent);
        Assert.True(template.GetRelease(R(3)).HasContent);
        var ex = Assert.Throws<InvalidOperationException>(() => template.GetRelease(R(1)));
        Assert.Contains("not loaded by this command's selection", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => template.FindRelease(R(1)));
        Assert.Throws<InvalidOperationException>(() => template.SetNotes(R(1), "n", Alice, At(9)));
        Assert.Throws<InvalidOperationException>(() => template.RunsInstallationsOn(VersionKey.ForRelease(R(1)), At(9)));
        Assert.Throws<InvalidOperationException>(() => TemplateSummary.Of(template));
        Assert.Empty(template.PendingEvents);

        // A number never used is simply absent.
        Assert.Null(template.FindRelease(R(4)));
        Assert.Throws<EntityNotFoundException>(() => template.GetRelease(R(4)));
    }

    [Fact]
    public void PartialLoad_Promote_DeprecatesTheLiveReleaseLoadedWithoutContent_T5_T6_P8()
    {
        var template = Partial(3);

        template.Promote(R(3), Bob, At(10));

        Assert.Equal(R(3), template.LiveRelease?.Number);
        var previous = template.GetRelease(R(2));
        Assert.Equal((ReleaseState.Deprecated, At(10)), (previous.State, previous.DeprecatedAt));
        Assert.False(previous.HasContent);
        Assert.Equal([VersionKey.ForRelease(R(2)), VersionKey.ForRelease(R(3))], template.ChangedItems.Order());
        Assert.Empty(template.ReleasesWithNewContent);
    }

    [Fact]
    public void PartialLoad_CreateDraft_TakesTheNumberAfterEveryUsedOne_T2_P8()
    {
        var template = Partial();

        var draft = template.CreateDraft(Workflows.OneStep("V4"), Alice, At(10));

        Assert.Equal(R(4), draft.Number);
        Assert.Equal([R(4)], template.ReleasesWithNewContent);
        Assert.Throws<InvalidOperationException>(() => template.GetRelease(R(3)));
    }

    [Fact]
    public void PartialLoad_Copy_ReadsTheSelectedSourceContent_LiveWithoutContentCannotBeCopied_T8_P8()
    {
        var source = Partial(1);
        var destination = Partial();

        var copy = source.CopyRelease(R(1), destination, Alice, At(10));

        Assert.Equal(Workflows.OneStep("V1"), copy.Content);
        Assert.Equal(new ReleaseProvenance(source.Id, R(1)), copy.CopiedFrom);
        Assert.Equal([R(4)], destination.ReleasesWithNewContent);
        Assert.Empty(source.ReleasesWithNewContent);
        Assert.Throws<InvalidOperationException>(() => Partial().CopyRelease(R(2), destination, Alice, At(11)));
    }

    [Fact]
    public void ReleasesWithNewContent_ListsDraftsEditsSwapsAndCopies_NotNotesOrStates_EmptyAfterSave_T3_T4_T9_P8()
    {
        var template = Partial(3, 1);
        template.SetNotes(R(1), "notes", Alice, At(10));
        template.Run(R(3), Alice, At(11));
        Assert.Empty(template.ReleasesWithNewContent);

        template.EditContent(R(3), Workflows.CrmToSlack(), Alice, At(12));
        template.SwapConnector(R(3), "Slack", Workflows.HubSpot, Alice, At(13));
        template.CopyRelease(R(1), template, Alice, At(14));
        Assert.Equal([R(3), R(4)], template.ReleasesWithNewContent.Order());

        template.MarkSaved(template.Revision + 1);
        Assert.Empty(template.ReleasesWithNewContent);
        template.DeleteRelease(R(4), 0, Alice, At(15));
        Assert.Empty(template.ReleasesWithNewContent);
    }

    [Fact]
    public void WholeTemplate_IsLoadedWithAll_AndSnapshotsCarryTheSelection_P8()
    {
        Assert.Equal(ItemSelection.All, Lineage().Loaded);
        var partial = Partial(3);
        Assert.Equal(ItemSelection.Of(VersionKey.ForRelease(R(3))), partial.Loaded);
        Assert.Equal(partial.Loaded, partial.ToSnapshot().Loaded);
    }
}
