using Versioning.Core.Lifecycles;

namespace Versioning.Core.Tests.Lifecycles;

public class LifecycleEngineTests
{
    public enum Light { Red, Green, Yellow }

    public enum Signal { Go, Slow, Stop, Repaint, Remove }

    public readonly record struct Facts(bool Powered);

    private static LifecycleBuilder<Light, Signal, Facts> Builder()
    {
        var builder = new LifecycleBuilder<Light, Signal, Facts>("Traffic light", Light.Red)
            .Explain(Signal.Go, "L1", "Cannot go from {state}.")
            .Explain(Signal.Slow, "L2", "Cannot slow from {state}.")
            .Explain(Signal.Stop, "L3", "Cannot stop from {state}.")
            .Explain(Signal.Remove, "L5", "Cannot remove a {state} light.");
        builder.Configure(Light.Red).Means(StateCapabilities.CanBeDeleted, "stop")
            .PermitIf(Signal.Go, Light.Green, static (in Facts f) => f.Powered, "L4", "powered", "A {state} light needs power to {action}.")
            .PermitInternal(Signal.Repaint)
            .PermitExit(Signal.Remove);
        builder.Configure(Light.Green).Means(StateCapabilities.IsEditable, "go")
            .Permit(Signal.Slow, Light.Yellow)
            .PermitInternal(Signal.Repaint);
        builder.Configure(Light.Yellow).Means(StateCapabilities.None, "slow")
            .Permit(Signal.Stop, Light.Red)
            .Refuse(Signal.Repaint, "L6", "Yellow lights are never repainted.");
        return builder;
    }

    private static readonly Lifecycle<Light, Signal, Facts> Lights = Builder().Build();

    [Fact]
    public void TryApply_PermittedTransition_ReturnsTargetAndKind()
    {
        var facts = new Facts(Powered: true);
        Assert.True(Lights.TryApply(Light.Red, Signal.Go, in facts, out var target, out var kind, out var whyNot));
        Assert.Equal(Light.Green, target);
        Assert.Equal(TransitionKind.Transition, kind);
        Assert.True(whyNot.IsEmpty);
    }

    [Fact]
    public void CanApply_GuardFails_ReturnsGuardRuleWithFormattedMessage()
    {
        var facts = new Facts(Powered: false);
        Assert.False(Lights.CanApply(Light.Red, Signal.Go, in facts, out var whyNot));
        Assert.Equal("L4", whyNot.RuleId);
        Assert.Equal("A Red light needs power to Go.", whyNot.Message);
    }

    [Fact]
    public void CanApply_NotConfigured_ReturnsExplanationOrStateRefusal()
    {
        var facts = new Facts(true);
        Assert.False(Lights.CanApply(Light.Green, Signal.Stop, in facts, out var stop));
        Assert.Equal(new RuleViolation("L3", "Cannot stop from Green."), stop);
        Assert.False(Lights.CanApply(Light.Yellow, Signal.Repaint, in facts, out var repaint));
        Assert.Equal("L6", repaint.RuleId);
    }

    [Fact]
    public void TryApply_InternalAndExit_KeepStateAndReportKind()
    {
        var facts = new Facts(true);
        Assert.True(Lights.TryApply(Light.Green, Signal.Repaint, in facts, out var t1, out var k1, out _));
        Assert.Equal((Light.Green, TransitionKind.Internal), (t1, k1));
        Assert.True(Lights.TryApply(Light.Red, Signal.Remove, in facts, out var t2, out var k2, out _));
        Assert.Equal((Light.Red, TransitionKind.Exit), (t2, k2));
    }

    [Fact]
    public void PermittedActions_EvaluatesGuards()
    {
        Assert.Equal([Signal.Go, Signal.Repaint, Signal.Remove], Lights.PermittedActions(Light.Red, new Facts(true)).ToList());
        Assert.Equal([Signal.Repaint, Signal.Remove], Lights.PermittedActions(Light.Red, new Facts(false)).ToList());
        Assert.Equal(3, Lights.ConfiguredActions(Light.Red).Count);
    }

    [Fact]
    public void Capabilities_AreReportedPerState()
    {
        Assert.True(Lights.Has(Light.Green, StateCapabilities.IsEditable));
        Assert.False(Lights.Has(Light.Red, StateCapabilities.IsEditable));
        Assert.Equal(StateCapabilities.None, Lights.CapabilitiesOf(Light.Yellow));
    }

    [Fact]
    public void Build_UnexplainedPair_ThrowsListingEveryGap()
    {
        var builder = new LifecycleBuilder<Light, Signal, Facts>("Gaps", Light.Red);
        builder.Configure(Light.Red).Permit(Signal.Go, Light.Green);
        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Contains("Red.Slow", ex.Message);
        Assert.Contains("Yellow.Remove", ex.Message);
    }

    [Fact]
    public void Permit_SameActionTwoTargets_Throws()
    {
        var builder = new LifecycleBuilder<Light, Signal, Facts>("Twice", Light.Red);
        builder.Configure(Light.Red).Permit(Signal.Go, Light.Green);
        Assert.Throws<InvalidOperationException>(() => builder.Configure(Light.Red).Permit(Signal.Go, Light.Yellow));
        Assert.Throws<InvalidOperationException>(() => builder.Configure(Light.Red).Refuse(Signal.Go, "X", "no"));
    }

    [Fact]
    public void Queries_AllocateNothing()
    {
        var facts = new Facts(true);
        // Warm up (JIT, static initialisation).
        for (var i = 0; i < 10; i++)
        {
            Lights.CanApply(Light.Red, Signal.Go, in facts, out _);
            Lights.TryApply(Light.Red, Signal.Go, in facts, out _, out _, out _);
            foreach (var _ in Lights.PermittedActions(Light.Red, in facts))
            {
            }
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = 0;
        for (var i = 0; i < 1000; i++)
        {
            count += Lights.CanApply(Light.Red, Signal.Go, in facts, out _) ? 1 : 0;
            count += Lights.TryApply(Light.Yellow, Signal.Repaint, in facts, out _, out _, out _) ? 1 : 0;
            foreach (var _ in Lights.PermittedActions(Light.Red, in facts))
            {
                count++;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(4000, count);
    }

    [Fact]
    public void ToMermaid_RendersStatesGroupedEdgesGuardsAndExit()
    {
        var expected = """
            ---
            title: Traffic light
            ---
            stateDiagram-v2
                [*] --> Red
                Red : Red (deletable)
                Green : Green (editable)
                Yellow : Yellow (locked)
                Red --> Green : Go [powered]
                Red --> Red : Repaint
                Red --> [*] : Remove
                Green --> Yellow : Slow
                Green --> Green : Repaint
                Yellow --> Red : Stop

            """.Replace("\r\n", "\n");
        Assert.Equal(expected, Lights.ToMermaid());
    }

    [Fact]
    public void ToDot_RendersSameGraph()
    {
        var dot = Lights.ToDot();
        Assert.StartsWith("digraph \"Traffic light\" {", dot);
        Assert.Contains("\"Red\" -> \"Green\" [label=\"Go [powered]\"];", dot);
        Assert.Contains("\"Red\" -> \"[deleted]\" [label=\"Remove\"];", dot);
        Assert.Contains("\"[*]\" -> \"Red\";", dot);
        Assert.EndsWith("}\n", dot);
    }
}
