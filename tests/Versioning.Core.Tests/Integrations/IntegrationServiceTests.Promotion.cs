using NodaTime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.Auditing;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Integrations;
using Versioning.Core.Testing;
using Versioning.Core.Services;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

public partial class IntegrationServiceTests
{
    [Fact]
    public async Task Promote_Private_BecomesPromotedAndLocked_Z7()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");

        var result = await _h.PromoteAsync(id, "1.0.0");

        Assert.Equal(VersionState.Promoted, result.Version.StoredState);
        Assert.Null(result.Previous);
        Assert.Empty(result.Warnings);
        var integration = await _h.LoadAsync(id);
        Assert.Equal(V("1.0.0"), integration.PromotedVersion!.Number);
        Assert.True(integration.HasPromoted);
        Assert.Equal(_h.Now, integration.PromotedVersion.PromotedAt);
        await RefusedAsync("Z7", () => _h.Service.EditContentAsync(id, V("1.0.0"), Workflow(("X", "Y")), Owner));
    }

    [Fact]
    public async Task Promote_PreviousPromotedBecomesAvailable_Z7()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.1.0");
        await _h.PromoteAsync(id, "1.0.0");
        var revisionBefore = _h.Stored(id).Revision;
        var eventsBefore = _h.Store.EventCount;

        var result = await _h.PromoteAsync(id, "1.1.0");

        Assert.Equal(V("1.0.0"), result.Previous);
        Assert.Equal(VersionState.Available, await StateNowAsync(id, "1.0.0"));
        Assert.Equal(VersionState.Promoted, await StateNowAsync(id, "1.1.0"));
        // One save: both changes are in the same revision, with their events stored together.
        Assert.Equal(revisionBefore + 1, _h.Stored(id).Revision);
        var events = (await _h.AllEventsAsync()).Skip((int)eventsBefore).ToList();
        Assert.Equal(["Demoted", "Promoted"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(revisionBefore + 1, e.AggregateRevision));
        Assert.Equal(["1.0.0", "1.1.0"], events.Select(e => e.Subject));
    }

    [Fact]
    public async Task Promote_AvailableVersion_RollsBack_Z7()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.1.0");
        await _h.PromoteAsync(id, "1.0.0");
        await _h.PromoteAsync(id, "1.1.0");

        var result = await _h.PromoteAsync(id, "1.0.0");

        Assert.Equal(V("1.1.0"), result.Previous);
        Assert.Equal(VersionState.Promoted, await StateNowAsync(id, "1.0.0"));
        Assert.Equal(VersionState.Available, await StateNowAsync(id, "1.1.0"));
        Assert.Equal(1, await PromotedCountAsync(id, _h.Now));
    }

    [Fact]
    public async Task Promote_OnlyOnePromotedAtATime_Z7()
    {
        var id = await _h.NewIntegrationAsync();
        foreach (var n in new[] { "1.0.0", "1.0.1", "1.0.2", "1.1.0" })
        {
            await _h.CreateAsync(id, n);
            await _h.PromoteAsync(id, n);
            Assert.Equal(1, await PromotedCountAsync(id, _h.Now));
            Assert.Equal(V(n), (await _h.LoadAsync(id)).PromotedVersion!.Number);
        }

        var states = (await _h.LoadAsync(id)).Versions.Select(v => v.StoredState).ToList();
        Assert.Equal([VersionState.Available, VersionState.Available, VersionState.Available, VersionState.Promoted], states);
    }

    [Theory]
    [InlineData("1.1.0", "Z7", "Promoted")]
    [InlineData("1.2.0", "Z11", "Legacy")]
    [InlineData("1.3.0", "Z12", "Deprecating")]
    public async Task Promote_FromForbiddenState_Refused_Z7(string number, string rule, string state)
    {
        var id = await _h.EveryStateAsync();

        var ex = await RefusedAsync(rule, () => _h.PromoteAsync(id, number));

        Assert.Equal(state, ex.State);
        Assert.Equal(V("1.1.0"), (await _h.LoadAsync(id)).PromotedVersion!.Number);
    }

    [Fact]
    public async Task Promote_Deprecated_Refused_Z7()
    {
        var id = await _h.EveryStateAsync();
        _h.Clock.AdvanceDays(30);

        var ex = await RefusedAsync("Z12", () => _h.PromoteAsync(id, "1.3.0"));

        Assert.Equal("Deprecated", ex.State);
    }

    [Fact]
    public async Task Promote_MissingNotes_Refused_Z8()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0", notes: null);

        var ex = await RefusedAsync("Z8", () => _h.PromoteAsync(id, "1.0.0"));

        var problem = Assert.Single(ex.Problems);
        Assert.Contains("ReleaseNotesPresent", problem);
        Assert.Equal(VersionState.Private, await StateNowAsync(id, "1.0.0"));
    }

    [Fact]
    public async Task Promote_WhitespaceNotes_Refused_Z8()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0", notes: " \n\t ");

        await RefusedAsync("Z8", () => _h.PromoteAsync(id, "1.0.0"));
    }

    [Theory]
    [InlineData("1.1.0")]
    [InlineData("1.0.1")]
    public async Task Promote_RemovedConnectorWithoutMajorBump_Refused_Z8(string number)
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.PromoteAsync(id, "1.0.0");
        if (number == "1.0.1")
        {
            await _h.CreateAsync(id, "1.0.1", Workflow(("Salesforce", "NewLead")));
        }
        else
        {
            await _h.CreateAsync(id, "1.1.0", Workflow(("Salesforce", "NewLead")));
        }

        var ex = await RefusedAsync("Z8", () => _h.PromoteAsync(id, number));

        var problem = Assert.Single(ex.Problems);
        Assert.Contains("BreakingChangeNeedsMajorBump", problem);
        Assert.Contains("Gmail", problem);
        Assert.Equal(V("1.0.0"), (await _h.LoadAsync(id)).PromotedVersion!.Number);
    }

    [Fact]
    public async Task Promote_RemovedOperationWithoutMajorBump_Refused_Z8()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.PromoteAsync(id, "1.0.0");
        // Same connectors, but Gmail.SendEmail is replaced by Gmail.CreateDraft.
        await _h.CreateAsync(id, "1.1.0", Workflow(("Salesforce", "NewLead"), ("Gmail", "CreateDraft")));

        var ex = await RefusedAsync("Z8", () => _h.PromoteAsync(id, "1.1.0"));

        Assert.Contains("Gmail.SendEmail", Assert.Single(ex.Problems));
    }

    [Fact]
    public async Task Promote_BreakingChangeWithMajorBump_Accepted_Z8()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.PromoteAsync(id, "1.0.0");
        await _h.CreateAsync(id, "2.0.0", Workflow(("Salesforce", "NewLead")));

        var result = await _h.PromoteAsync(id, "2.0.0");

        Assert.Equal(VersionState.Promoted, result.Version.StoredState);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task Promote_AddedStepsOnly_IsNotBreaking_Z8()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.PromoteAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.0.1", Workflow(("Salesforce", "NewLead"), ("Gmail", "SendEmail"), ("Slack", "Post")));

        var result = await _h.PromoteAsync(id, "1.0.1");

        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task Promote_AllErrorsReportedTogether_NothingChanges_Z8()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.PromoteAsync(id, "1.0.0");
        await _h.CreateAsync(id, "1.1.0", Workflow(("Salesforce", "NewLead")), notes: null);
        var stored = _h.Stored(id);
        var events = _h.Store.EventCount;

        var ex = await RefusedAsync("Z8", () => _h.PromoteAsync(id, "1.1.0"));

        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("ReleaseNotesPresent", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("BreakingChangeNeedsMajorBump", StringComparison.Ordinal));
        Assert.All(ex.Problems, p => Assert.Contains(p, ex.Message));
        Assert.Equal("version 1.1.0", ex.Subject);
        Assert.Equal("Private", ex.State);
        Assert.Same(stored, _h.Stored(id));
        Assert.Equal(events, _h.Store.EventCount);
    }

    [Fact]
    public async Task Promote_EveryRegisteredCheckRuns_EvenAfterAnErrorFromAnother_Z8()
    {
        var first = new FindingCheck("First", PromotionSeverity.Error, "first failed");
        var second = new FindingCheck("Second", PromotionSeverity.Error, "second failed");
        var third = new FindingCheck("Third", PromotionSeverity.Warning, "third warns");
        var h = new IntegrationHarness(checks: [first, second, third]);
        var id = await h.NewIntegrationAsync();
        await h.CreateAsync(id, "1.0.0");

        var ex = await RefusedAsync("Z8", () => h.PromoteAsync(id, "1.0.0"));

        Assert.Equal(["Error [First]: first failed", "Error [Second]: second failed"], ex.Problems);
        Assert.Equal((1, 1, 1), (first.Calls, second.Calls, third.Calls));
        Assert.Equal(VersionState.Private, (await h.VersionAsync(id, "1.0.0")).StoredState);
    }

    [Fact]
    public async Task Promote_CustomCheckWarning_DoesNotBlockAndIsRecordedOnVersionAndHistory_Z8()
    {
        var clock = new FakeClock(Start);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddSingleton<IPromotionCheck>(new FindingCheck("Naming", PromotionSeverity.Warning, "names should be title case"));
        services.AddVersioning();
        using var provider = services.BuildServiceProvider();
        var service = provider.GetRequiredService<IntegrationService>();
        var id = (await service.CreateIntegrationAsync("CRM sync", Owner)).Id;
        await service.CreateVersionAsync(id, V("1.0.0"), CrmContent, Owner);
        await service.SetNotesAsync(id, V("1.0.0"), "First release.", Owner);

        var result = await service.PromoteAsync(id, V("1.0.0"), Owner);

        Assert.Equal(VersionState.Promoted, result.Version.StoredState);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("Naming", warning.Check);
        var version = (await service.GetIntegrationAsync(id, Owner)).GetVersion(V("1.0.0"));
        // The warning keeps the check that raised it (Z8).
        Assert.Equal([new PromotionFinding("Naming", PromotionSeverity.Warning, "names should be title case")], version.PromotionWarnings.ToArray());
        var history = (await service.GetIntegrationAsync(id, Owner)).AuditTrail;
        var entry = Assert.Single(history, e => e.Action == AuditAction.PromotionWarning);
        Assert.Equal("1.0.0", entry.Subject);
        Assert.Contains("names should be title case", entry.Details);
        Assert.Equal(Owner, entry.Actor);
        Assert.Equal(Start, entry.At);
        // The built-in checks are still registered and ran (both passed here).
        Assert.Equal(3, provider.GetServices<IPromotionCheck>().Count());
    }

    [Fact]
    public async Task Promote_RollbackAcrossBreakingChange_IsAWarningNotAnError_Z8()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0", Workflow(("Salesforce", "NewLead")));
        await _h.PromoteAsync(id, "1.0.0");
        await _h.CreateAsync(id, "2.0.0", Workflow(("Hubspot", "NewContact")));
        await _h.PromoteAsync(id, "2.0.0");

        var result = await _h.PromoteAsync(id, "1.0.0");

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(PromotionSeverity.Warning, warning.Severity);
        Assert.Equal([warning], (await _h.VersionAsync(id, "1.0.0")).PromotionWarnings.ToArray());
        Assert.Equal("BreakingChangeNeedsMajorBump", warning.Check);
    }

    [Fact]
    public async Task Promote_CustomCheckSeesCandidateAndCurrentPromoted_Z8()
    {
        var spy = new FindingCheck("Spy", PromotionSeverity.Warning, "seen");
        var h = new IntegrationHarness(checks: [spy]);
        var id = await h.NewIntegrationAsync();
        await h.CreateAsync(id, "1.0.0");
        await h.CreateAsync(id, "1.1.0");
        await h.PromoteAsync(id, "1.0.0");

        await h.PromoteAsync(id, "1.1.0");

        Assert.Equal([(V("1.0.0"), (VersionNumber?)null), (V("1.1.0"), V("1.0.0"))], spy.Seen);
    }

    [Fact]
    public async Task NoOperation_LeavesZeroPromotedOnceOneWasPromoted_Z9()
    {
        var id = await _h.EveryStateAsync();
        await _h.InstallAsync(id);

        await RefusedAsync("Z11", () => _h.MarkLegacyAsync(id, "1.1.0"));
        await RefusedAsync("Z12", () => _h.DeprecateAsync(id, "1.1.0", 30));
        await RefusedAsync("Z15", () => _h.Service.DeleteVersionAsync(id, V("1.1.0"), Owner));
        await RefusedAsync("Z7", () => _h.PromoteAsync(id, "1.1.0"));

        // Deleting or retiring every other version still leaves the Promoted one.
        await _h.Service.DeleteVersionAsync(id, V("1.0.0"), Owner);
        await _h.Service.DeleteVersionAsync(id, V("1.2.0"), Owner);
        await _h.MarkLegacyAsync(id, "1.4.0");
        foreach (var days in new[] { 0, 29, 30, 400 })
        {
            Assert.Equal(1, await PromotedCountAsync(id, _h.Now + Duration.FromDays(days)));
        }

        Assert.Equal(V("1.1.0"), (await _h.LoadAsync(id)).PromotedVersion!.Number);
        Assert.Equal(V("1.1.0"), (await _h.Integrations.ListAsync()).Single().PromotedVersion);
    }

    [Fact]
    public async Task Promote_WhenOnlyVersionIsPromoted_ItStaysPromotedForever_Z9()
    {
        var id = await _h.NewIntegrationAsync();
        await _h.CreateAsync(id, "1.0.0");
        await _h.PromoteAsync(id, "1.0.0");
        _h.Clock.AdvanceDays(10_000);

        Assert.Equal(1, await PromotedCountAsync(id, _h.Now));
        Assert.Equal(VersionState.Promoted, await StateNowAsync(id, "1.0.0"));
    }

    /// <summary>A custom check that always reports one finding and records what it was shown.</summary>
    private sealed class FindingCheck(string name, PromotionSeverity severity, string message) : IPromotionCheck
    {
        public string Name => name;

        public int Calls { get; private set; }

        public List<(VersionNumber Candidate, VersionNumber? Current)> Seen { get; } = [];

        public IEnumerable<PromotionFinding> Check(Integration integration, IntegrationVersion candidate, IntegrationVersion? current)
        {
            Calls++;
            Seen.Add((candidate.Number, current?.Number));
            return [new PromotionFinding(Name, severity, message)];
        }
    }
}
