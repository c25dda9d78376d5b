using System.Numerics;
using System.Runtime.CompilerServices;
using Versioning.Core.Integrations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Templates;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// The limit P1 is measured against: both lifecycles written out by hand as one flat array per lifecycle, with the
/// guards inlined as a switch. No rule messages, no introspection, no delegates: the fastest honest encoding of the
/// same rules. <see cref="LifecycleEngineBenchmarks"/> checks in its setup that these tables agree with the engine's
/// definitions on every (state, action, facts) it measures, so a drift fails the run instead of flattering a ratio.
/// </summary>
internal static class HandWrittenLifecycles
{
    private const sbyte Refused = -1;

    /// <summary>One cell: the target state (or <see cref="Refused"/>), what the transition does, and which inline guard applies.</summary>
    internal readonly struct Cell(sbyte target, TransitionKind kind, byte guard)
    {
        public readonly sbyte Target = target;
        public readonly TransitionKind Kind = kind;
        public readonly byte Guard = guard;
    }

    /// <summary>Template releases (Cyclr-style): 3 states × 10 actions.</summary>
    internal static class Release
    {
        public const int ActionCount = 10;

        // Guards: 1 = no installations pinned (T10), 2 = template published (T12).
        private const byte NoInstallations = 1;
        private const byte Published = 2;

        private static readonly Cell[] Cells = Build();

