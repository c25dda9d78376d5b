using FsCheck;
using FsCheck.Xunit;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Versioning.Core.Aggregates;

namespace Versioning.Core.Tests.Lifecycles;

/// <summary>
/// S4: the Stateless machine an aggregate hands out for one release or version is detached: whatever the caller fires
/// or reconfigures, the aggregate, its audit trail and its events stay as they were; its refusals are the commands'.
/// </summary>
public class AggregateStateMachineTests
{
    private static readonly ActorId Team = new("team");
    private static readonly Instant T0 = Instant.FromUtc(2026, 1, 1, 9, 0);

    [Fact]
    public void TemplateStateMachineFor_FiringEveryPermittedPath_ChangesOnlyTheMachine_S4()
    {
        var template = TemplateWithLiveAndDraft();
        var before = Observe(template);
        var machine = template.StateMachineFor(R(2), installationCount: 0);
        Assert.Equal(ReleaseState.Draft, machine.State);

        machine.Fire(ReleaseAction.EditContent);
        machine.Fire(ReleaseAction.Promote);
        machine.Fire(ReleaseAction.Supersede);
        machine.Fire(ReleaseAction.Delete);

        Assert.Equal(ReleaseState.Deprecated, machine.State);
        Assert.Equal(before, Observe(template));
        Assert.Equal(R(1), template.LiveRelease!.Number);
        Assert.Equal(ReleaseState.Draft, template.GetRelease(R(2)).State);
    }

    [Property(Arbitrary = new[] { typeof(LifecycleArbitraries) }, MaxTest = 100)]
    public void StateMachineFor_AnyReleaseOrVersionAndAnyActions_NeverChangesTheAggregate_S4(
        ReleaseAction[] releaseActions, VersionAction[] versionActions, ReleaseFacts releaseFacts, VersionFacts versionFacts)
    {
        var template = TemplateWithLiveAndDraft();
        var integration = IntegrationWithPromotedAndBeta(out var versions);
        var before = (Observe(template), Observe(integration));

        foreach (var number in new[] { 1, 2 })
        {
            var machine = template.StateMachineFor(R(number), releaseFacts.InstallationCount);
            foreach (var action in releaseActions)
            {
                FireOrRefuse(() => machine.Fire(action));
            }
        }

        foreach (var number in versions)
        {
            var machine = integration.StateMachineFor(number, T0, versionFacts.InstallationCount, versionFacts.EditInstallationLimit);
            foreach (var action in versionActions)
            {
                FireOrRefuse(() => machine.Fire(action));
            }
        }

        Assert.Equal(before, (Observe(template), Observe(integration)));

        static void FireOrRefuse(Action fire)
        {
            try
            {
                fire();
            }
            catch (VersioningRuleException)
            {
                // A refusal is one of the two allowed outcomes; either way the aggregate must not change.
            }
        }
    }

    [Fact]
    public void TemplateStateMachineFor_ReconfiguredByTheCaller_StillCannotTouchTheTemplate_S4()
    {
        var template = TemplateWithLiveAndDraft();
        var before = Observe(template);
        var machine = template.StateMachineFor(R(1), installationCount: 0);

        // A hostile caller adds a transition the lifecycle refuses (editing the Live release) and fires it.
        machine.Configure(ReleaseState.Live).Permit(ReleaseAction.EditContent, ReleaseState.Draft);
        machine.Fire(ReleaseAction.EditContent);

        Assert.Equal(ReleaseState.Draft, machine.State);
        Assert.Equal(ReleaseState.Live, template.GetRelease(R(1)).State);
        Assert.Equal(before, Observe(template));
        Assert.Equal("T3", Assert.Throws<VersioningRuleException>(() => template.EditContent(R(1), WorkflowDefinition.Empty, Team, T0)).RuleId);
    }

    [Fact]
    public void TemplateStateMachineFor_RefusedAction_RaisesTheCommandsException_S4()
    {
        var template = TemplateWithLiveAndDraft();

        AssertSameRefusal(
            () => template.EditContent(R(1), WorkflowDefinition.Empty, Team, T0),
            () => template.StateMachineFor(R(1), 0).Fire(ReleaseAction.EditContent));
        AssertSameRefusal(
            () => template.DeleteRelease(R(2), 3, Team, T0),
            () => template.StateMachineFor(R(2), 3).Fire(ReleaseAction.Delete));
        AssertSameRefusal(
            () => template.Promote(R(1), Team, T0),
            () => template.StateMachineFor(R(1), 0).Fire(ReleaseAction.Promote));
    }

    [Fact]
    public void TemplateStateMachineFor_BadArguments_AreRefusedAndChangeNothing_S4()
    {
        var template = TemplateWithLiveAndDraft();
        var before = Observe(template);

        Assert.Equal("installationCount", Assert.Throws<ArgumentOutOfRangeException>(() => template.StateMachineFor(R(2), -1)).ParamName);
        Assert.Throws<EntityNotFoundException>(() => template.StateMachineFor(R(9), 0));
        Assert.Equal(before, Observe(template));
    }

