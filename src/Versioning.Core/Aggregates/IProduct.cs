using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Services;

namespace Versioning.Core.Aggregates;

/// <summary>
/// What every lifecycle's product (a template, an integration, or a product of a lifecycle defined outside the library)
/// offers the code that works on all of them: installations (install, I3), migrations (start, re-check before each
/// batch), access checks (team) and reports (name, kind). <c>InstallationService</c> and <c>MigrationService</c> work
/// through this contract only, so none of them asks which lifecycle a product belongs to (A2). A product is also an
/// <see cref="AggregateRoot"/>: stores save its <see cref="PendingEvents"/> and new audit entries with it.
/// </summary>
/// <threadsafety>Like every aggregate, an instance is a private copy for one command: not safe for concurrent use.</threadsafety>
public interface IProduct
{
    /// <summary>The product's kind and identifier, as installations and migration jobs refer to it.</summary>
    ProductRef Product { get; }

    /// <summary>The product's name, as used in messages and reports.</summary>
    string Name { get; }

    /// <summary>The aggregate kind named in events, audit entries and refusals ("Template", "Integration", …).</summary>
    string AggregateKind { get; }

    /// <summary>The revision this copy was loaded at (X3).</summary>
    long Revision { get; }

    /// <summary>The team: they may change the product and see all of it (X7, X8).</summary>
    IReadOnlySet<ActorId> Team { get; }

    /// <summary>Events raised since the last save, oldest first; a store saves them with the product (X4).</summary>
    IReadOnlyList<DomainEvent> PendingEvents { get; }

    /// <summary>
    /// The release or version a new installation pins (T12, Z10): the lifecycle's default when <paramref name="requested"/>
    /// is null, else the requested one if the lifecycle lets new installations use it. Changes nothing.
    /// </summary>
    /// <param name="requested">The release or version the installer names, or null for the default.</param>
    /// <param name="by">The installing user (their access decides which versions they may name).</param>
    /// <param name="owner">The new installation's owner.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The key to pin.</returns>
    /// <exception cref="VersioningRuleException">The lifecycle takes no new installation on it.</exception>
    /// <exception cref="EntityNotFoundException">The requested release or version does not exist, or the installer may not see it.</exception>
    VersionKey PinForNewInstallation(VersionKey? requested, ActorId by, OwnerRef owner, Instant at);

    /// <summary>
    /// I3: whether installations pinned to <paramref name="pinned"/> run at <paramref name="at"/>: it exists and its state
    /// then runs existing installations. False for a key this product does not have.
    /// </summary>
    /// <param name="pinned">The pinned release or version.</param>
    /// <param name="at">The instant.</param>
    /// <returns>True when they run.</returns>
    bool RunsInstallationsOn(VersionKey pinned, Instant at);

    /// <summary>
    /// Checks a migration of this product's installations and settles its source and target (M1, M3, T13). It may change
    /// the product (for example share a Private target with the one owner migrated, M3); the caller then saves the product
    /// and the job in one transaction (X9).
    /// </summary>
    /// <param name="from">The source release or version, or null for "every installation not on the target".</param>
    /// <param name="to">The target, or null for the lifecycle's default target.</param>
    /// <param name="singleOwner">The one user or account migrated, or null for a percentage of everyone.</param>
    /// <param name="sameMajorOnly">Keep migrations within one major version where versions have one (M3).</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The current instant.</param>
    /// <returns>The source (null for every installation not on the target) and the target.</returns>
    /// <exception cref="VersioningRuleException">A rule forbids the migration.</exception>
    /// <exception cref="EntityNotFoundException">A named release or version does not exist.</exception>
    MigrationPlan PlanMigration(VersionKey? from, VersionKey? to, OwnerRef? singleOwner, bool sameMajorOnly, ActorId by, Instant at);

    /// <summary>
    /// Re-checks, before each batch of a running migration, that <paramref name="to"/> is still a valid target (M3, T13).
    /// </summary>
    /// <param name="to">The job's target.</param>
    /// <param name="singleOwner">The one user or account migrated, or null.</param>
    /// <param name="at">The current instant.</param>
    /// <exception cref="VersioningRuleException">It is no longer a valid target; the message says why (the job fails with it).</exception>
    /// <exception cref="EntityNotFoundException">It no longer exists.</exception>
    void CheckMigrationTarget(VersionKey to, OwnerRef? singleOwner, Instant at);
}

/// <summary>The source and target of a migration, as <see cref="IProduct.PlanMigration"/> settles them.</summary>
/// <param name="From">The source release or version, or null for every installation not on <paramref name="To"/>.</param>
/// <param name="To">The target release or version.</param>
public readonly record struct MigrationPlan(VersionKey? From, VersionKey To);
