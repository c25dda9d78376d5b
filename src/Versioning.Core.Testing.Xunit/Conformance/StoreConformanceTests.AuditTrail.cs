using Versioning.Core.Auditing;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Xunit;
using Versioning.Core.Aggregates;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>
    /// A load for a command (<see cref="IIntegrationRepository.FindWithoutAuditTrailAsync"/>) holds everything a whole load
    /// holds except a prefix of the history, which it counts in <see cref="AggregateRoot.AuditTrailStart"/>; a command on
    /// it, saved, appends its entry after the whole stored history (T14, Z17: entries are never changed or removed).
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_FindWithoutAuditTrail_LeavesOutOnlyTheHistory_AndSaveAppendsAfterIt_Z17()
    {
        await using var stores = await CreateStoresAsync();
        var integration = Integration.Create(IntegrationId.New(), "Trail " + Tricky, Actor, T0);
        integration.CreateVersion(V100, Workflow(), null, true, Actor, T0);
        integration.SetNotes(V100, Tricky, Actor, T0.PlusTicks(1));
        integration.Promote(V100, [], Actor, T0.PlusTicks(2));
        integration.CreateVersion(V110, null, V100, true, Actor, T0.PlusTicks(3));
        await stores.Integrations.SaveAsync(integration);
        var before = (await stores.Integrations.FindAsync(integration.Id))!.ToSnapshot();
        var eventsBefore = (await ReadAllEventsAsync(stores)).Count;

        var light = await (await ReopenAsync(stores)).Integrations.FindWithoutAuditTrailAsync(integration.Id);
        Assert.NotNull(light);
        AssertTrailSuffix(before.AuditTrail, light.AuditTrailStart, light.AuditTrail);
        var lightSnapshot = light.ToSnapshot();
        Assert.Equal(Describe(before with { AuditTrail = [], AuditTrailStart = 0 }), Describe(lightSnapshot with { AuditTrail = [], AuditTrailStart = 0 }));

        var recorded = light.AuditTrail.Count;
        light.Promote(V110, [], Actor, T0.PlusTicks(4));
        var added = light.AuditTrail.Skip(recorded).ToList();
        await stores.Integrations.SaveAsync(light);

        var after = (await stores.Integrations.FindAsync(integration.Id))!;
        Assert.Equal(0, after.AuditTrailStart);
        Assert.Equal(before.AuditTrail, after.AuditTrail.Take(before.AuditTrail.Length));
        Assert.Equal(added, after.AuditTrail.Skip(before.AuditTrail.Length));
        Assert.Contains(added, e => e.Action == AuditAction.Promoted && e.Subject == V110.ToString() && e.SubjectKey == VersionKey.ForVersion(V110));
        Assert.All(after.AuditTrail, e => Assert.Equal(e.Subject is null, e.SubjectKey is null)); // the typed subject reads back (A4)
        Assert.Equal(V110, after.PromotedVersion?.Number);
        Assert.Equal(eventsBefore + added.Count, (await ReadAllEventsAsync(stores)).Count);

        // Loaded again without its trail, it counts the new entry too.
        var again = (await stores.Integrations.FindWithoutAuditTrailAsync(integration.Id))!;
        AssertTrailSuffix([.. after.AuditTrail], again.AuditTrailStart, again.AuditTrail);
    }

    /// <summary>X3 holds for copies loaded without their trail: the second of two concurrent saves is a conflict and writes nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_FindWithoutAuditTrail_StaleSave_ThrowsConflictAndWritesNothing_X3()
    {
        await using var stores = await CreateStoresAsync();
        var integration = Integration.Create(IntegrationId.New(), "Stale trail", Actor, T0);
        integration.CreateVersion(V100, null, null, true, Actor, T0);
        await stores.Integrations.SaveAsync(integration);
        var first = (await stores.Integrations.FindWithoutAuditTrailAsync(integration.Id))!;
        var second = (await stores.Integrations.FindWithoutAuditTrailAsync(integration.Id))!;
        first.CreateVersion(V110, null, null, true, Actor, T0);
        await stores.Integrations.SaveAsync(first);
        var stored = (await stores.Integrations.FindAsync(integration.Id))!;
        var eventsBefore = (await ReadAllEventsAsync(stores)).Count;

        second.CreateVersion(V120, null, null, false, Actor, T0);
        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Integrations.SaveAsync(second));
        Assert.Equal((1L, 2L), (ex.ExpectedRevision, ex.ActualRevision));
        Assert.Equal(Describe(stored.ToSnapshot()), Describe((await stores.Integrations.FindAsync(integration.Id))!.ToSnapshot()));
        Assert.Equal(eventsBefore, (await ReadAllEventsAsync(stores)).Count);
    }

    /// <summary>
    /// Z15 over several revisions, on a copy loaded without its history: a deleted version is gone after the save, its
    /// number stays taken, and the history keeps its entries and gains the deletion.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_DeleteVersionInALaterSave_IsGoneAndItsHistoryStays_Z15()
    {
        await using var stores = await CreateStoresAsync();
        var integration = Integration.Create(IntegrationId.New(), "Deletes", Actor, T0);
        integration.CreateVersion(V100, Workflow(), null, true, Actor, T0);
        integration.CreateVersion(V110, null, V100, true, Actor, T0);
        await stores.Integrations.SaveAsync(integration);
        var created = integration.AuditTrail.ToList();

        var light = (await stores.Integrations.FindWithoutAuditTrailAsync(integration.Id))!;
        light.DeleteVersion(V110, 0, Actor, T0.PlusTicks(1));
        light.SetNotes(V100, "Kept.", Actor, T0.PlusTicks(2));
        await stores.Integrations.SaveAsync(light);

        var loaded = (await (await ReopenAsync(stores)).Integrations.FindAsync(integration.Id))!;
        Assert.Equal([V100], loaded.Versions.Select(v => v.Number));
        Assert.Equal("Kept.", loaded.GetVersion(V100).Notes);
        Assert.Contains(V110, loaded.UsedNumbers);
        Assert.Equal(created, loaded.AuditTrail.Take(created.Count));
        Assert.Equal([AuditAction.Deleted, AuditAction.NotesChanged], loaded.AuditTrail.Skip(created.Count).Select(e => e.Action));
    }

    /// <summary>Loading an unknown integration or template without its trail returns null, as a whole load does.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task FindWithoutAuditTrail_Unknown_ReturnsNull()
    {
        await using var stores = await CreateStoresAsync();
        Assert.Null(await stores.Integrations.FindWithoutAuditTrailAsync(IntegrationId.New()));
        Assert.Null(await stores.Templates.FindWithoutAuditTrailAsync(TemplateId.New()));
    }

    /// <summary>
    /// The template counterpart (T14): a copy loaded without its audit trail holds every release as stored; a promotion on
    /// it, saved, appends "promoted" and "deprecated" after the whole stored trail.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Template_FindWithoutAuditTrail_LeavesOutOnlyTheTrail_AndSaveAppendsAfterIt_T14()
    {
        await using var stores = await CreateStoresAsync();
        var template = Template.Create(TemplateId.New(), "Trail " + Tricky, Actor, T0);
        template.CreateDraft(Workflow(), Actor, T0);
        template.SetNotes(R(1), Tricky, Actor, T0.PlusTicks(1));
        template.Promote(R(1), Actor, T0.PlusTicks(2));
        template.CreateDraft(null, Actor, T0.PlusTicks(3));
        await stores.Templates.SaveAsync(template);
        var before = (await stores.Templates.FindAsync(template.Id))!.ToSnapshot();

        var light = await (await ReopenAsync(stores)).Templates.FindWithoutAuditTrailAsync(template.Id);
        Assert.NotNull(light);
        AssertTrailSuffix(before.AuditTrail, light.AuditTrailStart, light.AuditTrail);
        Assert.Equal(Describe(before with { AuditTrail = [], AuditTrailStart = 0 }), Describe(light.ToSnapshot() with { AuditTrail = [], AuditTrailStart = 0 }));

        var recorded = light.AuditTrail.Count;
        light.Promote(R(2), Actor, T0.PlusTicks(4));
        var added = light.AuditTrail.Skip(recorded).ToList();
        await stores.Templates.SaveAsync(light);

        var after = (await stores.Templates.FindAsync(template.Id))!;
        Assert.Equal(0, after.AuditTrailStart);
        Assert.Equal(before.AuditTrail, after.AuditTrail.Take(before.AuditTrail.Length));
        Assert.Equal(added, after.AuditTrail.Skip(before.AuditTrail.Length));
        Assert.Contains(added, e => e.Action == AuditAction.Promoted);
        Assert.Equal(R(2), after.LiveRelease?.Number);
    }

    /// <summary>Checks that <paramref name="trail"/> is <paramref name="whole"/> from <paramref name="start"/> on.</summary>
    private static void AssertTrailSuffix(IReadOnlyList<AuditEntry> whole, int start, IReadOnlyList<AuditEntry> trail)
    {
        Assert.InRange(start, 0, whole.Count);
        Assert.Equal(whole.Count - start, trail.Count);
        Assert.Equal(whole.Skip(start), trail);
    }
}
