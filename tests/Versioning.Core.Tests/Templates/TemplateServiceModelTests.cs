using System.Collections.Immutable;
using FsCheck;
using FsCheck.Experimental;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Versioning.Core.Auditing;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Templates;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Templates;

/// <summary>
/// Model-based test: FsCheck generates random sequences of template commands from a small immutable model of the
/// rules, runs them against <see cref="TemplateService"/> over the in-memory stores, and after every step checks that
/// the service did what the model predicts (including which rule refuses a command) and that the invariants hold.
/// </summary>
public class TemplateServiceModelTests
{
    /// <summary>200 sequences whose length grows with the size, from 5 to 30 commands.</summary>
    [Property(MaxTest = 200, StartSize = 5, EndSize = 30)]
    public Property RandomCommandSequences_MatchModelAndKeepInvariants_T2_T3_T5_T10_T12_T14_X1()
        => new TemplateMachine().ToProperty();

    [Fact]
    public void Model_PredictsRefusals_ForHandPickedSequence_T7()
    {
        var model = TemplateModel.Initial;

        model = new CreateDraftOperation(1).Run(model);
        model = new PromoteOperation(1).Run(model);
        model = new CreateDraftOperation(2).Run(model);
        model = new PromoteOperation(2).Run(model);
        var refused = new PromoteOperation(1).Run(model);

        Assert.Equal(Outcome.Refused("T7"), refused.Expected);
        Assert.Equal(model with { Expected = Outcome.Refused("T7") }, refused);
        Assert.Equal(Outcome.Success, model.Expected);
    }
}

/// <summary>What a command is expected to do: succeed, be refused by a rule, or name a release that does not exist.</summary>
internal readonly record struct Outcome(string? RuleId, bool ReleaseNotFound)
{
    public static readonly Outcome Success = default;

    public static readonly Outcome NotFound = new(null, true);

    public bool Succeeds => RuleId is null && !ReleaseNotFound;

    public static Outcome Refused(string ruleId) => new(ruleId, false);

    public override string ToString() => Succeeds ? "success" : ReleaseNotFound ? "release not found" : $"refused ({RuleId})";
}

/// <summary>The model's view of one release.</summary>
internal sealed record ModelRelease(int Number, ReleaseState State, RunStatus RunStatus, int Content, string Notes);

/// <summary>
/// The model of one published template (and a second template that copies may go to). Immutable: every operation
/// returns a new model, as <see cref="Operation{TActual,TModel}.Run"/> requires.
/// </summary>
internal sealed record TemplateModel(
    ImmutableList<ModelRelease> Releases,
    int LastNumber,
    bool Published,
    int AuditCount,
    int OtherLastNumber,
    int OtherAuditCount,
    ImmutableList<int> Installations,
    Outcome Expected)
{
    /// <summary>The contents a release may have; the model holds an index into this list.</summary>
    public static readonly ImmutableArray<WorkflowDefinition> Contents =
        [WorkflowDefinition.Empty, Workflows.CrmToSlack(), Workflows.OneStep("A"), Workflows.OneStep("B")];

    /// <summary>The template is created (1 entry) and published (1 entry); the other template is created (1 entry).</summary>
    public static readonly TemplateModel Initial = new([], 0, true, 2, 0, 1, [], Outcome.Success);

    public ModelRelease? Find(int number) => Releases.Find(r => r.Number == number);

    public ModelRelease? Live => Releases.Find(r => r.State == ReleaseState.Live);

    public TemplateModel Replace(ModelRelease release)
        => this with { Releases = Releases.SetItem(Releases.FindIndex(r => r.Number == release.Number), release) };

    /// <summary>Equality that compares the lists item by item (records compare <see cref="ImmutableList{T}"/> by reference).</summary>
    public bool Equals(TemplateModel? other)
        => other is not null
           && Releases.SequenceEqual(other.Releases)
           && Installations.SequenceEqual(other.Installations)
           && (LastNumber, Published, AuditCount, OtherLastNumber, OtherAuditCount, Expected)
              == (other.LastNumber, other.Published, other.AuditCount, other.OtherLastNumber, other.OtherAuditCount, other.Expected);

    public override int GetHashCode() => HashCode.Combine(Releases.Count, LastNumber, AuditCount, Installations.Count);

    public override string ToString()
        => $"[{string.Join(", ", Releases.Select(r => $"{r.Number}:{r.State}/{r.RunStatus}/c{r.Content}"))}] last={LastNumber} "
           + $"published={Published} audit={AuditCount} installs=[{string.Join(",", Installations)}] expect {Expected}";
}

