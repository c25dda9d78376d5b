using NodaTime;
using Stateless;
using Versioning.Core.Events;
using Versioning.Core.Lifecycles;

namespace Versioning.Core.Installations;

/// <summary>
/// A migration (integration versions, M1–M5) or an upgrade (template releases, T13) as a resumable job. Immutable:
/// every batch yields a new value saved with a revision check in the same transaction as the installations it moved,
/// so a job stopped at any point and resumed moves every selected installation exactly once.
/// </summary>
/// <threadsafety>Immutable: safe to share between threads. Each batch produces a new value saved with a revision
/// check (X3).</threadsafety>
public sealed record MigrationJob
{
    /// <summary>The aggregate kind of job events.</summary>
    public const string Kind = "Migration";

    /// <summary>The job's identifier.</summary>
    public required MigrationId Id { get; init; }

    /// <summary>The template or integration.</summary>
    public required ProductRef Product { get; init; }

    /// <summary>The version moved from; null for a template upgrade, which moves every release other than <see cref="To"/>.</summary>
    public required VersionKey? From { get; init; }

    /// <summary>The version moved to.</summary>
    public required VersionKey To { get; init; }

    /// <summary>Which installations are selected (M2).</summary>
    public required MigrationScope Scope { get; init; }

    /// <summary>The job's state.</summary>
    public required MigrationState State { get; init; }

    /// <summary>How many candidates one batch scans.</summary>
    public required int BatchSize { get; init; }

    /// <summary>The last installation scanned (batches scan in identifier order); null before the first batch.</summary>
    public InstallationId? Checkpoint { get; init; }

    /// <summary>How many candidates there were when the job was created (progress denominator).</summary>
    public required long Total { get; init; }

    /// <summary>How many candidates have been scanned.</summary>
    public long Scanned { get; init; }

    /// <summary>How many installations have been moved.</summary>
    public long Moved { get; init; }

    /// <summary>How many batches have run.</summary>
    public int Batches { get; init; }

    /// <summary>Who requested the job.</summary>
    public required ActorId RequestedBy { get; init; }

    /// <summary>When the job was requested.</summary>
    public required Instant RequestedAt { get; init; }

    /// <summary>When the job last changed.</summary>
    public required Instant UpdatedAt { get; init; }

    /// <summary>Why the job failed, when it did.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The stored revision (0 before the first save).</summary>
    public long Revision { get; init; }

    /// <summary>Progress as a fraction 0–1 of the candidates scanned (1 when completed).</summary>
    public double Progress => State == MigrationState.Completed ? 1 : Total == 0 ? 0 : Math.Min(1, (double)Scanned / Total);

    /// <summary>True when the job can run more batches.</summary>
    public bool IsRunnable => MigrationLifecycle.Definition.IsConfigured(State, MigrationAction.RunBatch);

    /// <summary>Whether an installation pinned to <paramref name="pinned"/> is a candidate (before the scope is applied).</summary>
    /// <param name="pinned">The version it is pinned to.</param>
    /// <returns>True when the job scans it.</returns>
    public bool IsCandidate(VersionKey pinned) => From is { } from ? pinned == from : pinned != To;

    /// <summary>Whether the job moves an installation: a candidate the scope selects.</summary>
    /// <param name="id">The installation.</param>
    /// <param name="owner">Its owner.</param>
    /// <param name="pinned">Its pinned version.</param>
    /// <returns>True when it moves.</returns>
    public bool Selects(InstallationId id, OwnerRef owner, VersionKey pinned) => IsCandidate(pinned) && Scope.Selects(id, owner, pinned, To);

    /// <summary>
    /// The job after one batch that scanned <paramref name="scanned"/> candidates (in identifier order, the last being
    /// <paramref name="lastScanned"/>) and moved <paramref name="moved"/> of them; completed when the batch was not full.
    /// Returns the events to store with it: one <c>InstallationsMoved</c> per batch that moved anything, and
    /// <c>MigrationCompleted</c> at the end.
    /// </summary>
    /// <param name="scanned">How many candidates the batch scanned.</param>
    /// <param name="moved">How many it moved.</param>
    /// <param name="lastScanned">The last candidate scanned, or null when none.</param>
    /// <param name="by">The actor running the job.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The new job value (revision unchanged; the store increments it) and its events.</returns>
    /// <exception cref="VersioningRuleException">M5: the job is not runnable.</exception>
    public (MigrationJob Job, IReadOnlyList<DomainEvent> Events) AfterBatch(int scanned, int moved, InstallationId? lastScanned, ActorId by, Instant at)
    {
        Require(MigrationAction.RunBatch);
        var done = scanned < BatchSize;
        var next = this with
        {
            State = done ? MigrationState.Completed : MigrationState.InProgress,
            Checkpoint = lastScanned ?? Checkpoint,
            Scanned = Scanned + scanned,
            Moved = Moved + moved,
            Batches = Batches + 1,
            UpdatedAt = at,
        };
        var events = new List<DomainEvent>(2);
        if (moved > 0)
        {
            events.Add(Event(DomainEventTypes.InstallationsMoved, by, at, $"Batch {next.Batches}: moved {moved} of {scanned} scanned installation(s) of {Product} to {To} ({next.Moved} moved, {next.Scanned}/{Total} scanned)."));
        }

        if (done)
        {
            events.Add(Event(DomainEventTypes.MigrationCompleted, by, at, $"Migration {Id} completed: {next.Moved} installation(s) moved to {To} in {next.Batches} batch(es)."));
        }

        return (next, events);
    }

