using System.Collections.Immutable;
using FsCheck;
using FsCheck.Experimental;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Versioning.Core.Content;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

/// <summary>
/// Model-based test: random sequences of create, clone, notes, edit, share, unshare, promote, legacy, deprecate,
/// install, delete and clock moves (0–400 days, and exactly onto deprecation instants) run against the real service
/// and against a small reference model. After every step the outcome (success or the refusing rule) must match the
/// model's prediction, and the invariants must hold: at most one Promoted (exactly one once any was promoted, Z7/Z9),
/// locked content never changes (Z4/Z7), states at any instant agree with the model (Z12), no number is reused (Z1),
/// and a refused command saves nothing (X1).
/// </summary>
public class IntegrationMachineTests
{
    [Property(MaxTest = 120)]
    public Property AnyCommandSequence_MatchesReferenceModelAndKeepsInvariants_Z9()
        => new IntegrationMachine(maxCommands: 30).ToProperty();

    /// <summary>What a command did: "ok", a rule ID, "NotFound" or "OutOfRange".</summary>
    internal static class Outcomes
    {
        public const string Ok = "ok";
        public const string NotFound = "NotFound";
        public const string OutOfRange = "OutOfRange";
    }

    /// <summary>One version as the model sees it. <see cref="ContentTag"/> k stands for steps C0..C(k-1).</summary>
    internal sealed record ModelVersion(VersionNumber Number, VersionState Stored, Instant? DeprecatedAt, int ContentTag, bool HasNotes, bool Shared, int Installations, bool WasPublic = false)
    {
        /// <summary>The reference state rule: stored state, except Deprecated from the deprecation instant on.</summary>
        public VersionState StateAt(Instant at) => Stored == VersionState.Deprecating && at >= DeprecatedAt ? VersionState.Deprecated : Stored;

        public override string ToString() => $"{Number}:{Stored}{(DeprecatedAt is { } d ? "@" + d : string.Empty)} c{ContentTag}{(HasNotes ? " n" : string.Empty)}{(Shared ? " s" : string.Empty)} i{Installations}";
    }

    /// <summary>The reference model: immutable; every operation returns a new one.</summary>
    internal sealed record Model(ImmutableSortedDictionary<VersionNumber, ModelVersion> Versions, ImmutableSortedSet<VersionNumber> Used, Instant Now, bool HasPromoted, string Expected)
    {
        public static Model Initial { get; } = new(ImmutableSortedDictionary<VersionNumber, ModelVersion>.Empty, [], Start, false, Outcomes.Ok);

        public ModelVersion? Promoted => Versions.Values.FirstOrDefault(v => v.Stored == VersionState.Promoted);

        public Model Refuse(string outcome) => this with { Expected = outcome };

        public Model Put(ModelVersion version) => this with { Versions = Versions.SetItem(version.Number, version), Expected = Outcomes.Ok };

        public override string ToString() => $"now={Now} promoted={HasPromoted} expect={Expected} [{string.Join(", ", Versions.Values)}] used=[{string.Join(",", Used)}]";
    }

    /// <summary>The system under test: the real service on in-memory stores, plus what the checks remember between steps.</summary>
    internal sealed class Sut
    {
        public const int EditLimit = 2;

        public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Pacific/Auckland"];

        public Sut()
        {
            H = new IntegrationHarness(o =>
            {
                o.EditInstallationLimit = EditLimit;
                o.DeprecationTimeZone = Zone;
            });
            Id = H.NewIntegrationAsync().GetAwaiter().GetResult();
        }

        public IntegrationHarness H { get; }

        public IntegrationId Id { get; }

        /// <summary>The content of every version seen outside Private: it must never change again.</summary>
        public Dictionary<VersionNumber, WorkflowDefinition> Locked { get; } = [];

        public override string ToString() => "Sut";
    }

    internal static WorkflowDefinition ContentFor(int tag)
        => new(Enumerable.Range(0, tag).Select(i => new Step($"step {i}", new ConnectorRef($"C{i}", "1"), "Run")));

