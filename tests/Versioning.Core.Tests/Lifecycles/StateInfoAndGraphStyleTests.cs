using System.Text;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Templates;

namespace Versioning.Core.Tests.Lifecycles;

/// <summary>X5: one info object per state, and diagram formats as public, pluggable styles.</summary>
public class StateInfoAndGraphStyleTests
{
    [Fact]
    public void StateInfos_OfEveryLifecycle_AgreeWithTheTableOneObjectPerState_X5()
    {
        Check(ReleaseLifecycle.Definition);
        Check(VersionLifecycle.Definition);
        Check(MigrationLifecycle.Definition);

        static void Check<TState, TAction, TContext>(Lifecycle<TState, TAction, TContext> lifecycle)
            where TState : struct, Enum
            where TAction : struct, Enum
        {
            Assert.Equal(lifecycle.States, lifecycle.StateInfos.Select(i => i.State));
            foreach (var state in lifecycle.States)
            {
                var info = lifecycle.GetStateInfo(state);
                Assert.Same(info, lifecycle.GetStateInfo(state));
                Assert.Equal(lifecycle.CapabilitiesOf(state), info.Capabilities);
                Assert.False(string.IsNullOrWhiteSpace(info.Description));
                Assert.Equal(EqualityComparer<TState>.Default.Equals(state, lifecycle.InitialState), info.IsInitial);
                Assert.Equal(lifecycle.Transitions.Where(t => EqualityComparer<TState>.Default.Equals(t.Source, state)), info.Transitions);
                Assert.Equal(lifecycle.ConfiguredActions(state).ToList().Order(), info.Actions.Order());
                Assert.Equal(info.Actions.IsEmpty, info.IsFinal);
            }
        }
    }

    [Fact]
    public void GetStateInfo_Draft_DescribesItsCapabilitiesAndTransitions_X5()
    {
        var draft = ReleaseLifecycle.Definition.GetStateInfo(ReleaseState.Draft);

        Assert.True(draft.IsInitial);
        Assert.True(draft.Has(StateCapabilities.IsEditable | StateCapabilities.CanBeDeleted));
        Assert.False(draft.Has(StateCapabilities.AcceptsNewInstallations));
        Assert.Contains(draft.Transitions, t => t.Action == ReleaseAction.Promote && t.Target == ReleaseState.Live);
        Assert.StartsWith("Draft: ", draft.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToGraph_BuiltInStyles_AreTheMermaidAndDotExports_S3()
    {
        var lifecycle = VersionLifecycle.Definition;

        Assert.Equal(lifecycle.ToMermaid(), lifecycle.ToGraph(MermaidGraphStyle.Instance));
        Assert.Equal(lifecycle.ToDot(), lifecycle.ToGraph(DotGraphStyle.Instance));
        Assert.Throws<ArgumentNullException>(() => lifecycle.ToGraph(null!));
    }

    [Fact]
    public void ToGraph_AStyleOfTheCallers_GetsEveryStateAndEdgeOnce_X5()
    {
        var text = MigrationLifecycle.Definition.ToGraph(new PlantUmlStyle());

        Assert.Equal(
            """
            @startuml Migration jobs
            [*] --> Requested
            state Requested : Created; no batch has run yet.
            state InProgress : Batches are running; resumable from the stored checkpoint after a stop at any point.
            state Completed : Every selected installation moved exactly once. <<final>>
            state Aborted : Stopped on request; moved installations stay moved. <<final>>
            state Failed : Stopped because a rule no longer held. <<final>>

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            text[..text.IndexOf("Requested --> ", StringComparison.Ordinal)]);
        Assert.EndsWith("@enduml\n", text, StringComparison.Ordinal);
        var edges = text.Split('\n').Count(l => l.Contains(" --> ", StringComparison.Ordinal) && !l.StartsWith("[*]", StringComparison.Ordinal));
        Assert.Equal(MigrationLifecycle.Definition.Transitions.Select(t => (t.Source, t.Kind == TransitionKind.Exit ? (MigrationState?)null : t.Target)).Distinct().Count(), edges);
    }

    /// <summary>A format the library does not ship: PlantUML.</summary>
    private sealed class PlantUmlStyle : LifecycleGraphStyle
    {
        public override void Begin(StringBuilder text, string title) => text.Append("@startuml ").Append(title).Append('\n');

        public override void Initial(StringBuilder text, string state) => text.Append("[*] --> ").Append(state).Append('\n');

        public override void State(StringBuilder text, LifecycleGraphState state, string capabilities)
            => text.Append("state ").Append(state.Name).Append(" : ").Append(state.Description).Append(state.IsFinal ? " <<final>>" : string.Empty).Append('\n');

        public override void Edge(StringBuilder text, string source, string target, string label)
            => text.Append(source).Append(" --> ").Append(target).Append(" : ").Append(label).Append('\n');

        public override void Exit(StringBuilder text, string source, string label) => text.Append(source).Append(" --> [*] : ").Append(label).Append('\n');

        public override void End(StringBuilder text) => text.Append("@enduml\n");
    }
}