/// <summary>
/// The system under test for one generated sequence: a <see cref="TemplateService"/> over fresh stores, the two
/// templates, and what the invariant checks remember between steps.
/// </summary>
internal sealed class TemplateHarness
{
    private readonly Dictionary<int, WorkflowDefinition> _lockedContent = [];
    private readonly HashSet<int> _everSeen = [];
    private readonly HashSet<int> _gone = [];
    private AuditEntry[] _trail = [];

    private TemplateHarness(TemplateScenario scenario, TemplateId id, TemplateId otherId)
    {
        Scenario = scenario;
        Id = id;
        OtherId = otherId;
    }

    public static ActorId Actor { get; } = Actors.Carol;

    public TemplateScenario Scenario { get; }

    public TemplateService Service => Scenario.Service;

    public TemplateId Id { get; }

    public TemplateId OtherId { get; }

    public static TemplateHarness Create()
    {
        var scenario = new TemplateScenario();
        var id = scenario.NewTemplateAsync("Model", published: true).GetAwaiter().GetResult();
        var otherId = scenario.NewTemplateAsync("Other").GetAwaiter().GetResult();
        return new TemplateHarness(scenario, id, otherId);
    }

    /// <summary>Runs one command and checks its outcome; a refused command must leave both templates and the stores as they were (X1).</summary>
    public void Execute(Func<TemplateHarness, Task> command, Outcome expected)
    {
        Scenario.Clock.Advance(Duration.FromMinutes(1));
        var before = Scenario.CaptureAsync(Id).GetAwaiter().GetResult();
        var otherBefore = Scenario.CaptureAsync(OtherId).GetAwaiter().GetResult();

        var ex = Record.Exception(() => command(this).GetAwaiter().GetResult());

        if (expected.Succeeds)
        {
            Assert.True(ex is null, $"expected success, got {ex}");
            var template = Scenario.LoadAsync(Id).GetAwaiter().GetResult();
            Assert.All(template.AuditTrail.Skip(before.Template.AuditTrail.Length), e => Assert.Equal((Actor, Scenario.Clock.GetCurrentInstant()), (e.Actor, e.At)));
            return;
        }

        if (expected.ReleaseNotFound)
        {
            var notFound = Assert.IsType<EntityNotFoundException>(ex);
            Assert.Equal("Release", notFound.Kind);
        }
        else
        {
            var refused = Assert.IsType<VersioningRuleException>(ex);
            Assert.Equal(expected.RuleId, refused.RuleId);
            Assert.Equal(Id.ToString(), refused.AggregateId);
        }

        TemplateAssert.Unchanged(before, Scenario.CaptureAsync(Id).GetAwaiter().GetResult());
        TemplateAssert.Unchanged(otherBefore, Scenario.CaptureAsync(OtherId).GetAwaiter().GetResult());
    }

