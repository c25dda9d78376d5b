using NodaTime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Templates;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Lifecycles;

/// <summary>X5: every action on any release or version is either permitted or blocked by a named rule, for a UI.</summary>
public class IntrospectionTests
{
    private static readonly ActorId Team = new("team");

    [Fact]
    public void EveryStateAndAction_OfEveryLifecycle_IsPermittedOrExplainedByARule_X5()
    {
        Check(ReleaseLifecycle.Definition, new ReleaseFacts(false, 0));
        Check(ReleaseLifecycle.Definition, new ReleaseFacts(true, 3));
        Check(VersionLifecycle.Definition, new VersionFacts(true, 10, 5, false));
        Check(VersionLifecycle.Definition, new VersionFacts(false, 0, 5, true));
        Check(MigrationLifecycle.Definition, default(NoFacts));

        static void Check<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext> lifecycle, TContext facts)
            where TState : struct, Enum
            where TAction : struct, Enum
        {
            foreach (var state in lifecycle.States)
            {
                var permitted = lifecycle.PermittedActions(state, in facts);
                foreach (var action in lifecycle.Actions)
                {
                    var ok = lifecycle.CanApply(state, action, in facts, out var whyNot);
                    Assert.Equal(ok, permitted.Contains(action));
                    if (!ok)
                    {
                        Assert.Matches("^[TZIMX][0-9]+$", whyNot.RuleId);
                        Assert.False(string.IsNullOrWhiteSpace(whyNot.Message));
                        Assert.DoesNotContain("{state}", whyNot.Message, StringComparison.Ordinal);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task TemplateGetActions_LiveRelease_ListsEveryActionWithTheBlockingRule_X5()
    {
        var services = new ServiceCollection().AddSingleton<IClock>(FakeClock.FromUtc(2026, 1, 1));
        services.AddVersioning();
        using var provider = services.BuildServiceProvider();
        var templates = provider.GetRequiredService<TemplateService>();
        var template = await templates.CreateTemplateAsync("Introspected", Team);
        await templates.CreateDraftAsync(template.Id, null, Team);
        await templates.PromoteAsync(template.Id, R(1), Team);

        var actions = await templates.GetActionsAsync(template.Id, R(1), Team);

        Assert.Equal(ReleaseLifecycle.Definition.Actions, actions.Select(a => a.Action));
        Assert.Equal("T3", actions.Single(a => a.Action == ReleaseAction.EditContent).BlockedBy.RuleId);
        Assert.Equal("T10", actions.Single(a => a.Action == ReleaseAction.Delete).BlockedBy.RuleId);
        Assert.Equal("T12", actions.Single(a => a.Action == ReleaseAction.Install).BlockedBy.RuleId);
        Assert.True(actions.Single(a => a.Action == ReleaseAction.EditNotes).IsPermitted);
        Assert.True(actions.Single(a => a.Action == ReleaseAction.Copy).BlockedBy.IsEmpty);
    }

    [Fact]
    public async Task IntegrationGetActions_LabeledPrivateVersion_BlocksPromotionWithZ5_X5()
    {
        var services = new ServiceCollection().AddSingleton<IClock>(FakeClock.FromUtc(2026, 1, 1));
        services.AddVersioning();
        using var provider = services.BuildServiceProvider();
        var integrations = provider.GetRequiredService<IntegrationService>();
        var app = await integrations.CreateIntegrationAsync("Introspected", Team);
        var beta = VersionNumber.Parse("1.0.0-beta");
        await integrations.CreateVersionAsync(app.Id, beta, null, Team);

        var actions = await integrations.GetActionsAsync(app.Id, beta, Team);

        var promote = actions.Single(a => a.Action == VersionAction.Promote);
        Assert.False(promote.IsPermitted);
        Assert.Equal("Z5", promote.BlockedBy.RuleId);
        Assert.Equal("Z7", actions.Single(a => a.Action == VersionAction.Demote).BlockedBy.RuleId);
        Assert.True(actions.Single(a => a.Action == VersionAction.EditContent).IsPermitted);
        Assert.True(actions.Single(a => a.Action == VersionAction.Delete).IsPermitted);
    }
}
