using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Stateless;
using Stateless.Graph;
using Versioning.Core.Integrations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Templates;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P1 and S5: the lifecycle engine against a hand-written array table of the same lifecycle and against its Stateless
/// machine (<see cref="Lifecycle{TState, TAction, TContext}.ToStateMachine"/>), in the same run, for both lifecycles and for
/// the hot queries (<c>CanApply</c>/<c>CanFire</c>, a transition, the permitted actions iterated). Each of these
/// categories has the hand-written table as its baseline, so the Ratio column says how far the engine is from the limit
/// (target ≤ 5) and Allocated must stay '-' (0 B) for the engine. The Stateless-only costs (configuring a machine per
/// object) and the graph export (engine vs Stateless, engine as the baseline) have categories of their own.
/// </summary>
/// <remarks>
/// Every invocation walks <see cref="Operations"/> precomputed (state, action, facts) cases, drawn at random with a
/// fixed seed over every state, every action and facts that make each guard pass and fail, so the JIT cannot
/// constant-fold a state or action and branch prediction is no kinder to either side. Times are per case
/// (<c>OperationsPerInvoke</c>); both sides pay the same loop.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LifecycleEngineBenchmarks
{
    /// <summary>Cases walked per invocation.</summary>
    public const int Operations = 256;

    private static readonly Lifecycle<ReleaseState, ReleaseAction, ReleaseFacts> Releases = ReleaseLifecycle.Definition;
    private static readonly Lifecycle<VersionState, VersionAction, VersionFacts> Versions = VersionLifecycle.Definition;

    private ReleaseCase[] _releaseCases = [];
    private VersionCase[] _versionCases = [];
    private ReleaseCase[] _releaseFirable = [];
    private VersionCase[] _versionFirable = [];

    // The Stateless machines read their state and facts from these fields (external state), as an aggregate would.
    private ReleaseState _releaseState;
    private ReleaseFacts _releaseFacts;
    private VersionState _versionState;
    private VersionFacts _versionFacts;
    private StateMachine<ReleaseState, ReleaseAction> _releaseMachine = null!;
    private StateMachine<VersionState, VersionAction> _versionMachine = null!;

    /// <summary>Draws the cases and checks that the hand-written tables encode exactly the engine's lifecycles.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20240601);
        _releaseCases = new ReleaseCase[Operations];
        _versionCases = new VersionCase[Operations];
        for (var i = 0; i < Operations; i++)
        {
            _releaseCases[i] = new(
                (ReleaseState)random.Next(3),
                (ReleaseAction)random.Next(HandWrittenLifecycles.Release.ActionCount),
                new ReleaseFacts(random.Next(2) == 0, random.Next(3) == 0 ? 0 : random.Next(1, 10)));
            _versionCases[i] = new(
                (VersionState)random.Next(6),
                (VersionAction)random.Next(HandWrittenLifecycles.Version.ActionCount),
                new VersionFacts(random.Next(4) == 0, random.Next(3) == 0 ? 0 : random.Next(1, 10), 5, random.Next(2) == 0));
        }

        CheckHandWrittenTablesMatchTheEngine();
        _releaseMachine = Releases.ToStateMachine(() => _releaseState, s => _releaseState = s, () => _releaseFacts);
        _versionMachine = Versions.ToStateMachine(() => _versionState, s => _versionState = s, () => _versionFacts);

        // The transition category walks only permitted cases: a refused Fire throws, which is not what is measured.
        _releaseFirable = [.. _releaseCases.Where(c => Releases.CanApply(c.State, c.Action, in c.Facts))];
        _versionFirable = [.. _versionCases.Where(c => Versions.CanApply(c.State, c.Action, in c.Facts))];
        foreach (var c in _releaseCases)
        {
            _releaseState = c.State;
            _releaseFacts = c.Facts;
            Agree(_releaseMachine.CanFire(c.Action) == Releases.CanApply(c.State, c.Action, in c.Facts), $"Stateless release {c.State}.{c.Action}");
        }

        foreach (var c in _versionCases)
        {
            _versionState = c.State;
            _versionFacts = c.Facts;
            Agree(_versionMachine.CanFire(c.Action) == Versions.CanApply(c.State, c.Action, in c.Facts), $"Stateless version {c.State}.{c.Action}");
        }
    }

    /// <summary>Template releases, <c>CanFire</c>: the Stateless machine (state and facts set per case).</summary>
    /// <returns>How many cases are permitted.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Release CanApply")]
    public int Release_CanApply_Stateless()
    {
        var machine = _releaseMachine;
        var permitted = 0;
        foreach (ref readonly var c in _releaseCases.AsSpan())
        {
            _releaseState = c.State;
            _releaseFacts = c.Facts;
            if (machine.CanFire(c.Action))
            {
                permitted++;
            }
        }

        return permitted;
    }

    /// <summary>Template releases, the permitted actions iterated: Stateless's <c>GetPermittedTriggersAsync</c> (completes synchronously).</summary>
    /// <returns>A checksum of the permitted actions.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Release PermittedActions")]
    public int Release_PermittedActions_Stateless()
    {
        var machine = _releaseMachine;
        var sum = 0;
        foreach (ref readonly var c in _releaseCases.AsSpan())
        {
            _releaseState = c.State;
            _releaseFacts = c.Facts;
            foreach (var action in machine.GetPermittedTriggersAsync().GetAwaiter().GetResult())
            {
                sum += (int)action;
            }
        }

        return sum;
    }

    /// <summary>Template releases, one permitted transition: hand-written table.</summary>
    /// <returns>A checksum of the resulting states.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Release Fire")]
    public int Release_Fire_HandWritten()
    {
        var sum = 0;
        foreach (ref readonly var c in _releaseFirable.AsSpan())
        {
            if (HandWrittenLifecycles.Release.TryApply(c.State, c.Action, in c.Facts, out var target, out _))
            {
                sum += (int)target;
            }
        }

        return sum;
    }

    /// <summary>Template releases, one permitted transition: the engine's <c>TryApply</c>.</summary>
    /// <returns>A checksum of the resulting states.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Release Fire")]
    public int Release_Fire_Engine()
    {
        var lifecycle = Releases;
        var sum = 0;
        foreach (ref readonly var c in _releaseFirable.AsSpan())
        {
            if (lifecycle.TryApply(c.State, c.Action, in c.Facts, out var target, out _, out _))
            {
                sum += (int)target;
            }
        }

        return sum;
    }

    /// <summary>Template releases, one permitted transition: Stateless's <c>Fire</c> (state and facts set per case).</summary>
    /// <returns>A checksum of the resulting states.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Release Fire")]
    public int Release_Fire_Stateless()
    {
        var machine = _releaseMachine;
        var sum = 0;
        foreach (ref readonly var c in _releaseFirable.AsSpan())
        {
            _releaseState = c.State;
            _releaseFacts = c.Facts;
            machine.Fire(c.Action);
            sum += (int)_releaseState;
        }

        return sum;
    }

    /// <summary>Template releases: configuring a Stateless machine for one object (the engine needs none: one static definition).</summary>
    /// <returns>The machine.</returns>
    [Benchmark]
    [BenchmarkCategory("Release Configure")]
    public StateMachine<ReleaseState, ReleaseAction> Release_Configure_Stateless()
        => Releases.ToStateMachine(() => _releaseState, s => _releaseState = s, () => _releaseFacts);

    /// <summary>Template releases, Mermaid export: the engine.</summary>
    /// <returns>The diagram.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Release Graph")]
    public string Release_Graph_Engine() => Releases.ToMermaid();

    /// <summary>Template releases, Mermaid export: Stateless's <c>MermaidGraph.Format(GetInfo())</c>.</summary>
    /// <returns>The diagram.</returns>
    [Benchmark]
    [BenchmarkCategory("Release Graph")]
    public string Release_Graph_Stateless() => MermaidGraph.Format(_releaseMachine.GetInfo());

    /// <summary>Integration versions, <c>CanFire</c>: the Stateless machine (state and facts set per case).</summary>
    /// <returns>How many cases are permitted.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Version CanApply")]
    public int Version_CanApply_Stateless()
    {
        var machine = _versionMachine;
        var permitted = 0;
        foreach (ref readonly var c in _versionCases.AsSpan())
        {
            _versionState = c.State;
            _versionFacts = c.Facts;
            if (machine.CanFire(c.Action))
            {
                permitted++;
            }
        }

        return permitted;
    }

    /// <summary>Integration versions, the permitted actions iterated: Stateless's <c>GetPermittedTriggersAsync</c> (completes synchronously).</summary>
    /// <returns>A checksum of the permitted actions.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Version PermittedActions")]
    public int Version_PermittedActions_Stateless()
    {
        var machine = _versionMachine;
        var sum = 0;
        foreach (ref readonly var c in _versionCases.AsSpan())
        {
            _versionState = c.State;
            _versionFacts = c.Facts;
            foreach (var action in machine.GetPermittedTriggersAsync().GetAwaiter().GetResult())
            {
                sum += (int)action;
            }
        }

        return sum;
    }

    /// <summary>Integration versions, one permitted transition: hand-written table.</summary>
    /// <returns>A checksum of the resulting states.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Version Fire")]
    public int Version_Fire_HandWritten()
    {
        var sum = 0;
        foreach (ref readonly var c in _versionFirable.AsSpan())
        {
            if (HandWrittenLifecycles.Version.TryApply(c.State, c.Action, in c.Facts, out var target, out _))
            {
                sum += (int)target;
            }
        }

        return sum;
    }

    /// <summary>Integration versions, one permitted transition: the engine's <c>TryApply</c>.</summary>
    /// <returns>A checksum of the resulting states.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Version Fire")]
    public int Version_Fire_Engine()
    {
        var lifecycle = Versions;
        var sum = 0;
        foreach (ref readonly var c in _versionFirable.AsSpan())
        {
            if (lifecycle.TryApply(c.State, c.Action, in c.Facts, out var target, out _, out _))
            {
                sum += (int)target;
            }
        }

        return sum;
    }

    /// <summary>Integration versions, one permitted transition: Stateless's <c>Fire</c> (state and facts set per case).</summary>
    /// <returns>A checksum of the resulting states.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Version Fire")]
    public int Version_Fire_Stateless()
    {
        var machine = _versionMachine;
        var sum = 0;
        foreach (ref readonly var c in _versionFirable.AsSpan())
        {
            _versionState = c.State;
            _versionFacts = c.Facts;
            machine.Fire(c.Action);
            sum += (int)_versionState;
        }

        return sum;
    }

    /// <summary>Integration versions: configuring a Stateless machine for one object (the engine needs none: one static definition).</summary>
    /// <returns>The machine.</returns>
    [Benchmark]
    [BenchmarkCategory("Version Configure")]
    public StateMachine<VersionState, VersionAction> Version_Configure_Stateless()
        => Versions.ToStateMachine(() => _versionState, s => _versionState = s, () => _versionFacts);

    /// <summary>Integration versions, Mermaid export: the engine.</summary>
    /// <returns>The diagram.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Version Graph")]
    public string Version_Graph_Engine() => Versions.ToMermaid();

    /// <summary>Integration versions, Mermaid export: Stateless's <c>MermaidGraph.Format(GetInfo())</c>.</summary>
    /// <returns>The diagram.</returns>
    [Benchmark]
    [BenchmarkCategory("Version Graph")]
    public string Version_Graph_Stateless() => MermaidGraph.Format(_versionMachine.GetInfo());

    /// <summary>Template releases, <c>CanApply</c>: hand-written table.</summary>
    /// <returns>How many cases are permitted.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Release CanApply")]
    public int Release_CanApply_HandWritten()
    {
        var permitted = 0;
        foreach (ref readonly var c in _releaseCases.AsSpan())
        {
            if (HandWrittenLifecycles.Release.CanApply(c.State, c.Action, in c.Facts))
            {
                permitted++;
            }
        }

        return permitted;
    }

    /// <summary>Template releases, <c>CanApply</c>: the engine.</summary>
    /// <returns>How many cases are permitted.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Release CanApply")]
    public int Release_CanApply_Engine()
    {
        var lifecycle = Releases;
        var permitted = 0;
        foreach (ref readonly var c in _releaseCases.AsSpan())
        {
            if (lifecycle.CanApply(c.State, c.Action, in c.Facts))
            {
                permitted++;
            }
        }

        return permitted;
    }

    /// <summary>Template releases, a transition: hand-written table.</summary>
    /// <returns>A checksum of the resulting states and kinds.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Release TryApply")]
    public int Release_TryApply_HandWritten()
    {
        var sum = 0;
        foreach (ref readonly var c in _releaseCases.AsSpan())
        {
            if (HandWrittenLifecycles.Release.TryApply(c.State, c.Action, in c.Facts, out var target, out var kind))
            {
                sum += (int)target + (int)kind;
            }
        }

        return sum;
    }

    /// <summary>Template releases, a transition: the engine's <c>TryApply</c> (with its why-not out parameter).</summary>
    /// <returns>A checksum of the resulting states and kinds.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Release TryApply")]
    public int Release_TryApply_Engine()
    {
        var lifecycle = Releases;
        var sum = 0;
        foreach (ref readonly var c in _releaseCases.AsSpan())
        {
            if (lifecycle.TryApply(c.State, c.Action, in c.Facts, out var target, out var kind, out _))
            {
                sum += (int)target + (int)kind;
            }
        }

        return sum;
    }

    /// <summary>Template releases, the permitted actions iterated: hand-written masks.</summary>
    /// <returns>A checksum of the permitted actions.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Release PermittedActions")]
    public int Release_PermittedActions_HandWritten()
    {
        var sum = 0;
        foreach (ref readonly var c in _releaseCases.AsSpan())
        {
            sum += HandWrittenLifecycles.SumActions(HandWrittenLifecycles.Release.PermittedMask(c.State, in c.Facts));
        }

        return sum;
    }

    /// <summary>Template releases, the permitted actions iterated: the engine's <see cref="ActionSet{TAction}"/>.</summary>
    /// <returns>A checksum of the permitted actions.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Release PermittedActions")]
    public int Release_PermittedActions_Engine()
    {
        var lifecycle = Releases;
        var sum = 0;
        foreach (ref readonly var c in _releaseCases.AsSpan())
        {
            foreach (var action in lifecycle.PermittedActions(c.State, in c.Facts))
            {
                sum += (int)action;
            }
        }

        return sum;
    }

    /// <summary>Integration versions, <c>CanApply</c>: hand-written table.</summary>
    /// <returns>How many cases are permitted.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Version CanApply")]
    public int Version_CanApply_HandWritten()
    {
        var permitted = 0;
        foreach (ref readonly var c in _versionCases.AsSpan())
        {
            if (HandWrittenLifecycles.Version.CanApply(c.State, c.Action, in c.Facts))
            {
                permitted++;
            }
        }

        return permitted;
    }

    /// <summary>Integration versions, <c>CanApply</c>: the engine.</summary>
    /// <returns>How many cases are permitted.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Version CanApply")]
    public int Version_CanApply_Engine()
    {
        var lifecycle = Versions;
        var permitted = 0;
        foreach (ref readonly var c in _versionCases.AsSpan())
        {
            if (lifecycle.CanApply(c.State, c.Action, in c.Facts))
            {
                permitted++;
            }
        }

        return permitted;
    }

    /// <summary>Integration versions, a transition: hand-written table.</summary>
    /// <returns>A checksum of the resulting states and kinds.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Version TryApply")]
    public int Version_TryApply_HandWritten()
    {
        var sum = 0;
        foreach (ref readonly var c in _versionCases.AsSpan())
        {
            if (HandWrittenLifecycles.Version.TryApply(c.State, c.Action, in c.Facts, out var target, out var kind))
            {
                sum += (int)target + (int)kind;
            }
        }

        return sum;
    }

    /// <summary>Integration versions, a transition: the engine's <c>TryApply</c> (with its why-not out parameter).</summary>
    /// <returns>A checksum of the resulting states and kinds.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Version TryApply")]
    public int Version_TryApply_Engine()
    {
        var lifecycle = Versions;
        var sum = 0;
        foreach (ref readonly var c in _versionCases.AsSpan())
        {
            if (lifecycle.TryApply(c.State, c.Action, in c.Facts, out var target, out var kind, out _))
            {
                sum += (int)target + (int)kind;
            }
        }

        return sum;
    }

    /// <summary>Integration versions, the permitted actions iterated: hand-written masks.</summary>
    /// <returns>A checksum of the permitted actions.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Version PermittedActions")]
    public int Version_PermittedActions_HandWritten()
    {
        var sum = 0;
        foreach (ref readonly var c in _versionCases.AsSpan())
        {
            sum += HandWrittenLifecycles.SumActions(HandWrittenLifecycles.Version.PermittedMask(c.State, in c.Facts));
        }

        return sum;
    }

    /// <summary>Integration versions, the permitted actions iterated: the engine's <see cref="ActionSet{TAction}"/>.</summary>
    /// <returns>A checksum of the permitted actions.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory("Version PermittedActions")]
    public int Version_PermittedActions_Engine()
    {
        var lifecycle = Versions;
        var sum = 0;
        foreach (ref readonly var c in _versionCases.AsSpan())
        {
            foreach (var action in lifecycle.PermittedActions(c.State, in c.Facts))
            {
                sum += (int)action;
            }
        }

        return sum;
    }

    private void CheckHandWrittenTablesMatchTheEngine()
    {
        foreach (var state in Enum.GetValues<ReleaseState>())
        {
            foreach (var published in (bool[])[false, true])
            {
                foreach (var count in (long[])[0, 3])
                {
                    var facts = new ReleaseFacts(published, count);
                    Agree(HandWrittenLifecycles.Release.PermittedMask(state, in facts) == Mask(Releases.PermittedActions(state, in facts)), $"release {state} {facts} permitted actions");
                    foreach (var action in Enum.GetValues<ReleaseAction>())
                    {
                        var engine = Releases.TryApply(state, action, in facts, out var engineTarget, out var engineKind, out _);
                        var hand = HandWrittenLifecycles.Release.TryApply(state, action, in facts, out var handTarget, out var handKind);
                        Agree(engine == hand && engineTarget == handTarget && engineKind == handKind
                            && hand == HandWrittenLifecycles.Release.CanApply(state, action, in facts), $"release {state}.{action} {facts}");
                    }
                }
            }
        }

        foreach (var state in Enum.GetValues<VersionState>())
        {
            foreach (var labeled in (bool[])[false, true])
            {
                foreach (var count in (long[])[0, 3, 7])
                {
                    foreach (var another in (bool[])[false, true])
                    {
                        var facts = new VersionFacts(labeled, count, 5, another);
                        Agree(HandWrittenLifecycles.Version.PermittedMask(state, in facts) == Mask(Versions.PermittedActions(state, in facts)), $"version {state} {facts} permitted actions");
                        foreach (var action in Enum.GetValues<VersionAction>())
                        {
                            var engine = Versions.TryApply(state, action, in facts, out var engineTarget, out var engineKind, out _);
                            var hand = HandWrittenLifecycles.Version.TryApply(state, action, in facts, out var handTarget, out var handKind);
                            Agree(engine == hand && engineTarget == handTarget && engineKind == handKind
                                && hand == HandWrittenLifecycles.Version.CanApply(state, action, in facts), $"version {state}.{action} {facts}");
                        }
                    }
                }
            }
        }
    }

    private static ulong Mask<TAction>(ActionSet<TAction> set)
        where TAction : struct, Enum
    {
        var mask = 0UL;
        foreach (var action in set)
        {
            mask |= 1UL << Convert.ToInt32(action, System.Globalization.CultureInfo.InvariantCulture);
        }

        return mask;
    }

    private static void Agree(bool same, string what)
    {
        if (!same)
        {
            throw new InvalidOperationException($"The hand-written baseline disagrees with the engine on {what}; fix HandWrittenLifecycles before comparing.");
        }
    }

    // Fields, not properties, so the facts are passed by reference exactly as a caller holding them would.
    private readonly struct ReleaseCase(ReleaseState state, ReleaseAction action, ReleaseFacts facts)
    {
        public readonly ReleaseState State = state;
        public readonly ReleaseAction Action = action;
        public readonly ReleaseFacts Facts = facts;
    }

    private readonly struct VersionCase(VersionState state, VersionAction action, VersionFacts facts)
    {
        public readonly VersionState State = state;
        public readonly VersionAction Action = action;
        public readonly VersionFacts Facts = facts;
    }
}