    /// <summary>Checks the stored state against the model and the invariants that hold whatever the model says.</summary>
    public void Verify(TemplateModel model)
    {
        var template = Scenario.LoadAsync(Id).GetAwaiter().GetResult();
        var other = Scenario.LoadAsync(OtherId).GetAwaiter().GetResult();
        var installations = Scenario.InstallationsOfAsync(Id).GetAwaiter().GetResult();

        // What the model predicts.
        Assert.Equal(
            model.Releases.Select(r => (r.Number, r.State, r.RunStatus, TemplateModel.Contents[r.Content], r.Notes)),
            template.Releases.Select(r => (r.Number.Value, r.State, r.RunStatus, r.Content, r.Notes)));
        Assert.Equal((model.LastNumber, model.Published, model.AuditCount), (template.LastReleaseNumber, template.Published, template.AuditTrail.Count));
        Assert.Equal((model.OtherLastNumber, model.OtherAuditCount), (other.LastReleaseNumber, other.AuditTrail.Count));
        Assert.Equal(model.Installations.Order(), installations.Select(i => i.Pinned.ToReleaseNumber().Value).Order());

        // T5: at most one Live, and the aggregate knows which.
        var live = template.Releases.Where(r => r.State == ReleaseState.Live).ToArray();
        Assert.True(live.Length <= 1, $"{live.Length} Live releases");
        Assert.Equal(live.SingleOrDefault()?.Number, template.LiveRelease?.Number);

        // T2: numbers strictly increase, new numbers exceed every number ever used, deleted numbers never return.
        var numbers = template.Releases.Select(r => r.Number.Value).ToArray();
        Assert.True(numbers.Zip(numbers.Skip(1)).All(p => p.First < p.Second), $"numbers not ascending: {string.Join(",", numbers)}");
        Assert.True(numbers.Length == 0 || numbers[^1] <= template.LastReleaseNumber);
        var highestSeen = _everSeen.Count == 0 ? 0 : _everSeen.Max();
        foreach (var number in numbers)
        {
            Assert.DoesNotContain(number, _gone);
            if (_everSeen.Add(number))
            {
                Assert.True(number > highestSeen, $"release {number} is not above {highestSeen}");
            }
        }

        _gone.UnionWith(_everSeen.Except(numbers));

        // T3/T6: once Live or Deprecated, a release never changes content and never becomes a Draft again.
        foreach (var release in template.Releases)
        {
            if (_lockedContent.TryGetValue(release.Number.Value, out var locked))
            {
                Assert.NotEqual(ReleaseState.Draft, release.State);
                Assert.Equal(locked, release.Content);
            }
            else if (release.State != ReleaseState.Draft)
            {
                _lockedContent[release.Number.Value] = release.Content;
            }
        }

        // T14: the audit trail only grows; earlier entries never change.
        Assert.True(template.AuditTrail.Count >= _trail.Length);
        Assert.Equal(_trail, template.AuditTrail.Take(_trail.Length));
        _trail = [.. template.AuditTrail];

        // T10/T12/I2: every installation points at an existing release and started Paused.
        Assert.All(installations, i =>
        {
            Assert.NotNull(template.FindRelease(i.Pinned.ToReleaseNumber()));
            Assert.Equal(RunStatus.Paused, i.Status);
        });

        // T8: everything in the other template is a Draft copied from this one.
        Assert.All(other.Releases, r =>
        {
            Assert.Equal(ReleaseState.Draft, r.State);
            Assert.Equal(Id, r.CopiedFrom?.TemplateId);
        });
    }
}

/// <summary>One generated command: predicts its outcome on the model, runs it on the service, and checks both agree.</summary>
internal abstract class TemplateOperation : Operation<TemplateHarness, TemplateModel>
{
    public sealed override TemplateModel Run(TemplateModel model)
    {
        var next = Predict(model with { Expected = Outcome.Success });
        return next.Expected.Succeeds ? next : model with { Expected = next.Expected };
    }

    public sealed override Property Check(TemplateHarness actual, TemplateModel model)
    {
        actual.Execute(Execute, model.Expected);
        actual.Verify(model);
        return true.ToProperty();
    }

    /// <summary>The model after the command; if it is refused, only <see cref="TemplateModel.Expected"/> matters.</summary>
    protected abstract TemplateModel Predict(TemplateModel model);

    protected abstract Task Execute(TemplateHarness harness);

    protected static TemplateModel Refuse(TemplateModel model, string ruleId) => model with { Expected = Outcome.Refused(ruleId) };

    protected static TemplateModel NotFound(TemplateModel model) => model with { Expected = Outcome.NotFound };
}

/// <summary>An operation on one release, identified by number (which may not exist).</summary>
internal abstract class ReleaseOperation(int number) : TemplateOperation
{
    public int Number { get; } = number;

    protected sealed override TemplateModel Predict(TemplateModel model)
        => model.Find(Number) is { } release ? Predict(model, release) : NotFound(model);

    protected abstract TemplateModel Predict(TemplateModel model, ModelRelease release);
}

internal sealed class CreateDraftOperation(int content) : TemplateOperation
{
    protected override TemplateModel Predict(TemplateModel model) => model with
    {
        Releases = model.Releases.Add(new ModelRelease(model.LastNumber + 1, ReleaseState.Draft, RunStatus.Paused, content, string.Empty)),
        LastNumber = model.LastNumber + 1,
        AuditCount = model.AuditCount + 1,
    };

    protected override Task Execute(TemplateHarness harness) => harness.Service.CreateDraftAsync(harness.Id, TemplateModel.Contents[content], TemplateHarness.Actor);