    [Fact]
    public void IntegrationStateMachineFor_FiringChangesOnlyTheMachine_AndRefusalsAreTheCommands_S4()
    {
        var integration = IntegrationWithPromotedAndBeta(out var versions);
        var (v1, beta) = (versions[0], versions[2]);
        var before = Observe(integration);

        var machine = integration.StateMachineFor(v1, T0, installationCount: 0, editInstallationLimit: 5);
        Assert.Equal(VersionState.Promoted, machine.State);
        machine.Fire(VersionAction.Demote);
        machine.Fire(VersionAction.MarkLegacy);
        machine.Fire(VersionAction.Deprecate);

        Assert.Equal(VersionState.Deprecating, machine.State);
        Assert.Equal(VersionState.Promoted, integration.GetVersion(v1).StateAt(T0));
        Assert.Equal(before, Observe(integration));

        AssertSameRefusal(
            () => integration.Promote(beta, [], Team, T0),
            () => integration.StateMachineFor(beta, T0, 0, 5).Fire(VersionAction.Promote));
        AssertSameRefusal(
            () => integration.DeleteVersion(beta, 2, Team, T0),
            () => integration.StateMachineFor(beta, T0, 2, 5).Fire(VersionAction.Delete));
        Assert.Equal("editInstallationLimit", Assert.Throws<ArgumentOutOfRangeException>(() => integration.StateMachineFor(v1, T0, 0, 0)).ParamName);
        Assert.Equal(before, Observe(integration));
    }

    [Fact]
    public void MigrationJobToStateMachine_FiringChangesOnlyTheMachine_AndRefusalsAreTheJobs_S4()
    {
        var job = new MigrationJob
        {
            Id = MigrationId.New(),
            Product = new ProductRef(ProductKind.Integration, Guid.NewGuid()),
            From = VersionKey.ForVersion(new VersionNumber(1, 0, 0)),
            To = VersionKey.ForVersion(new VersionNumber(1, 1, 0)),
            Scope = MigrationScope.Percentage(50),
            State = MigrationState.Requested,
            BatchSize = 10,
            Total = 0,
            RequestedBy = Team,
            RequestedAt = T0,
            UpdatedAt = T0,
        };

        var machine = job.ToStateMachine();
        machine.Fire(MigrationAction.Abort);
        Assert.Equal(MigrationState.Aborted, machine.State);
        Assert.Equal(MigrationState.Requested, job.State);

        var (aborted, _) = job.Abort(Team, T0);
        AssertSameRefusal(() => aborted.Abort(Team, T0), () => aborted.ToStateMachine().Fire(MigrationAction.Abort));
    }

    private static Integration IntegrationWithPromotedAndBeta(out VersionNumber[] versions)
    {
        var integration = Integration.Create(IntegrationId.New(), "Detached", Team, T0);
        versions = [new VersionNumber(1, 0, 0), new VersionNumber(1, 1, 0), VersionNumber.Parse("1.2.0-beta")];
        foreach (var number in versions)
        {
            integration.CreateVersion(number, null, null, false, Team, T0);
        }

        integration.Promote(versions[0], [], Team, T0);
        return integration;
    }

    private static Template TemplateWithLiveAndDraft()
    {
        var template = Template.Create(TemplateId.New(), "Detached", Team, T0);
        template.CreateDraft(null, Team, T0);
        template.Promote(R(1), Team, T0);
        template.CreateDraft(null, Team, T0);
        return template;
    }

    private static string Observe(AggregateRoot aggregate)
    {
        var items = aggregate switch
        {
            Template t => string.Join(";", t.Releases.Select(r => $"{r.Number}:{r.State}:{r.UpdatedAt}")),
            Integration i => string.Join(";", i.Versions.Select(v => $"{v.Number}:{v.StoredState}:{v.UpdatedAt}")),
            _ => throw new ArgumentOutOfRangeException(nameof(aggregate)),
        };
        return $"{aggregate.Revision} {aggregate.AuditTrail.Count} {aggregate.PendingEvents.Count} {aggregate.ChangedItems.Count} {aggregate.RemovedItems.Count} {items}";
    }

    private static void AssertSameRefusal(Action command, Action fire)
    {
        var expected = Assert.Throws<VersioningRuleException>(command);
        var actual = Assert.Throws<VersioningRuleException>(fire);
        Assert.Equal(
            (expected.RuleId, expected.Message, expected.AggregateKind, expected.AggregateId, expected.Subject, expected.State),
            (actual.RuleId, actual.Message, actual.AggregateKind, actual.AggregateId, actual.Subject, actual.State));
    }
}
