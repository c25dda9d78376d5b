using System.Reflection;
using Versioning.Core.Auditing;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Templates;
using Versioning.Core.Tests.Installations;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Events;

/// <summary>X4: event type names are public constants, defined once and used by the events themselves.</summary>
public class DomainEventTypesTests
{
    private static readonly string[] Constants = [.. typeof(DomainEventTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    [Fact]
    public void EveryAuditAction_HasTheConstantOfItsOwnName_X4()
    {
        foreach (var action in Enum.GetValues<AuditAction>())
        {
            var type = DomainEventTypes.For(action);
            Assert.Equal(action.ToString(), type);
            Assert.Contains(type, Constants);
            // No allocation per event: the same interned constant every time.
            Assert.Same(string.IsInterned(type), type);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => DomainEventTypes.For((AuditAction)999));
    }

    [Fact]
    public void All_ListsEveryConstantOnce_X4()
    {
        Assert.Equal(Constants.Length, DomainEventTypes.All.Distinct().Count());
        Assert.Equal(Constants.Order(StringComparer.Ordinal), DomainEventTypes.All.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryStoredEvent_HasATypeFromTheConstants_X4()
    {
        var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        var installed = await h.InstallAsync(app, OwnerRef.User("ada"), "1.0.0");
        await h.Installations.SetStatusAsync(installed.Id, RunStatus.Running, Team);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team);
        await h.Migrations.RunAsync(job.Id, Team);
        var template = await h.NewTemplateAsync();
        await h.PromoteNewReleaseAsync(template);

        var events = await h.AllEventsAsync();

        Assert.All(events, e => Assert.Contains(e.Type, DomainEventTypes.All));
        Assert.Contains(events, e => e.Type == DomainEventTypes.Installed);
        Assert.Contains(events, e => e.Type == DomainEventTypes.InstallationChanged);
        Assert.Contains(events, e => e.Type == DomainEventTypes.MigrationStarted);
        Assert.Contains(events, e => e.Type == DomainEventTypes.InstallationsMoved);
        Assert.Contains(events, e => e.Type == DomainEventTypes.MigrationCompleted);
        Assert.Contains(events, e => e.Type == DomainEventTypes.InstallationsUpgraded);
        Assert.Contains(events, e => e.Type == DomainEventTypes.Promoted);
    }

    [Fact]
    public void EventsDoc_ListsEveryType_X4()
    {
        var doc = File.ReadAllText(Path.Combine(Docs.RepositoryRoot.Path, "docs", "events.md"));

        Assert.All(DomainEventTypes.All, type => Assert.Contains($"| `{type}` |", doc, StringComparison.Ordinal));
    }
}
