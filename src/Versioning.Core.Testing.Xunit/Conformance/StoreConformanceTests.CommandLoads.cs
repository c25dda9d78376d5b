using Versioning.Core.Content;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Xunit;

namespace Versioning.Core.Testing.Conformance;

/// <summary>
/// <see cref="IIntegrationRepository.FindForCommandAsync"/>: a command loads only the versions it selects (with their
/// content), the Promoted one (without its content unless asked), and the facts it asks for; saving the partial copy
/// writes what the command changed and keeps everything else, content included.
/// </summary>
public abstract partial class StoreConformanceTests
{
    private static readonly VersionNumber V130 = new(1, 3, 0);
    private static readonly VersionNumber V140 = new(1, 4, 0);
    private static readonly VersionNumber V900 = new(9, 0, 0);

    private static VersionKey K(VersionNumber number) => VersionKey.ForVersion(number);

    // 1.0.0 Promoted, 1.1.0 and 1.3.0 Private with their own content, 1.2.0 deleted (its number stays used).
    private static Integration FourVersions()
    {
        var integration = Integration.Create(IntegrationId.New(), "Command loads " + Tricky, Actor, T0);
        integration.CreateVersion(V100, Workflow("Promoted", "One"), null, true, Actor, T0);
        integration.SetNotes(V100, "first", Actor, T0);
        integration.Promote(V100, [], Actor, T0);
        integration.CreateVersion(V110, Workflow("Eleven", "Two"), null, true, Actor, T0);
        integration.CreateVersion(V120, null, null, true, Actor, T0);
        integration.CreateVersion(V130, Workflow("Thirteen", "Three"), null, true, Actor, T0);
        integration.DeleteVersion(V120, 0, Actor, T0);
        return integration;
    }

