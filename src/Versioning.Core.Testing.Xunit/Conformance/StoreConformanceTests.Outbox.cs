using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Xunit;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>
    /// X4: every save stores its events atomically with the aggregate; readers page through them in strictly increasing
    /// positions with none lost or duplicated, each stamped with the revision its save produced.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Outbox_EventsSavedWithAggregates_ReadInOrderNoneLostOrDuplicated_X4()
    {
        await using var stores = await CreateStoresAsync();
        var template = Template.Create(TemplateId.New(), "Outbox", Actor, T0);
        template.CreateDraft(Workflow(), Actor, T0);
        var expected = template.PendingEvents.Select(e => (e.Type, e.Subject, e.Details)).ToList();
        await stores.Templates.SaveAsync(template);
        template.Promote(R(1), Actor, T0.PlusTicks(3));
        expected.AddRange(template.PendingEvents.Select(e => (e.Type, e.Subject, e.Details)));
        await stores.Templates.SaveAsync(template);
        var integration = Integration.Create(IntegrationId.New(), Tricky, Actor, T0);
        expected.AddRange(integration.PendingEvents.Select(e => (e.Type, e.Subject, e.Details)));
        await stores.Integrations.SaveAsync(integration);
        var installation = NewInstallation(ProductRef.Of(template.Id), VersionKey.ForRelease(R(1)), "owner");
        var installed = InstallationEvents.Installed(installation, Actor, T0);
        expected.Add((installed.Type, installed.Subject, installed.Details));
        await stores.Installations.SaveAsync(installation, installed);

        var events = await ReadAllEventsAsync(await ReopenAsync(stores));
        Assert.Equal(expected, events.Select(e => (e.Type, e.Subject, e.Details)));
        Assert.Equal(events.Count, events.Select(e => e.Position).Distinct().Count());
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Position < p.Second.Position));
        Assert.Equal([1L, 1L, 2L], events.Where(e => e.AggregateKind == "Template").Select(e => e.AggregateRevision));
        Assert.All(events, e => Assert.Equal(Actor, e.Actor));
        Assert.Equal(T0.PlusTicks(3), events.Single(e => e.Type == Events.DomainEventTypes.Promoted).At);

        var tail = await stores.Events.ReadAsync(events[^2].Position, 10);
        Assert.Equal([events[^1].Position], tail.Select(e => e.Position));
        Assert.Empty(await stores.Events.ReadAsync(events[^1].Position, 10));
    }

    /// <summary>Reading with bad arguments is refused with the parameter name.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Outbox_ReadBadArguments_Throws_X6()
    {
        await using var stores = await CreateStoresAsync();
        Assert.Equal("afterPosition", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stores.Events.ReadAsync(-1, 10))).ParamName);
        Assert.Equal("maxCount", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stores.Events.ReadAsync(0, 0))).ParamName);
    }
}