    /// <summary>The job aborted on request (M5).</summary>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The new value and its event.</returns>
    /// <exception cref="VersioningRuleException">M5: the job has already ended.</exception>
    public (MigrationJob Job, DomainEvent Event) Abort(ActorId by, Instant at)
    {
        Require(MigrationAction.Abort);
        return (this with { State = MigrationState.Aborted, UpdatedAt = at }, Event(DomainEventTypes.MigrationAborted, by, at, $"Migration {Id} aborted after moving {Moved} installation(s)."));
    }

    /// <summary>The job failed because a rule no longer holds (M5).</summary>
    /// <param name="reason">Why.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The new value and its event.</returns>
    public (MigrationJob Job, DomainEvent Event) Fail(string reason, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Require(MigrationAction.Fail);
        return (this with { State = MigrationState.Failed, FailureReason = reason, UpdatedAt = at }, Event(DomainEventTypes.MigrationFailed, by, at, $"Migration {Id} failed: {reason}"));
    }

    /// <summary>
    /// The audit entry, as an event of the template or integration, that a completed job records on it: which
    /// installations moved where (M5, T13). Stores append it to the product's audit trail and events in the same
    /// transaction as the batch that completes the job, so it is recorded exactly once, with the job's completion (X9).
    /// </summary>
    /// <param name="by">The actor whose batch completed the job.</param>
    /// <returns>An event of the product (kind "Template" or "Integration"), of type <see cref="Auditing.AuditAction.InstallationsUpgraded"/>.</returns>
    /// <exception cref="InvalidOperationException">The job is not Completed.</exception>
    public DomainEvent CompletionRecord(ActorId by)
    {
        if (State != MigrationState.Completed)
        {
            throw new InvalidOperationException($"Migration {Id} is {State}, not Completed: only a completed job records its completion.");
        }

        var (kind, subject) = Product.Kind switch
        {
            ProductKind.Template => ("Template", $"release {To.Value}"),
            ProductKind.Integration => ("Integration", To.Value),

            // A lifecycle defined outside the library: its store names the event after the product's AggregateKind.
            var other => (other.ToString(), To.Value),
        };
        return new DomainEvent(kind, Product.Id.ToString("D"), DomainEventTypes.InstallationsUpgraded, subject, by, UpdatedAt,
            $"Migration {Id}: {Moved} installation(s) moved to {To} ({Scope}).");
    }

    /// <summary>Refuses to save <paramref name="job"/> together with an integration that is not its product (X9).</summary>
    /// <param name="job">The job.</param>
    /// <param name="integration">The integration saved with it.</param>
    /// <exception cref="ArgumentException">The integration is not the job's product.</exception>
    public static void CheckProduct(MigrationJob job, IntegrationId integration)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Product != ProductRef.Of(integration))
        {
            throw new ArgumentException($"integration {integration} is not the product of migration {job.Id} ({job.Product}).", nameof(integration));
        }
    }

    /// <summary>The audit entry of <see cref="CompletionRecord"/>.</summary>
    /// <param name="completion">An event returned by <see cref="CompletionRecord"/>.</param>
    /// <returns>The entry to append to the product's audit trail.</returns>
    public static Auditing.AuditEntry ToAuditEntry(DomainEvent completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return new Auditing.AuditEntry(Enum.Parse<Auditing.AuditAction>(completion.Type), completion.Actor, completion.At, completion.Subject, completion.Details);
    }

    /// <summary>The event raised when the job is created.</summary>
    /// <returns>The event.</returns>
    public DomainEvent Started() => Event(DomainEventTypes.MigrationStarted, RequestedBy, RequestedAt,
        $"Migration {Id} of {Product} from {(From is { } f ? f.Value : "every other release")} to {To} for {Scope}: {Total} candidate(s), batches of {BatchSize}.");

    private DomainEvent Event(string type, ActorId by, Instant at, string details) => new(Kind, Id.ToString(), type, To.Value, by, at, details);

    /// <summary>
    /// The job's Stateless state machine (rule S4), detached like the job itself (an immutable value): it starts in
    /// <see cref="State"/> and firing it changes only the machine's own copy of the state, never this job or its store.
    /// A refused action raises the same <see cref="VersioningRuleException"/> as <see cref="AfterBatch"/>,
    /// <see cref="Abort"/> or <see cref="Fail"/> would in the machine's state. Each call configures a new machine.
    /// </summary>
    /// <returns>A new machine, in the job's state.</returns>
    public StateMachine<MigrationState, MigrationAction> ToStateMachine()
    {
        var state = State;
        return MigrationLifecycle.Definition.ToStateMachine(() => state, next => state = next, static () => default, Refusal);
    }

    private void Require(MigrationAction action)
    {
        var none = default(NoFacts);
        if (!MigrationLifecycle.Definition.CanApply(State, action, in none, out var whyNot))
        {
            throw Refusal(State, action, whyNot);
        }
    }

    /// <summary>The exception for an action the lifecycle refuses: one wording for the job and its Stateless machine.</summary>
    private VersioningRuleException Refusal(MigrationState state, MigrationAction action, RuleViolation whyNot)
        => new(whyNot.RuleId!, $"Cannot {action} migration {Id}: {whyNot.Message}", Kind, Id.ToString(), To.Value, state.ToString());
}