        // Per state: actions with no guard, and the actions each guard unlocks (for PermittedActions).
        private static readonly ulong[] Free = [Mask(0, 1, 2, 4, 6, 7), Mask(1, 3, 4, 6, 7, 9), Mask(1, 4, 7)];
        private static readonly ulong[] IfNoInstallations = [Mask(5), 0, Mask(5)];
        private static readonly ulong[] IfPublished = [0, Mask(8), 0];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool CanApply(ReleaseState state, ReleaseAction action, in ReleaseFacts facts)
        {
            var cell = Cells[((int)state * ActionCount) + (int)action];
            return cell.Target != Refused && GuardHolds(cell.Guard, in facts);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool TryApply(ReleaseState state, ReleaseAction action, in ReleaseFacts facts, out ReleaseState target, out TransitionKind kind)
        {
            var cell = Cells[((int)state * ActionCount) + (int)action];
            if (cell.Target == Refused || !GuardHolds(cell.Guard, in facts))
            {
                target = state;
                kind = default;
                return false;
            }

            target = (ReleaseState)cell.Target;
            kind = cell.Kind;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong PermittedMask(ReleaseState state, in ReleaseFacts facts)
        {
            var s = (int)state;
            var mask = Free[s];
            if (facts.InstallationCount == 0)
            {
                mask |= IfNoInstallations[s];
            }

            if (facts.TemplatePublished)
            {
                mask |= IfPublished[s];
            }

            return mask;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool GuardHolds(byte guard, in ReleaseFacts facts) => guard switch
        {
            0 => true,
            NoInstallations => facts.InstallationCount == 0,
            _ => facts.TemplatePublished,
        };

        private static Cell[] Build()
        {
            var cells = new Cell[3 * ActionCount];
            Array.Fill(cells, new Cell(Refused, default, 0));
            void Set(ReleaseState s, ReleaseAction a, ReleaseState t, TransitionKind k, byte g = 0) => cells[((int)s * ActionCount) + (int)a] = new((sbyte)t, k, g);
            const TransitionKind I = TransitionKind.Internal;
            const ReleaseState D = ReleaseState.Draft, L = ReleaseState.Live, X = ReleaseState.Deprecated;
            Set(D, ReleaseAction.EditContent, D, I);
            Set(D, ReleaseAction.EditNotes, D, I);
            Set(D, ReleaseAction.Copy, D, I);
            Set(D, ReleaseAction.Run, D, I);
            Set(D, ReleaseAction.Pause, D, I);
            Set(D, ReleaseAction.Promote, L, TransitionKind.Transition);
            Set(D, ReleaseAction.Delete, D, TransitionKind.Exit, NoInstallations);
            Set(L, ReleaseAction.EditNotes, L, I);
            Set(L, ReleaseAction.Copy, L, I);
            Set(L, ReleaseAction.Run, L, I);
            Set(L, ReleaseAction.Pause, L, I);
            Set(L, ReleaseAction.Install, L, I, Published);
            Set(L, ReleaseAction.UpgradeTo, L, I);
            Set(L, ReleaseAction.Supersede, X, TransitionKind.Transition);
            Set(X, ReleaseAction.EditNotes, X, I);
            Set(X, ReleaseAction.Copy, X, I);
            Set(X, ReleaseAction.Pause, X, I);
            Set(X, ReleaseAction.Delete, X, TransitionKind.Exit, NoInstallations);
            return cells;
        }
    }

    /// <summary>Integration versions (Zapier-style): 6 states × 13 actions.</summary>
    internal static class Version
    {
        public const int ActionCount = 13;

        // Guards: 1 = under the edit limit (Z4), 2 = not labeled (Z5), 3 = unused or another Promoted (Z13), 4 = unused (Z15).
        private const byte UnderEditLimit = 1;
        private const byte NotLabeled = 2;
        private const byte TargetExists = 3;
        private const byte Unused = 4;

        private static readonly Cell[] Cells = Build();

        private static readonly ulong[] Free = [Mask(1, 2, 6, 10), Mask(1, 2, 5, 10, 11, 12), Mask(1, 2, 4, 6, 10, 11, 12), Mask(1, 2), Mask(1, 2, 8), Mask(1, 2)];
        private static readonly ulong[] IfUnderEditLimit = [Mask(0), 0, 0, 0, 0, 0];
        private static readonly ulong[] IfNotLabeled = [Mask(3, 4, 11, 12), 0, 0, Mask(11), Mask(11), Mask(11)];
        private static readonly ulong[] IfTargetExists = [Mask(7), 0, Mask(7), Mask(7), 0, 0];
        private static readonly ulong[] IfUnused = [Mask(9), 0, Mask(9), Mask(9), Mask(9), Mask(9)];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool CanApply(VersionState state, VersionAction action, in VersionFacts facts)
        {
            var cell = Cells[((int)state * ActionCount) + (int)action];
            return cell.Target != Refused && GuardHolds(cell.Guard, in facts);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool TryApply(VersionState state, VersionAction action, in VersionFacts facts, out VersionState target, out TransitionKind kind)
        {
            var cell = Cells[((int)state * ActionCount) + (int)action];
            if (cell.Target == Refused || !GuardHolds(cell.Guard, in facts))
            {
                target = state;
                kind = default;
                return false;
            }

            target = (VersionState)cell.Target;
            kind = cell.Kind;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong PermittedMask(VersionState state, in VersionFacts facts)
        {
            var s = (int)state;
            var mask = Free[s];
            if (facts.InstallationCount < facts.EditInstallationLimit)
            {
                mask |= IfUnderEditLimit[s];
            }

            if (!facts.IsPreRelease)
            {
                mask |= IfNotLabeled[s];
            }

            if (facts.InstallationCount == 0 || facts.AnotherVersionPromoted)
            {
                mask |= IfTargetExists[s];
            }

            if (facts.InstallationCount == 0)
            {
                mask |= IfUnused[s];
            }

            return mask;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool GuardHolds(byte guard, in VersionFacts facts) => guard switch
        {
            0 => true,
            UnderEditLimit => facts.InstallationCount < facts.EditInstallationLimit,
            NotLabeled => !facts.IsPreRelease,
            TargetExists => facts.InstallationCount == 0 || facts.AnotherVersionPromoted,
            _ => facts.InstallationCount == 0,
        };

        private static Cell[] Build()
        {
            var cells = new Cell[6 * ActionCount];
            Array.Fill(cells, new Cell(Refused, default, 0));
            void Set(VersionState s, VersionAction a, VersionState t, TransitionKind k, byte g = 0) => cells[((int)s * ActionCount) + (int)a] = new((sbyte)t, k, g);
            void Internal(VersionState s, byte g, params VersionAction[] actions)
            {
                foreach (var a in actions)
                {
                    Set(s, a, s, TransitionKind.Internal, g);
                }
            }

            const TransitionKind T = TransitionKind.Transition, E = TransitionKind.Exit;
            const VersionState P = VersionState.Private, Pr = VersionState.Promoted, Av = VersionState.Available,
                Lg = VersionState.Legacy, Dg = VersionState.Deprecating, Dd = VersionState.Deprecated;

            Internal(P, UnderEditLimit, VersionAction.EditContent);
            Internal(P, 0, VersionAction.EditNotes, VersionAction.Clone, VersionAction.Install);
            Internal(P, NotLabeled, VersionAction.Share, VersionAction.MigrateFrom, VersionAction.MigrateTo);
            Set(P, VersionAction.Promote, Pr, T, NotLabeled);
            Set(P, VersionAction.MarkLegacy, Lg, T);
            Set(P, VersionAction.Deprecate, Dg, T, TargetExists);
            Set(P, VersionAction.Delete, P, E, Unused);

            Internal(Pr, 0, VersionAction.EditNotes, VersionAction.Clone, VersionAction.Install, VersionAction.MigrateFrom, VersionAction.MigrateTo);
            Set(Pr, VersionAction.Demote, Av, T);

            Internal(Av, 0, VersionAction.EditNotes, VersionAction.Clone, VersionAction.Install, VersionAction.MigrateFrom, VersionAction.MigrateTo);
            Set(Av, VersionAction.Promote, Pr, T);
            Set(Av, VersionAction.MarkLegacy, Lg, T);
            Set(Av, VersionAction.Deprecate, Dg, T, TargetExists);
            Set(Av, VersionAction.Delete, Av, E, Unused);

            Internal(Lg, 0, VersionAction.EditNotes, VersionAction.Clone);
            Internal(Lg, NotLabeled, VersionAction.MigrateFrom);
            Set(Lg, VersionAction.Deprecate, Dg, T, TargetExists);
            Set(Lg, VersionAction.Delete, Lg, E, Unused);

            Internal(Dg, 0, VersionAction.EditNotes, VersionAction.Clone);
            Internal(Dg, NotLabeled, VersionAction.MigrateFrom);
            Set(Dg, VersionAction.Expire, Dd, T);
            Set(Dg, VersionAction.Delete, Dg, E, Unused);

            Internal(Dd, 0, VersionAction.EditNotes, VersionAction.Clone);
            Internal(Dd, NotLabeled, VersionAction.MigrateFrom);
            Set(Dd, VersionAction.Delete, Dd, E, Unused);
            return cells;
        }
    }

    /// <summary>Sums the action indexes of a mask, lowest first: what iterating a permitted-action set costs by hand.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SumActions(ulong mask)
    {
        var sum = 0;
        while (mask != 0)
        {
            sum += BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
        }

        return sum;
    }

    private static ulong Mask(params int[] actions)
    {
        var mask = 0UL;
        foreach (var a in actions)
        {
            mask |= 1UL << a;
        }

        return mask;
    }
}
