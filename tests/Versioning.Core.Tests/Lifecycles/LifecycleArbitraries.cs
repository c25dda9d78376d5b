using FsCheck;
using FsCheck.Fluent;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Templates;

namespace Versioning.Core.Tests.Lifecycles;

/// <summary>
/// The FsCheck arbitraries of the lifecycle properties, in one place: every state and action of every lifecycle
/// (the three built-in ones and <see cref="ReviewLifecycle"/>, defined here), and facts that make each guard both
/// pass and fail (installation counts at and around the limits, labeled and unlabeled, published or not).
/// Register with <c>[Properties(Arbitrary = new[] { typeof(LifecycleArbitraries) })]</c>.
/// </summary>
public static class LifecycleArbitraries
{
    /// <summary>Every release state.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ReleaseState> ReleaseStates() => Enums.Of<ReleaseState>();

    /// <summary>Every release action.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ReleaseAction> ReleaseActions() => Enums.Of<ReleaseAction>();

    /// <summary>Published or not; no installations (T10 passes) or some.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ReleaseFacts> ReleaseFactValues()
        => Arb.From(ArbMap.Default.GeneratorFor<bool>().Zip(InstallationCounts(), (published, count) => new ReleaseFacts(published, count)));

    /// <summary>Every version state.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<VersionState> VersionStates() => Enums.Of<VersionState>();

    /// <summary>Every version action.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<VersionAction> VersionActions() => Enums.Of<VersionAction>();

    /// <summary>Labeled or not, installation counts below, at and above the Z4 limit, another version Promoted or not.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<VersionFacts> VersionFactValues()
    {
        var bools = ArbMap.Default.GeneratorFor<bool>();
        var facts =
            from labeled in bools
            from count in InstallationCounts()
            from limit in Gen.Choose(1, 10)
            from another in bools
            select new VersionFacts(labeled, count, limit, another);
        return Arb.From(facts);
    }

    /// <summary>Every migration state.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<MigrationState> MigrationStates() => Enums.Of<MigrationState>();

    /// <summary>Every migration action.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<MigrationAction> MigrationActions() => Enums.Of<MigrationAction>();

    /// <summary>The migration lifecycle has no guards.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<NoFacts> NoFactValues() => Arb.From(Gen.Constant(default(NoFacts)));

    /// <summary>Every state of the custom review lifecycle.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ReviewLifecycle.State> ReviewStates() => Enums.Of<ReviewLifecycle.State>();

    /// <summary>Every action of the custom review lifecycle.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ReviewLifecycle.Action> ReviewActions() => Enums.Of<ReviewLifecycle.Action>();

    /// <summary>Reviewer counts around every guard's bound, signed or not, locked or not.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ReviewLifecycle.Facts> ReviewFactValues()
    {
        var bools = ArbMap.Default.GeneratorFor<bool>();
        var facts =
            from reviewers in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 12)))
            from hasSignature in bools
            from locked in bools
            select new ReviewLifecycle.Facts(reviewers, hasSignature, locked);
        return Arb.From(facts);
    }

    private static Gen<long> InstallationCounts()
        => Gen.Frequency((3, Gen.Constant(0L)), (4, Gen.Choose(1, 12).Select(n => (long)n)), (1, Gen.Constant(long.MaxValue)));

    // A nested class, because FsCheck would take a generic Arbitrary-returning method of this class for an arbitrary of every type.
    private static class Enums
    {
        public static Arbitrary<T> Of<T>()
            where T : struct, Enum
            => Arb.From(Gen.Elements(Enum.GetValues<T>()));
    }
}

/// <summary>
/// A user-defined lifecycle built with <see cref="LifecycleBuilder{TState, TAction, TContext}"/>, exercising every
/// construct the built-in ones do not: a self-transition (Stateless reentry), a transition with two guards, an
/// internal transition with two guards, an exit with two guards that share a description, a state refusal and a sink state.
/// </summary>
public static class ReviewLifecycle
{
    /// <summary>The definition.</summary>
    public static Lifecycle<State, Action, Facts> Definition { get; } = Build();

