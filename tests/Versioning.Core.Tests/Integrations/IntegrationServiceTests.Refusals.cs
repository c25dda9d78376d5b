using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

/// <summary>X1: a refused command changes nothing — no state, no history entry, no event, nothing saved.</summary>
public partial class IntegrationServiceTests
{
    public static TheoryData<string> RefusedCommands =>
    [
        "promote Legacy",
        "promote Deprecating",
        "promote Promoted",
        "promote labeled",
        "promote failing checks",
        "deprecate Promoted",
        "deprecate used without other Promoted",
        "deprecate bad date",
        "deprecate twice",
        "delete with installations",
        "delete Promoted",
        "edit Available",
        "edit Promoted",
        "edit over installation limit",
        "share labeled",
        "share Available",
        "legacy Promoted",
        "create existing number",
        "create without predecessor",
        "install Legacy",
        "install Private as outsider",
        "remove last team member",
        "outsider promotes",
    ];

    [Theory]
    [MemberData(nameof(RefusedCommands))]
    public async Task RefusedCommand_ChangesNothing_X1(string command)
    {
        var id = await _h.EveryStateAsync();
        await _h.CreateAsync(id, "2.0.0", Workflow(("Salesforce", "NewLead")), notes: null);
        await _h.CreateAsync(id, "1.4.1");
        await _h.InstallManyAsync(id, "1.4.1", _h.Options.EditInstallationLimit);
        await _h.InstallAsync(id, "1.0.0", Owner, "pinned-to-available");
        var other = await _h.NewIntegrationAsync("Unpromoted");
        await _h.CreateAsync(other, "1.0.0");
        await _h.InstallAsync(other, "1.0.0", Owner, "pinned-to-private");

        var storedBefore = _h.Stored(id);
        var otherBefore = _h.Stored(other);
        var loadedBefore = (await _h.LoadAsync(id)).ToSnapshot();
        var eventsBefore = await _h.AllEventsAsync();
        var installationsBefore = await _h.Installations.CountByVersionAsync(ProductRef.Of(id));

        Func<Task> act = command switch
        {
            "promote Legacy" => () => _h.PromoteAsync(id, "1.2.0"),
            "promote Deprecating" => () => _h.PromoteAsync(id, "1.3.0"),
            "promote Promoted" => () => _h.PromoteAsync(id, "1.1.0"),
            "promote labeled" => () => _h.PromoteAsync(id, "1.5.0-beta"),
            "promote failing checks" => () => _h.PromoteAsync(id, "2.0.0"),
            "deprecate Promoted" => () => _h.DeprecateAsync(id, "1.1.0", 30),
            "deprecate used without other Promoted" => () => _h.DeprecateAsync(other, "1.0.0", 30),
            "deprecate bad date" => () => _h.DeprecateAsync(id, "1.0.0", 20),
            "deprecate twice" => () => _h.DeprecateAsync(id, "1.3.0", 40),
            "delete with installations" => () => _h.Service.DeleteVersionAsync(id, V("1.0.0"), Owner),
            "delete Promoted" => () => _h.Service.DeleteVersionAsync(id, V("1.1.0"), Owner),
            "edit Available" => () => _h.Service.EditContentAsync(id, V("1.0.0"), Workflow(("X", "Y")), Owner),
            "edit Promoted" => () => _h.Service.EditContentAsync(id, V("1.1.0"), Workflow(("X", "Y")), Owner),
            "edit over installation limit" => () => _h.Service.EditContentAsync(id, V("1.4.1"), Workflow(("X", "Y")), Owner),
            "share labeled" => () => _h.Service.ShareAsync(id, V("1.5.0-beta"), Outsider, Owner),
            "share Available" => () => _h.Service.ShareAsync(id, V("1.0.0"), Outsider, Owner),
            "legacy Promoted" => () => _h.MarkLegacyAsync(id, "1.1.0"),
            "create existing number" => () => _h.Service.CreateVersionAsync(id, V("1.4.0"), null, Owner),
            "create without predecessor" => () => _h.Service.CloneVersionAsync(id, V("1.0.0"), V("4.0.0"), Owner),
            "install Legacy" => () => _h.InstallAsync(id, "1.2.0", Owner, "new-account"),
            "install Private as outsider" => () => _h.InstallAsync(id, "1.4.0", Outsider, "new-account"),
            "remove last team member" => () => _h.Service.RemoveTeamMemberAsync(id, Owner, Owner),
            "outsider promotes" => () => _h.Service.PromoteAsync(id, V("1.0.0"), Outsider),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };

        var ex = await Record.ExceptionAsync(act);

        Assert.NotNull(ex);
        Assert.True(
            ex is VersioningException or ArgumentException,
            $"{command}: unexpected {ex.GetType().Name}: {ex.Message}");
        // Nothing saved: the store holds the very same snapshots and revisions.
        Assert.Same(storedBefore, _h.Stored(id));
        Assert.Same(otherBefore, _h.Stored(other));
        // Nothing changed: versions, history and numbers as loaded are the same.
        var loadedAfter = (await _h.LoadAsync(id)).ToSnapshot();
        Assert.Equal(loadedBefore.Revision, loadedAfter.Revision);
        Assert.Equal(loadedBefore.Versions.ToArray(), loadedAfter.Versions.ToArray());
        Assert.Equal(loadedBefore.AuditTrail.Length, loadedAfter.AuditTrail.Length);
        Assert.Equal(loadedBefore.AuditTrail.ToArray(), loadedAfter.AuditTrail.ToArray());
        Assert.Equal(loadedBefore.UsedNumbers, loadedAfter.UsedNumbers);
        Assert.Equal(loadedBefore.Team, loadedAfter.Team);
        Assert.Equal(loadedBefore.SharedWithAllVersions, loadedAfter.SharedWithAllVersions);
        // No event and no installation.
        Assert.Equal(eventsBefore, await _h.AllEventsAsync());
        Assert.Equal(installationsBefore, await _h.Installations.CountByVersionAsync(ProductRef.Of(id)));
    }

    [Fact]
    public async Task RefusedPromotion_ByFailingChecks_LeavesPreviousPromotedUntouched_X1()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.PromoteAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.1.0", notes: null);
        var before = (await _h.LoadAsync(id)).ToSnapshot();
        var revision = _h.Stored(id).Revision;
        var events = _h.Store.EventCount;

        await RefusedAsync("Z8", () => _h.PromoteAsync(id, "1.1.0"));

        var after = (await _h.LoadAsync(id)).ToSnapshot();
        Assert.Equal(before.Versions.ToArray(), after.Versions.ToArray());
        Assert.Equal(before.AuditTrail.Length, after.AuditTrail.Length);
        Assert.Equal(revision, _h.Stored(id).Revision);
        Assert.Equal(events, _h.Store.EventCount);
        Assert.Equal(VersionState.Promoted, after.Versions.Single(v => v.Number == V("1.0.0")).StoredState);
    }
}