    public override string ToString() => $"CreateDraft(c{content})";
}

internal sealed class EditContentOperation(int number, int content) : ReleaseOperation(number)
{
    protected override TemplateModel Predict(TemplateModel model, ModelRelease release)
        => release.State != ReleaseState.Draft
            ? Refuse(model, "T3")
            : release.Content == content ? model // X12: the same content again changes nothing
            : model.Replace(release with { Content = content }) with { AuditCount = model.AuditCount + 1 };

    protected override Task Execute(TemplateHarness harness) => harness.Service.EditContentAsync(harness.Id, R(Number), TemplateModel.Contents[content], TemplateHarness.Actor);

    public override string ToString() => $"EditContent({Number}, c{content})";
}

internal sealed class SetNotesOperation(int number, string notes) : ReleaseOperation(number)
{
    protected override TemplateModel Predict(TemplateModel model, ModelRelease release)
        => release.Notes == notes ? model : model.Replace(release with { Notes = notes }) with { AuditCount = model.AuditCount + 1 };

    protected override Task Execute(TemplateHarness harness) => harness.Service.SetNotesAsync(harness.Id, R(Number), notes, TemplateHarness.Actor);

    public override string ToString() => $"SetNotes({Number}, \"{notes}\")";
}

internal sealed class PromoteOperation(int number) : ReleaseOperation(number)
{
    protected override TemplateModel Predict(TemplateModel model, ModelRelease release)
    {
        switch (release.State)
        {
            case ReleaseState.Live:
                return Refuse(model, "T5");
            case ReleaseState.Deprecated:
                return Refuse(model, "T7");
        }

        var next = model;
        if (model.Live is { } previous)
        {
            next = next.Replace(previous with { State = ReleaseState.Deprecated }) with { AuditCount = next.AuditCount + 1 };
        }

        return next.Replace(release with { State = ReleaseState.Live }) with { AuditCount = next.AuditCount + 1 };
    }

    protected override Task Execute(TemplateHarness harness) => harness.Service.PromoteAsync(harness.Id, R(Number), TemplateHarness.Actor);

    public override string ToString() => $"Promote({Number})";
}

internal sealed class CopyOperation(int number, bool toOther) : ReleaseOperation(number)
{
    protected override TemplateModel Predict(TemplateModel model, ModelRelease release)
        => toOther
            ? model with { AuditCount = model.AuditCount + 1, OtherLastNumber = model.OtherLastNumber + 1, OtherAuditCount = model.OtherAuditCount + 1 }
            : model with
            {
                Releases = model.Releases.Add(new ModelRelease(model.LastNumber + 1, ReleaseState.Draft, RunStatus.Paused, release.Content, release.Notes)),
                LastNumber = model.LastNumber + 1,
                AuditCount = model.AuditCount + 2,
            };

    protected override Task Execute(TemplateHarness harness)
    {
        return harness.Service.CopyReleaseAsync(harness.Id, R(Number), toOther ? harness.OtherId : null, TemplateHarness.Actor);
    }

    public override string ToString() => $"Copy({Number}, {(toOther ? "other template" : "same template")})";
}

internal sealed class DeleteOperation(int number) : ReleaseOperation(number)
{
    protected override TemplateModel Predict(TemplateModel model, ModelRelease release)
        => release.State == ReleaseState.Live || model.Installations.Contains(Number)
            ? Refuse(model, "T10")
            : model with { Releases = model.Releases.Remove(release), AuditCount = model.AuditCount + 1 };

    protected override Task Execute(TemplateHarness harness) => harness.Service.DeleteReleaseAsync(harness.Id, R(Number), TemplateHarness.Actor);

    public override string ToString() => $"Delete({Number})";
}

internal sealed class RunOperation(int number) : ReleaseOperation(number)
{
    protected override TemplateModel Predict(TemplateModel model, ModelRelease release)
        => release.State == ReleaseState.Deprecated ? Refuse(model, "T11")
            : release.RunStatus == RunStatus.Running ? model
            : model.Replace(release with { RunStatus = RunStatus.Running }) with { AuditCount = model.AuditCount + 1 };

    protected override Task Execute(TemplateHarness harness) => harness.Service.RunAsync(harness.Id, R(Number), TemplateHarness.Actor);

    public override string ToString() => $"Run({Number})";
}