    /// <summary>Review states.</summary>
    public enum State
    {
        /// <summary>Being written.</summary>
        Draft,

        /// <summary>Under review.</summary>
        InReview,

        /// <summary>Approved.</summary>
        Approved,

        /// <summary>Archived; nothing more happens.</summary>
        Archived,
    }

    /// <summary>Review actions.</summary>
    public enum Action
    {
        /// <summary>Change the text.</summary>
        Edit,

        /// <summary>Send for review.</summary>
        Submit,

        /// <summary>Approve.</summary>
        Approve,

        /// <summary>Send back.</summary>
        Reject,

        /// <summary>Comment.</summary>
        Comment,

        /// <summary>Archive.</summary>
        Archive,

        /// <summary>Leave and re-enter the Draft state.</summary>
        Touch,

        /// <summary>Remove the document.</summary>
        Purge,
    }

    /// <summary>Facts the guards read.</summary>
    /// <param name="Reviewers">How many reviewers are assigned.</param>
    /// <param name="HasSignature">Whether the author signed the document.</param>
    /// <param name="Locked">Whether the document is locked.</param>
    public readonly record struct Facts(int Reviewers, bool HasSignature, bool Locked);

    private static Lifecycle<State, Action, Facts> Build()
    {
        var builder = new LifecycleBuilder<State, Action, Facts>("Document review", State.Draft)
            .Explain(Action.Edit, "R1", "A {state} document cannot be edited (R1).")
            .Explain(Action.Submit, "R3", "Only a Draft can be submitted (R3); this one is {state}.")
            .Explain(Action.Approve, "R4", "Only a document in review can be approved (R4); this one is {state}.")
            .Explain(Action.Reject, "R4", "Only a document in review can be rejected (R4); this one is {state}.")
            .Explain(Action.Comment, "R7", "A {state} document takes no comments (R7).")
            .Explain(Action.Archive, "R8", "Only an Approved document is archived (R8); this one is {state}.")
            .Explain(Action.Touch, "R9", "Only a Draft can be touched (R9).")
            .Explain(Action.Purge, "R5", "A {state} document cannot be purged (R5).");
        builder.Configure(State.Draft)
            .Means(StateCapabilities.IsEditable | StateCapabilities.CanBeDeleted, "Being written.")
            .PermitInternalIf(Action.Edit, static (in Facts f) => !f.Locked, "R1", "unlocked", "A locked {state} document cannot be edited (R1).")
            .PermitInternalIf(Action.Edit, static (in Facts f) => f.Reviewers < 10, "R2", "fewer than ten reviewers", "A document with ten reviewers is frozen (R2).")
            .PermitIf(Action.Submit, State.InReview, static (in Facts f) => f.Reviewers > 0, "R3", "has reviewers", "Assign a reviewer before you {action} (R3).")
            .PermitIf(Action.Submit, State.InReview, static (in Facts f) => f.HasSignature, "R4", "signed", "Sign the document before you {action} (R4).")
            .PermitInternal(Action.Comment)
            .Permit(Action.Touch, State.Draft)
            .PermitExitIf(Action.Purge, static (in Facts f) => !f.Locked, "R5", "unlocked", "A locked document cannot be purged (R5).")
            .PermitExitIf(Action.Purge, static (in Facts f) => f.Reviewers == 0, "R5", "unlocked", "A document with reviewers cannot be purged (R5).");
        builder.Configure(State.InReview)
            .Means(StateCapabilities.None, "Under review.")
            .PermitIf(Action.Approve, State.Approved, static (in Facts f) => f.HasSignature, "R4", "signed", "An unsigned document cannot be approved (R4).")
            .Permit(Action.Reject, State.Draft)
            .PermitInternal(Action.Comment)
            .Refuse(Action.Edit, "R6", "A document in review is frozen (R6): reject it first.");
        builder.Configure(State.Approved)
            .Means(StateCapabilities.CanBeDeleted, "Approved.")
            .Permit(Action.Archive, State.Archived)
            .PermitExit(Action.Purge);
        builder.Configure(State.Archived).Means(StateCapabilities.None, "Archived.");
        return builder.Build();
    }
}