    /// <summary>Z2 as the spec words it, written independently of the library.</summary>
    internal static bool HasPredecessor(ImmutableSortedSet<VersionNumber> used, VersionNumber n)
    {
        var released = used.Where(u => !u.IsPreRelease).ToList();
        if (n.IsPreRelease || released.Count == 0)
        {
            return true;
        }

        if (n.Patch > 0)
        {
            return released.Contains(new VersionNumber(n.Major, n.Minor, n.Patch - 1));
        }

        if (n.Minor > 0)
        {
            return released.Any(u => u.Major == n.Major && u.Minor == n.Minor - 1);
        }

        return n.Major > 0 && released.Any(u => u.Major == n.Major - 1);
    }

    /// <summary>Runs a service call and reports how it ended; anything unexpected propagates and fails the run.</summary>
    internal static string Outcome(Func<Task> act)
    {
        try
        {
            act().GetAwaiter().GetResult();
            return Outcomes.Ok;
        }
        catch (VersioningRuleException ex)
        {
            return ex.RuleId;
        }
        catch (EntityNotFoundException)
        {
            return Outcomes.NotFound;
        }
        catch (ArgumentOutOfRangeException)
        {
            return Outcomes.OutOfRange;
        }
    }

    /// <summary>Base for every command: runs it on the SUT, then checks the outcome and every invariant against the model.</summary>
    internal abstract class Command : Operation<Sut, Model>
    {
        public sealed override Property Check(Sut actual, Model model)
        {
            var storedBefore = actual.H.Stored(actual.Id);
            var eventsBefore = actual.H.Store.EventCount;

            var outcome = Execute(actual, model);

            Assert.True(model.Expected == outcome, $"{this}: expected {model.Expected} but got {outcome}. Model: {model}");
            if (outcome != Outcomes.Ok)
            {
                // X1: a refused command saves nothing and raises no event.
                Assert.Same(storedBefore, actual.H.Stored(actual.Id));
                Assert.Equal(eventsBefore, actual.H.Store.EventCount);
            }

            Invariants.Verify(actual, model);
            return Prop.ToProperty(true);
        }

        /// <summary>Runs the command on the SUT (the model passed is the one after the command).</summary>
        protected abstract string Execute(Sut actual, Model after);
    }

    internal static class Invariants
    {
        public static void Verify(Sut actual, Model model)
        {
            var h = actual.H;
            Assert.Equal(model.Now, h.Clock.GetCurrentInstant());
            var integration = h.LoadAsync(actual.Id).GetAwaiter().GetResult();

            // Same versions, same stored facts.
            Assert.Equal(model.Versions.Keys, integration.Versions.Select(v => v.Number));
            foreach (var v in integration.Versions)
            {
                var m = model.Versions[v.Number];
                Assert.Equal(m.Stored, v.StoredState);
                Assert.Equal(m.DeprecatedAt, v.Deprecation?.EffectiveAt);
                Assert.Equal(ContentFor(m.ContentTag), v.Content);
                Assert.Equal(m.HasNotes, v.Notes.Length > 0);
                Assert.Equal(m.Shared, v.SharedWith.Contains(Outsider));

                // Z4/Z7: once a version left Private its content is locked for good.
                if (v.StoredState != VersionState.Private)
                {
                    if (actual.Locked.TryGetValue(v.Number, out var locked))
                    {
                        Assert.Equal(locked, v.Content);
                    }
                    else
                    {
                        actual.Locked[v.Number] = v.Content;
                    }
                }
                else
                {
                    Assert.False(actual.Locked.ContainsKey(v.Number), $"{v.Number} went back to Private");
                }
            }

            // Z1: numbers are never reused; deleted ones stay taken.
            Assert.Equal(model.Used.ToList(), integration.UsedNumbers.Order().ToList());
            var created = integration.AuditTrail.Where(e => e.Action == Versioning.Core.Auditing.AuditAction.ReleaseCreated).Select(e => e.Subject).ToList();
            Assert.Equal(created.Count, created.Distinct().Count());
            Assert.Equal(model.Used.Count, created.Count);

            // Z7/Z9: at most one Promoted, exactly one once any was promoted, at every instant from now on.
            Assert.Equal(model.HasPromoted, integration.HasPromoted);
            var instants = new List<Instant> { model.Now, model.Now - Duration.Epsilon, model.Now + Duration.FromDays(1), model.Now + Duration.FromDays(30), model.Now + Duration.FromDays(400) };
            foreach (var d in model.Versions.Values.Where(v => v.DeprecatedAt is not null).Select(v => v.DeprecatedAt!.Value))
            {
                instants.Add(d - Duration.Epsilon);
                instants.Add(d);
            }

            foreach (var at in instants)
            {
                var promoted = integration.Versions.Count(v => v.StateAt(at) == VersionState.Promoted);
                Assert.True(promoted <= 1, $"{promoted} Promoted at {at}");
                Assert.Equal(model.HasPromoted ? 1 : 0, promoted);

                // Z12: the derived state at any instant agrees with the reference rule.
                foreach (var v in integration.Versions)
                {
                    Assert.True(model.Versions[v.Number].StateAt(at) == v.StateAt(at), $"{v.Number} at {at}: model {model.Versions[v.Number].StateAt(at)}, actual {v.StateAt(at)}");
                }
            }

            // Z16: the listing at now hides Deprecated versions and counts installations.
            var rows = h.Service.ListVersionsAsync(actual.Id, Owner, model.Now).GetAwaiter().GetResult();
            var expectedRows = model.Versions.Values.Where(v => v.StateAt(model.Now) != VersionState.Deprecated)
                .Select(v => (v.Number, v.StateAt(model.Now), (long)v.Installations));
            Assert.Equal(expectedRows, rows.Select(r => (r.Number, r.State, r.InstallationCount)));

            // Z13: notices fall due 14 days before the deprecation instant, while Deprecating.
            var notices = h.Service.ListNoticesDueAsync(Owner, model.Now).GetAwaiter().GetResult();
            var expectedNotices = model.Versions.Values
                .Where(v => v.StateAt(model.Now) == VersionState.Deprecating && v.DeprecatedAt is { } d && model.Now >= d - Duration.FromDays(14))
                .Select(v => v.Number);
            Assert.Equal(expectedNotices, notices.Select(n => n.Version));
        }
    }