internal sealed class PauseOperation(int number) : ReleaseOperation(number)
{
    protected override TemplateModel Predict(TemplateModel model, ModelRelease release)
        => release.RunStatus == RunStatus.Paused
            ? model
            : model.Replace(release with { RunStatus = RunStatus.Paused }) with { AuditCount = model.AuditCount + 1 };

    protected override Task Execute(TemplateHarness harness) => harness.Service.PauseAsync(harness.Id, R(Number), TemplateHarness.Actor);

    public override string ToString() => $"Pause({Number})";
}

internal sealed class InstallOperation(int owner) : TemplateOperation
{
    protected override TemplateModel Predict(TemplateModel model)
        => model.Live is not { } live || !model.Published
            ? Refuse(model, "T12")
            : model with { Installations = model.Installations.Add(live.Number) };

    protected override Task Execute(TemplateHarness harness)
        => harness.Service.InstallAsync(harness.Id, OwnerRef.Account($"account-{owner}"), TemplateHarness.Actor, [new("owner", owner.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    public override string ToString() => $"Install(account-{owner})";
}

internal sealed class SetPublishedOperation(bool published) : TemplateOperation
{
    protected override TemplateModel Predict(TemplateModel model)
        => model.Published == published ? model : model with { Published = published, AuditCount = model.AuditCount + 1 };

    protected override Task Execute(TemplateHarness harness) => harness.Service.SetPublishedAsync(harness.Id, published, TemplateHarness.Actor);

    public override string ToString() => $"SetPublished({published})";
}

/// <summary>Generates command sequences from the model.</summary>
internal sealed class TemplateMachine : Machine<TemplateHarness, TemplateModel>
{
    private static readonly string[] Notes = [string.Empty, "Fixes the sync.", "Line one\nLine two"];

    public override Arbitrary<Setup<TemplateHarness, TemplateModel>> Setup { get; } =
        Arb.From(Gen.Constant<Setup<TemplateHarness, TemplateModel>>(new HarnessSetup()));

    public override Gen<Operation<TemplateHarness, TemplateModel>> Next(TemplateModel model)
    {
        var number = model.Releases.IsEmpty
            ? Gen.Choose(1, model.LastNumber + 1)
            : Gen.Frequency((8, Gen.Elements(model.Releases.Select(r => r.Number).ToArray())), (1, Gen.Choose(1, model.LastNumber + 1)));
        var content = Gen.Choose(0, TemplateModel.Contents.Length - 1);

        // Deletes lean towards former Live releases, the ones installations are pinned to (T10).
        var deprecated = model.Releases.Where(r => r.State == ReleaseState.Deprecated).Select(r => r.Number).ToArray();
        var deletable = deprecated.Length == 0 ? number : Gen.Frequency((1, number), (1, Gen.Elements(deprecated)));

        return Gen.Frequency(
            (4, content.Select(Op<int>(c => new CreateDraftOperation(c)))),
            (3, number.Zip(content).Select(Op<(int, int)>(p => new EditContentOperation(p.Item1, p.Item2)))),
            (2, number.Zip(Gen.Elements(Notes)).Select(Op<(int, string)>(p => new SetNotesOperation(p.Item1, p.Item2)))),
            (4, number.Select(Op<int>(n => new PromoteOperation(n)))),
            (2, number.Zip(Gen.Elements(false, true)).Select(Op<(int, bool)>(p => new CopyOperation(p.Item1, p.Item2)))),
            (3, deletable.Select(Op<int>(n => new DeleteOperation(n)))),
            (2, number.Select(Op<int>(n => new RunOperation(n)))),
            (2, number.Select(Op<int>(n => new PauseOperation(n)))),
            (3, Gen.Choose(1, 5).Select(Op<int>(o => new InstallOperation(o)))),
            (1, Gen.Elements(true, false).Select(Op<bool>(p => new SetPublishedOperation(p)))));
    }

    private static Func<T, Operation<TemplateHarness, TemplateModel>> Op<T>(Func<T, TemplateOperation> create) => x => create(x);

    private sealed class HarnessSetup : Setup<TemplateHarness, TemplateModel>
    {
        public override TemplateHarness Actual() => TemplateHarness.Create();

        public override TemplateModel Model() => TemplateModel.Initial;

        public override string ToString() => "published template 'Model' and template 'Other'";
    }
}
