using NodaTime;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Xunit;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    private static readonly VersionNumber V100 = new(1, 0, 0);
    private static readonly VersionNumber V110 = new(1, 1, 0);
    private static readonly VersionNumber V120 = new(1, 2, 0);

    /// <summary>A saved integration reads back exactly: team, shares, numbers, versions, deprecation, warnings, history.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_SaveAndFind_RoundTripsEveryField()
    {
        await using var stores = await CreateStoresAsync();
        var window = new DeprecationWindow(21, 365, DateTimeZone.Utc);
        var integration = Integration.Create(IntegrationId.New(), "App " + Tricky, Actor, T0);
        integration.AddTeamMember(new ActorId("second " + Tricky), Actor, T0);
        integration.CreateVersion(V100, Workflow(), null, true, Actor, T0);
        integration.SetNotes(V100, Tricky, Actor, T0);
        integration.Promote(V100, [new ReleaseNotesPresentCheck()], Actor, T0.PlusTicks(1));
        integration.CreateVersion(V110, null, V100, true, Actor, T0.PlusTicks(2));
        integration.CreateVersion(new VersionNumber(1, 2, 0, "beta-1"), null, null, true, Actor, T0.PlusTicks(3));
        integration.Share(V110, new ActorId("guest " + Tricky), Actor, T0);
        integration.Share(null, new ActorId("everything"), Actor, T0);
        integration.Promote(V110, [new WarnCheck()], Actor, T0.PlusTicks(4));
        integration.MarkLegacy(V100, Actor, T0.PlusTicks(5));
        integration.CreateVersion(V120, null, null, true, Actor, T0.PlusTicks(6));
        integration.Deprecate(V100, LocalDate.FromDateTime(T0.ToDateTimeUtc()).PlusDays(30), DeprecationReason.Other, "Replaced; see \"2.0\"", 0, window, Actor, T0.PlusTicks(7));
        integration.DeleteVersion(V120, 0, Actor, T0.PlusTicks(8));
        await stores.Integrations.SaveAsync(integration);

        Assert.Equal(1, integration.Revision);
        var loaded = await (await ReopenAsync(stores)).Integrations.FindAsync(integration.Id);
        Assert.NotNull(loaded);
        Assert.Equal(Describe(integration.ToSnapshot()), Describe(loaded.ToSnapshot()));
        Assert.Equal(V110, loaded.PromotedVersion?.Number);
        Assert.Contains(V120, loaded.UsedNumbers);
    }

    /// <summary>X3: a stale integration save is a conflict and writes nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_SaveStaleRevision_ThrowsConflictAndWritesNothing_X3()
    {
        await using var stores = await CreateStoresAsync();
        var integration = Integration.Create(IntegrationId.New(), "Stale", Actor, T0);
        await stores.Integrations.SaveAsync(integration);
        var first = (await stores.Integrations.FindAsync(integration.Id))!;
        var second = (await stores.Integrations.FindAsync(integration.Id))!;
        first.CreateVersion(V100, null, null, true, Actor, T0);
        await stores.Integrations.SaveAsync(first);
        var eventsBefore = (await ReadAllEventsAsync(stores)).Count;

        second.CreateVersion(new VersionNumber(2, 0, 0), null, null, false, Actor, T0);
        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Integrations.SaveAsync(second));
        Assert.Equal((1L, 2L), (ex.ExpectedRevision, ex.ActualRevision));
        var stored = (await stores.Integrations.FindAsync(integration.Id))!;
        Assert.Equal([V100], stored.Versions.Select(v => v.Number));
        Assert.Equal(eventsBefore, (await ReadAllEventsAsync(stores)).Count);
    }

    /// <summary>Concurrent promotions of different versions of one integration: one wins per revision, and exactly one version ends up Promoted (Z7, X3).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_ConcurrentPromotions_ExactlyOnePromoted_Z7_X3()
    {
        await using var stores = await CreateStoresAsync();
        var integration = Integration.Create(IntegrationId.New(), "Race", Actor, T0);
        var numbers = Enumerable.Range(0, ConcurrentWriters).Select(i => new VersionNumber(1, 0, i)).ToList();
        foreach (var n in numbers)
        {
            integration.CreateVersion(n, null, null, true, Actor, T0);
        }

        await stores.Integrations.SaveAsync(integration);
        var conflicts = 0;
        await Task.WhenAll(numbers.Select(n => Task.Run(() => RetryOnConflictAsync(async () =>
        {
            var copy = (await stores.Integrations.FindAsync(integration.Id))!;
            copy.Promote(n, [], Actor, T0);
            try
            {
                await stores.Integrations.SaveAsync(copy);
            }
            catch (ConcurrencyConflictException)
            {
                Interlocked.Increment(ref conflicts);
                throw;
            }

            return true;
        }))));

        var final = (await stores.Integrations.FindAsync(integration.Id))!;
        Assert.Single(final.Versions, v => v.StoredState == VersionState.Promoted);
        Assert.Equal(numbers.Count - 1, final.Versions.Count(v => v.StoredState == VersionState.Available));
        Assert.Equal(numbers.Count + 1, final.Revision);
        Assert.Equal(numbers.Count, final.AuditTrail.Count(e => e.Action == Auditing.AuditAction.Promoted));
    }

    /// <summary>Z8: a promotion warning keeps the check that raised it after a reload, on a later save too.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Integration_PromotionWarnings_KeepTheirCheckAfterReload_Z8()
    {
        await using var stores = await CreateStoresAsync();
        var integration = Integration.Create(IntegrationId.New(), "Warned", Actor, T0);
        integration.CreateVersion(V100, null, null, true, Actor, T0);
        integration.Promote(V100, [new WarnCheck(), new WarnCheck("Second check")], Actor, T0.PlusTicks(1));
        await stores.Integrations.SaveAsync(integration);

        var loaded = (await (await ReopenAsync(stores)).Integrations.FindAsync(integration.Id))!;
        loaded.SetNotes(V100, "Later notes.", Actor, T0.PlusTicks(2));
        await stores.Integrations.SaveAsync(loaded);
        var reloaded = (await (await ReopenAsync(stores)).Integrations.FindAsync(integration.Id))!;

        var warnings = reloaded.GetVersion(V100).PromotionWarnings;
        Assert.Equal(2, warnings.Length);
        Assert.Equal(("Warn", PromotionSeverity.Warning, "Heads up: " + Tricky), (warnings[0].Check, warnings[0].Severity, warnings[0].Message));
        Assert.Equal("Second check", warnings[1].Check);
    }

    /// <summary>Integrations are listed by name with their Promoted version.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Integration_List_OrderedByNameWithPromotedVersion()
    {
        await using var stores = await CreateStoresAsync();
        var zeta = Integration.Create(IntegrationId.New(), "Zeta", Actor, T0);
        zeta.CreateVersion(V100, null, null, true, Actor, T0);
        zeta.Promote(V100, [], Actor, T0);
        await stores.Integrations.SaveAsync(zeta);
        await stores.Integrations.SaveAsync(Integration.Create(IntegrationId.New(), "Eta", Actor, T0));

        var list = await stores.Integrations.ListAsync();
        Assert.Equal(["Eta", "Zeta"], list.Select(i => i.Name));
        Assert.Equal(V100, list[1].PromotedVersion);
        Assert.Equal(1, list[1].VersionCount);
    }

    private sealed class WarnCheck(string name = "Warn") : IPromotionCheck
    {
        public string Name => name;

        public IEnumerable<PromotionFinding> Check(Integration integration, IntegrationVersion candidate, IntegrationVersion? current)
            => [new PromotionFinding(Name, PromotionSeverity.Warning, "Heads up: " + Tricky)];
    }
}