    internal sealed class Create(VersionNumber number, int tag, bool withNotes) : Command
    {
        public override Model Run(Model m)
        {
            if (m.Used.Contains(number))
            {
                return m.Refuse("Z1");
            }

            if (!HasPredecessor(m.Used, number))
            {
                return m.Refuse("Z2");
            }

            return m.Put(new ModelVersion(number, VersionState.Private, null, tag, withNotes, false, 0)) with { Used = m.Used.Add(number) };
        }

        protected override string Execute(Sut actual, Model after)
        {
            var outcome = Outcome(() => actual.H.Service.CreateVersionAsync(actual.Id, number, ContentFor(tag), Owner));
            if (outcome == Outcomes.Ok && withNotes)
            {
                actual.H.Service.SetNotesAsync(actual.Id, number, $"Notes for {number}.", Owner).GetAwaiter().GetResult();
            }

            return outcome;
        }

        public override string ToString() => $"Create {number} c{tag}{(withNotes ? " with notes" : string.Empty)}";
    }

    internal sealed class Clone(VersionNumber source, VersionNumber number) : Command
    {
        public override Model Run(Model m)
        {
            if (!m.Versions.TryGetValue(source, out var s))
            {
                return m.Refuse(Outcomes.NotFound);
            }

            if (m.Used.Contains(number))
            {
                return m.Refuse("Z1");
            }

            if (!HasPredecessor(m.Used, number))
            {
                return m.Refuse("Z2");
            }

            return m.Put(new ModelVersion(number, VersionState.Private, null, s.ContentTag, s.HasNotes, false, 0)) with { Used = m.Used.Add(number) };
        }

        protected override string Execute(Sut actual, Model after)
            => Outcome(() => actual.H.Service.CloneVersionAsync(actual.Id, source, number, Owner));

        public override string ToString() => $"Clone {source} -> {number}";
    }

    internal sealed class AddNotes(VersionNumber number) : Command
    {
        public override Model Run(Model m)
            => m.Versions.TryGetValue(number, out var v) ? m.Put(v with { HasNotes = true }) : m.Refuse(Outcomes.NotFound);

        protected override string Execute(Sut actual, Model after)
            => Outcome(() => actual.H.Service.SetNotesAsync(actual.Id, number, $"Notes for {number}.", Owner));

        public override string ToString() => $"Notes {number}";
    }

