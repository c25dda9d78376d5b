using NodaTime;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Xunit;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>K1, K2: a started canary reads back exactly (terms, scope, instants to the tick) and routes the same runs after the reload.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Canary_StartedAndSaved_RoundTripsExactlyAndRoutesTheSame_K1_K2()
    {
        await using var stores = await CreateStoresAsync();
        var integration = CanaryIntegration();
        var canary = integration.StartCanary(V100, V110, 37, Duration.FromSeconds(5_400) + Duration.FromTicks(3), CanaryScope.ForUserInAccount("user " + Tricky, "account " + Tricky), true, Actor, T0.PlusTicks(10));
        await stores.Integrations.SaveAsync(integration);

        var loaded = (await (await ReopenAsync(stores)).Integrations.FindAsync(integration.Id))!;
        Assert.Equal(Describe(integration.ToSnapshot()), Describe(loaded.ToSnapshot()));
        Assert.Equal([canary], loaded.Canaries);
        var installation = CanaryInstallation(integration.Id, OwnerRef.User("user " + Tricky));
        for (var i = 0; i < 200; i++)
        {
            var key = $"run {i} {Tricky}";
            Assert.Equal(integration.Route(installation, key, "account " + Tricky, T0.PlusTicks(11)), loaded.Route(installation, key, "account " + Tricky, T0.PlusTicks(11)));
        }
    }

    /// <summary>K3, K4: deleting a canary and recording another's expiry persist across revisions; their events reach the outbox in order.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Canary_DeletedThenAnotherExpired_PersistAcrossRevisionsWithTheirEvents_K3_K4()
    {
        await using var stores = await CreateStoresAsync();
        var integration = CanaryIntegration();
        var first = integration.StartCanary(V100, V110, 10, Duration.FromHours(1), CanaryScope.All, true, Actor, T0.PlusTicks(10));
        await stores.Integrations.SaveAsync(integration);

        var loaded = (await stores.Integrations.FindWithoutAuditTrailAsync(integration.Id))!;
        loaded.DeleteCanary(first.Id, Actor, T0.PlusTicks(20));
        var second = loaded.StartCanary(V110, V100, 100, Duration.FromSeconds(30), CanaryScope.ForAccount("acme"), true, Actor, T0.PlusTicks(30));
        await stores.Integrations.SaveAsync(loaded);
        var again = (await (await ReopenAsync(stores)).Integrations.FindAsync(integration.Id))!;
        Assert.Equal([second], again.Canaries);
        Assert.Equal([second], again.CanariesEndedBy(second.EndsAt));

        Assert.True(again.RecordCanaryExpired(second.Id, Actor, second.EndsAt));
        await stores.Integrations.SaveAsync(again);

        var final = (await (await ReopenAsync(stores)).Integrations.FindAsync(integration.Id))!;
        Assert.Empty(final.Canaries);
        Assert.Equal(3, final.Revision);
        var types = (await ReadAllEventsAsync(stores)).Where(e => e.AggregateId == integration.Id.ToString()).Select(e => e.Type).ToList();
        Assert.Equal(["CanaryStarted", "CanaryDeleted", "CanaryStarted", "CanaryExpired"], types.Where(t => t.StartsWith("Canary", StringComparison.Ordinal)));
    }

    /// <summary>K1, X3: two copies starting a canary at once: one saves, the other is a conflict, so never two active canaries.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Canary_TwoStartsFromTheSameRevision_OneWinsTheOtherConflicts_K1()
    {
        await using var stores = await CreateStoresAsync();
        var integration = CanaryIntegration();
        await stores.Integrations.SaveAsync(integration);
        var a = (await stores.Integrations.FindWithoutAuditTrailAsync(integration.Id))!;
        var b = (await stores.Integrations.FindWithoutAuditTrailAsync(integration.Id))!;
        var winner = a.StartCanary(V100, V110, 10, Duration.FromHours(1), CanaryScope.All, true, Actor, T0.PlusTicks(10));
        b.StartCanary(V110, V100, 10, Duration.FromHours(1), CanaryScope.All, true, Actor, T0.PlusTicks(10));

        await stores.Integrations.SaveAsync(a);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stores.Integrations.SaveAsync(b));

        Assert.Equal([winner], (await stores.Integrations.FindAsync(integration.Id))!.Canaries);
    }

    // 1.0.0 Available and 1.1.0 Promoted, same content: each a valid canary target for the other.
    private static Integration CanaryIntegration()
    {
        var integration = Integration.Create(IntegrationId.New(), "Canary " + Tricky, Actor, T0);
        integration.CreateVersion(V100, Workflow(), null, true, Actor, T0);
        integration.SetNotes(V100, "notes", Actor, T0);
        integration.Promote(V100, [], Actor, T0.PlusTicks(1));
        integration.CreateVersion(V110, null, V100, true, Actor, T0.PlusTicks(2));
        integration.Promote(V110, [], Actor, T0.PlusTicks(3));
        return integration;
    }

    private static Installation CanaryInstallation(IntegrationId id, OwnerRef owner) => new()
    {
        Id = InstallationId.New(),
        Product = ProductRef.Of(id),
        Owner = owner,
        Pinned = VersionKey.ForVersion(V100),
        Status = RunStatus.Running,
        CreatedAt = T0,
        UpdatedAt = T0,
    };
}