    /// <summary>
    /// Only the selected versions and the Promoted one are loaded; asking about another is a programming error, never "not
    /// found". A store that keeps the interface's default returns a whole copy, which is also correct.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_FindForCommand_LoadsTheSelectedAndThePromoted_OthersAbsent_P8()
    {
        await using var stores = await CreateStoresAsync();
        var integration = FourVersions();
        await stores.Integrations.SaveAsync(integration);
        var whole = (await stores.Integrations.FindAsync(integration.Id))!;
        var repository = (await ReopenAsync(stores)).Integrations;

        var selection = ItemSelection.Of(K(V110), K(V900));
        var loaded = (await repository.FindForCommandAsync(integration.Id, selection))!;
        var all = (await repository.FindForCommandAsync(integration.Id, ItemSelection.All))!;
        Assert.Equal(Describe(whole.ToSnapshot() with { AuditTrail = [], AuditTrailStart = 0 }), Describe(all.ToSnapshot() with { AuditTrail = [], AuditTrailStart = 0 }));
        Assert.Null(await repository.FindForCommandAsync(IntegrationId.New(), selection));
        if (loaded.Loaded.IsAll)
        {
            // The interface's default: a whole copy (without the trail) is always a correct answer.
            Assert.Equal(Describe(all.ToSnapshot()), Describe(loaded.ToSnapshot()));
            return;
        }

        Assert.Equal(selection, loaded.Loaded);
        Assert.Equal([V100, V110], loaded.Versions.Select(v => v.Number));
        Assert.Equal(StoreJson.Write(whole.GetVersion(V110)), StoreJson.Write(loaded.GetVersion(V110)));
        Assert.True(loaded.GetVersion(V110).HasContent);
        Assert.Equal(whole.GetVersion(V110).Content, loaded.GetVersion(V110).Content);
        Assert.Equal(V100, loaded.PromotedVersion?.Number);
        Assert.False(loaded.PromotedVersion!.HasContent);
        Assert.Throws<InvalidOperationException>(() => loaded.PromotedVersion.Content);
        Assert.Equal(StoreJson.Write(whole.GetVersion(V100).WithoutContent()), StoreJson.Write(loaded.PromotedVersion));
        Assert.Contains("1.3.0", Assert.Throws<InvalidOperationException>(() => loaded.GetVersion(V130)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => loaded.FindVersion(V120));
        Assert.Throws<InvalidOperationException>(() => loaded.UsedNumbers);
        Assert.Throws<EntityNotFoundException>(() => loaded.GetVersion(V900));
        Assert.Null(loaded.FindVersion(V900));
        Assert.Equal(whole.Team, loaded.Team);
        Assert.Equal(whole.Revision, loaded.Revision);
        Assert.Equal(whole.AuditTrail.Count, loaded.AuditTrailStart);

        var withFacts = (await repository.FindForCommandAsync(integration.Id, ItemSelection.Of().WithUsedNumbers().WithCurrentContent()))!;
        Assert.Equal(ItemSelection.Of().WithUsedNumbers().WithCurrentContent(), withFacts.Loaded);
        Assert.Equal([V100], withFacts.Versions.Select(v => v.Number));
        Assert.Equal(StoreJson.Write(whole.GetVersion(V100)), StoreJson.Write(withFacts.PromotedVersion!));
        Assert.Equal([V100, V110, V120, V130], withFacts.UsedNumbers.Order());

    }

    /// <summary>
    /// A partial copy, changed and saved, leaves the store exactly as the same commands on a whole copy would: versions it
    /// did not load and every content it did not set are kept (the demoted version's content, loaded without it, too).
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_FindForCommand_SaveOfAPartialCopy_KeepsWhatItDidNotLoad_Z7_Z9()
    {
        await using var stores = await CreateStoresAsync();
        var integration = FourVersions();
        await stores.Integrations.SaveAsync(integration);
        var expected = (await stores.Integrations.FindAsync(integration.Id))!;
        var at = T0.PlusTicks(10);

        // Promote 1.1.0 (demotes 1.0.0, loaded without its content).
        var promote = (await stores.Integrations.FindForCommandAsync(integration.Id, ItemSelection.Of(K(V110))))!;
        promote.SetNotes(V110, "second " + Tricky, Actor, at);
        promote.Promote(V110, [], Actor, at);
        await stores.Integrations.SaveAsync(promote);
        expected.SetNotes(V110, "second " + Tricky, Actor, at);
        expected.Promote(V110, [], Actor, at);

        // Clone 1.3.0 as 1.4.0 (needs the used numbers), then edit 1.3.0's content.
        var clone = (await (await ReopenAsync(stores)).Integrations.FindForCommandAsync(integration.Id, ItemSelection.Of(K(V130), K(V140)).WithUsedNumbers()))!;
        clone.CreateVersion(V140, null, V130, true, Actor, at);
        clone.EditContent(V130, Workflow("Edited", "Four"), 0, 1, Actor, at);
        await stores.Integrations.SaveAsync(clone);
        expected.CreateVersion(V140, null, V130, true, Actor, at);
        expected.EditContent(V130, Workflow("Edited", "Four"), 0, 1, Actor, at);

        var stored = (await (await ReopenAsync(stores)).Integrations.FindAsync(integration.Id))!;
        Assert.Equal(3, stored.Revision);
        Assert.Equal(Describe(expected.ToSnapshot() with { Revision = stored.Revision }), Describe(stored.ToSnapshot()));
        Assert.Equal(Workflow("Promoted", "One"), stored.GetVersion(V100).Content);
        Assert.Equal(VersionState.Available, stored.GetVersion(V100).StoredState);
        Assert.Equal([V100, V110, V120, V130, V140], stored.UsedNumbers.Order());
    }

    /// <summary>Z1 holds on a partial copy: a number used by a version it did not load is refused, never reused.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_FindForCommand_CreateOverANumberInUse_IsRefused_Z1()
    {
        await using var stores = await CreateStoresAsync();
        var integration = FourVersions();
        await stores.Integrations.SaveAsync(integration);

        foreach (var number in new[] { V120, V130 })
        {
            var loaded = (await stores.Integrations.FindForCommandAsync(integration.Id, ItemSelection.Of(K(number)).WithUsedNumbers()))!;
            Assert.Equal("Z1", Assert.Throws<VersioningRuleException>(() => loaded.CreateVersion(number, WorkflowDefinition.Empty, null, false, Actor, T0)).RuleId);
        }

        // A store that loads only what is selected refuses to guess the numbers it did not load (the default loads them all).
        var withoutNumbers = (await stores.Integrations.FindForCommandAsync(integration.Id, ItemSelection.Of(K(V900))))!;
        if (!withoutNumbers.Loaded.UsedNumbers)
        {
            Assert.Throws<InvalidOperationException>(() => withoutNumbers.CreateVersion(V900, WorkflowDefinition.Empty, null, false, Actor, T0));
        }
    }

    /// <summary>X3 holds for partial copies: of two copies loaded at one revision, the second save is a conflict and writes nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_FindForCommand_StaleSave_ThrowsConflictAndWritesNothing_X3()
    {
        await using var stores = await CreateStoresAsync();
        var integration = FourVersions();
        await stores.Integrations.SaveAsync(integration);
        var first = (await stores.Integrations.FindForCommandAsync(integration.Id, ItemSelection.Of(K(V110))))!;
        var second = (await stores.Integrations.FindForCommandAsync(integration.Id, ItemSelection.Of(K(V130))))!;
        first.SetNotes(V110, "first wins", Actor, T0);
        await stores.Integrations.SaveAsync(first);
        var stored = (await stores.Integrations.FindAsync(integration.Id))!;
        var eventsBefore = (await ReadAllEventsAsync(stores)).Count;

        second.SetNotes(V130, "second loses", Actor, T0);
        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Integrations.SaveAsync(second));
        Assert.Equal((1L, 2L), (ex.ExpectedRevision, ex.ActualRevision));
        Assert.Equal(Describe(stored.ToSnapshot()), Describe((await stores.Integrations.FindAsync(integration.Id))!.ToSnapshot()));
        Assert.Equal(eventsBefore, (await ReadAllEventsAsync(stores)).Count);
    }
}