    internal sealed class Edit(VersionNumber number, int tag) : Command
    {
        public override Model Run(Model m)
        {
            if (!m.Versions.TryGetValue(number, out var v))
            {
                return m.Refuse(Outcomes.NotFound);
            }

            return v.StateAt(m.Now) switch
            {
                VersionState.Private when v.Installations >= Sut.EditLimit => m.Refuse("Z4"),
                VersionState.Private => m.Put(v with { ContentTag = tag }),
                VersionState.Promoted => m.Refuse("Z7"),
                _ => m.Refuse("Z4"),
            };
        }

        protected override string Execute(Sut actual, Model after)
            => Outcome(() => actual.H.Service.EditContentAsync(actual.Id, number, ContentFor(tag), Owner));

        public override string ToString() => $"Edit {number} c{tag}";
    }

    internal sealed class Share(VersionNumber number, bool share) : Command
    {
        public override Model Run(Model m)
        {
            if (!m.Versions.TryGetValue(number, out var v))
            {
                return m.Refuse(Outcomes.NotFound);
            }

            if (!share)
            {
                return m.Put(v with { Shared = false });
            }

            return v.StateAt(m.Now) switch
            {
                VersionState.Private when v.Number.IsPreRelease => m.Refuse("Z5"),
                VersionState.Private => m.Put(v with { Shared = true }),
                _ => m.Refuse("Z6"),
            };
        }

        protected override string Execute(Sut actual, Model after)
            => Outcome(() => share
                ? actual.H.Service.ShareAsync(actual.Id, number, Outsider, Owner)
                : actual.H.Service.UnshareAsync(actual.Id, number, Outsider, Owner));

        public override string ToString() => $"{(share ? "Share" : "Unshare")} {number}";
    }

    internal sealed class Promote(VersionNumber number) : Command
    {
        public override Model Run(Model m)
        {
            if (!m.Versions.TryGetValue(number, out var v))
            {
                return m.Refuse(Outcomes.NotFound);
            }

            var refusal = v.StateAt(m.Now) switch
            {
                VersionState.Private when v.Number.IsPreRelease => "Z5",
                VersionState.Private or VersionState.Available => null,
                VersionState.Promoted => "Z7",
                VersionState.Legacy => "Z11",
                _ => "Z12",
            };
            if (refusal is not null)
            {
                return m.Refuse(refusal);
            }

            var current = m.Promoted;
            var notesMissing = !v.HasNotes;
            var breakingWithoutMajor = current is not null
                && v.ContentTag < current.ContentTag
                && v.Number > current.Number
                && v.Number.Major <= current.Number.Major;
            if (notesMissing || breakingWithoutMajor)
            {
                return m.Refuse("Z8");
            }

            var next = current is null ? m : m.Put(current with { Stored = VersionState.Available });
            return next.Put(v with { Stored = VersionState.Promoted, WasPublic = true }) with { HasPromoted = true };
        }

        protected override string Execute(Sut actual, Model after)
            => Outcome(() => actual.H.Service.PromoteAsync(actual.Id, number, Owner));

        public override string ToString() => $"Promote {number}";
    }

    internal sealed class MarkLegacy(VersionNumber number) : Command
    {
        public override Model Run(Model m)
        {
            if (!m.Versions.TryGetValue(number, out var v))
            {
                return m.Refuse(Outcomes.NotFound);
            }

            return v.StateAt(m.Now) switch
            {
                VersionState.Private or VersionState.Available => m.Put(v with { Stored = VersionState.Legacy }),
                VersionState.Promoted or VersionState.Legacy => m.Refuse("Z11"),
                _ => m.Refuse("Z12"),
            };
        }

        protected override string Execute(Sut actual, Model after)
            => Outcome(() => actual.H.Service.MarkLegacyAsync(actual.Id, number, Owner));

        public override string ToString() => $"Legacy {number}";
    }

    internal sealed class Deprecate(VersionNumber number, int days) : Command
    {
        private static (LocalDate Date, Instant Effective) DateFrom(Instant now, int days)
        {
            var date = now.InZone(Sut.Zone).Date.PlusDays(days);
            return (date, date.AtStartOfDayInZone(Sut.Zone).ToInstant());
        }

