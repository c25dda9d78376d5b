using System.Collections.Immutable;
using NodaTime;
using Versioning.Core.Auditing;

namespace Versioning.Core.Integrations;

/// <summary>The whole stored state of an <see cref="Integration"/>, for store authors. Immutable.</summary>
public sealed record IntegrationSnapshot
{
    /// <summary>The integration's identifier.</summary>
    public required IntegrationId Id { get; init; }

    /// <summary>The integration's name.</summary>
    public required string Name { get; init; }

    /// <summary>The stored revision.</summary>
    public required long Revision { get; init; }

    /// <summary>Who created it.</summary>
    public required ActorId CreatedBy { get; init; }

    /// <summary>When it was created.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>Whether a version has ever been promoted (Z9).</summary>
    public required bool HasPromoted { get; init; }

    /// <summary>The team members (Z6), sorted ordinally.</summary>
    public required ImmutableSortedSet<ActorId> Team { get; init; }

    /// <summary>Users every non-labeled Private version is shared with (Z6), sorted ordinally.</summary>
    public required ImmutableSortedSet<ActorId> SharedWithAllVersions { get; init; }

    /// <summary>Every version number ever used, deleted ones included (Z1: never reused).</summary>
    public required ImmutableSortedSet<VersionNumber> UsedNumbers { get; init; }

    /// <summary>The versions, in ascending version order.</summary>
    public required ImmutableArray<IntegrationVersion> Versions { get; init; }

    /// <summary>
    /// The audit trail, oldest first (Z17): the whole of it, or, when <see cref="AuditTrailStart"/> is greater than 0, the entries
    /// from that position on.
    /// </summary>
    public required ImmutableArray<AuditEntry> AuditTrail { get; init; }

    /// <summary>
    /// The position of <see cref="AuditTrail"/>'s first entry in the whole audit trail: 0 (the default) when the snapshot holds all
    /// of it; the number of entries left out when a store loaded it without them (<see cref="Persistence.IIntegrationRepository.FindWithoutAuditTrailAsync"/>).
    /// </summary>
    public int AuditTrailStart { get; init; }

    /// <summary>
    /// The canaries whose end is not recorded yet (K1, K3), oldest first: the active one, and one that ended by itself
    /// and awaits its expiry record. Empty by default, so a store that predates canaries reads as "none".
    /// </summary>
    public ImmutableArray<Canary> Canaries { get; init; } = [];

    /// <summary>
    /// What the snapshot holds (<see cref="ItemSelection.All"/>, the default, for a whole copy). With a partial selection,
    /// <see cref="Versions"/> holds only the selected versions and the Promoted one (whose content is loaded only when
    /// selected), and <see cref="UsedNumbers"/> is empty unless <see cref="ItemSelection.UsedNumbers"/> is set.
    /// </summary>
    public ItemSelection Loaded { get; init; } = ItemSelection.All;
}