        public override Model Run(Model m)
        {
            var (_, effective) = DateFrom(m.Now, days);
            if (!m.Versions.TryGetValue(number, out var v))
            {
                return m.Refuse(Outcomes.NotFound);
            }

            // The window is a rule (Z12), checked once the version is found and before its state.
            if (effective < m.Now + Duration.FromDays(21) || effective > m.Now + Duration.FromDays(365))
            {
                return m.Refuse("Z12");
            }

            var anotherPromoted = m.Promoted is { } p && p.Number != number;
            return v.StateAt(m.Now) switch
            {
                VersionState.Private or VersionState.Available or VersionState.Legacy when v.Installations > 0 && !anotherPromoted => m.Refuse("Z13"),
                VersionState.Private or VersionState.Available or VersionState.Legacy => m.Put(v with { Stored = VersionState.Deprecating, DeprecatedAt = effective }),
                _ => m.Refuse("Z12"),
            };
        }

        protected override string Execute(Sut actual, Model after)
        {
            var (date, _) = DateFrom(actual.H.Clock.GetCurrentInstant(), days);
            return Outcome(() => actual.H.Service.DeprecateAsync(actual.Id, number, date, DeprecationReason.Replaced, null, Owner));
        }

        public override string ToString() => $"Deprecate {number} +{days}d";
    }

    internal sealed class Delete(VersionNumber number) : Command
    {
        public override Model Run(Model m)
        {
            if (!m.Versions.TryGetValue(number, out var v))
            {
                return m.Refuse(Outcomes.NotFound);
            }

            if (v.StateAt(m.Now) == VersionState.Promoted || v.Installations > 0)
            {
                return m.Refuse("Z15");
            }

            return m with { Versions = m.Versions.Remove(number), Expected = Outcomes.Ok };
        }

        protected override string Execute(Sut actual, Model after)
            => Outcome(() => actual.H.Service.DeleteVersionAsync(actual.Id, number, Owner));

        public override string ToString() => $"Delete {number}";
    }

    internal sealed class Install(VersionNumber? number, bool outsider) : Command
    {
        public override Model Run(Model m)
        {
            ModelVersion? v;
            if (number is not { } n)
            {
                v = m.Promoted;
                if (v is null)
                {
                    return m.Refuse("Z10");
                }
            }
            else
            {
                if (!m.Versions.TryGetValue(n, out v))
                {
                    return m.Refuse(Outcomes.NotFound);
                }

                // X8: an outsider sees a version that was ever public, or one shared with them, whatever its state now.
                var visible = !outsider || (!n.IsPreRelease && (v.WasPublic || v.Shared));
                if (!visible)
                {
                    return m.Refuse(Outcomes.NotFound);
                }
            }

            return v.StateAt(m.Now) switch
            {
                VersionState.Private or VersionState.Promoted or VersionState.Available => m.Put(v with { Installations = v.Installations + 1 }),
                VersionState.Legacy => m.Refuse("Z11"),
                VersionState.Deprecating => m.Refuse("Z13"),
                _ => m.Refuse("Z14"),
            };
        }

        protected override string Execute(Sut actual, Model after)
            => Outcome(() => outsider
                ? actual.H.InstallForSelfAsync(actual.Id, number?.ToString(), Outsider)
                : actual.H.InstallAsync(actual.Id, number?.ToString(), Owner, $"account-{Guid.NewGuid():N}"));

        public override string ToString() => $"Install {number?.ToString() ?? "(Promoted)"}{(outsider ? " as outsider" : string.Empty)}";
    }

    internal sealed class Advance(Duration by) : Command
    {
        public override Model Run(Model m) => m with { Now = m.Now + by, Expected = Outcomes.Ok };

        protected override string Execute(Sut actual, Model after)
        {
            actual.H.Clock.Advance(by);
            return Outcomes.Ok;
        }

        public override string ToString() => $"Advance {by}";
    }

    /// <summary>Moves the clock exactly onto (or one tick before) the next deprecation instant still ahead, if any.</summary>
    internal sealed class AdvanceToDeprecation(bool oneTickBefore) : Command
    {
        private Instant Target(Model m)
        {
            var ahead = m.Versions.Values
                .Where(v => v.DeprecatedAt is { } d && (oneTickBefore ? d - Duration.Epsilon : d) > m.Now)
                .Select(v => oneTickBefore ? v.DeprecatedAt!.Value - Duration.Epsilon : v.DeprecatedAt!.Value)
                .ToList();
            return ahead.Count == 0 ? m.Now : ahead.Min();
        }

        public override Model Run(Model m) => m with { Now = Target(m), Expected = Outcomes.Ok };

        protected override string Execute(Sut actual, Model after)
        {
            // The clock is an input: set it to the instant the model chose, then check everything agrees there.
            actual.H.Clock.Reset(after.Now);
            return Outcomes.Ok;
        }

        public override string ToString() => $"Advance to {(oneTickBefore ? "1 tick before " : string.Empty)}next deprecation";
    }

    internal sealed class IntegrationMachine(int maxCommands) : Machine<Sut, Model>(maxCommands)
    {
        public override Arbitrary<Setup<Sut, Model>> Setup { get; } =
            Gen.Constant(StateMachine.Setup(() => new Sut(), () => Model.Initial)).ToArbitrary();

        private static readonly Gen<VersionNumber> SmallNumbers =
            from major in Gen.Choose(0, 2)
            from minor in Gen.Choose(0, 3)
            from patch in Gen.Choose(0, 3)
            from label in Gen.Frequency((9, Gen.Constant<string?>(null)), (1, Gen.Elements<string?>("beta", "rc1")))
            select new VersionNumber(major, minor, patch, label);

        private static Gen<VersionNumber> NewNumber(Model m)
        {
            var successors = m.Used.Where(n => !n.IsPreRelease).SelectMany(n => new[] { n.NextPatch(), n.NextMinor(), n.NextMajor() }).Distinct().ToArray();
            return successors.Length == 0 ? SmallNumbers : Gen.Frequency((1, SmallNumbers), (3, Gen.Elements(successors)));
        }

        private static Gen<VersionNumber> SomeNumber(Model m)
        {
            var existing = m.Versions.Keys.ToArray();
            return existing.Length == 0 ? SmallNumbers : Gen.Frequency((1, SmallNumbers), (6, Gen.Elements(existing)));
        }

        private static readonly Gen<int> Tags = Gen.Choose(0, 3);

        private static readonly Gen<int> DeprecationDays = Gen.Frequency(
            (3, Gen.Choose(15, 370)),
            (2, Gen.Elements(19, 20, 21, 22, 23, 364, 365, 366, 367)));

        private static readonly Gen<Duration> Durations = Gen.Frequency(
            (3, Gen.Choose(0, 400 * 86_400).Select(s => Duration.FromSeconds(s))),
            (2, Gen.Choose(0, 48 * 60).Select(mins => Duration.FromMinutes(mins))),
            (1, Gen.Elements(Duration.Zero, Duration.Epsilon, Duration.FromDays(7), Duration.FromDays(14), Duration.FromDays(21))));

        public override Gen<Operation<Sut, Model>> Next(Model m) => Gen.Frequency(
            (5, from n in NewNumber(m) from t in Tags from notes in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false))) select (Operation<Sut, Model>)new Create(n, t, notes)),
            (2, from s in SomeNumber(m) from n in NewNumber(m) select (Operation<Sut, Model>)new Clone(s, n)),
            (2, SomeNumber(m).Select(n => (Operation<Sut, Model>)new AddNotes(n))),
            (2, from n in SomeNumber(m) from t in Tags select (Operation<Sut, Model>)new Edit(n, t)),
            (2, from n in SomeNumber(m) from share in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false))) select (Operation<Sut, Model>)new Share(n, share)),
            (5, SomeNumber(m).Select(n => (Operation<Sut, Model>)new Promote(n))),
            (2, SomeNumber(m).Select(n => (Operation<Sut, Model>)new MarkLegacy(n))),
            (3, from n in SomeNumber(m) from d in DeprecationDays select (Operation<Sut, Model>)new Deprecate(n, d)),
            (2, SomeNumber(m).Select(n => (Operation<Sut, Model>)new Delete(n))),
            (4, from n in Gen.Frequency((1, Gen.Constant<VersionNumber?>(null)), (2, SomeNumber(m).Select(x => (VersionNumber?)x)))
                from outsider in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
                select (Operation<Sut, Model>)new Install(n, outsider)),
            (3, Durations.Select(d => (Operation<Sut, Model>)new Advance(d))),
            (2, Gen.Elements(true, false).Select(b => (Operation<Sut, Model>)new AdvanceToDeprecation(b))));
    }
}
