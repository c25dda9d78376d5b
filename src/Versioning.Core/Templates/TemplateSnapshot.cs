using System.Collections.Immutable;
using NodaTime;
using Versioning.Core.Auditing;

namespace Versioning.Core.Templates;

/// <summary>
/// The whole stored state of a <see cref="Template"/>, for store authors: save it, load it, and rebuild the
/// aggregate with <see cref="Template.FromSnapshot"/>. Immutable.
/// </summary>
public sealed record TemplateSnapshot
{
    /// <summary>The template's identifier.</summary>
    public required TemplateId Id { get; init; }

    /// <summary>The template's name.</summary>
    public required string Name { get; init; }

    /// <summary>Whether it is published.</summary>
    public required bool Published { get; init; }

    /// <summary>The stored revision.</summary>
    public required long Revision { get; init; }

    /// <summary>The highest release number ever assigned (numbers are never reused).</summary>
    public required int LastReleaseNumber { get; init; }

    /// <summary>Who created the template.</summary>
    public required ActorId CreatedBy { get; init; }

    /// <summary>When the template was created.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>
    /// The team that owns the template (X7): the actors that may change it and see its drafts. Empty (the default) for
    /// state stored before templates had teams: the template's creator is then its only member.
    /// </summary>
    public ImmutableSortedSet<ActorId> Team { get; init; } = [];

    /// <summary>The releases, in ascending number order.</summary>
    public required ImmutableArray<TemplateRelease> Releases { get; init; }

    /// <summary>
    /// The audit trail, oldest first: the whole of it, or, when <see cref="AuditTrailStart"/> is greater than 0, the
    /// entries from that position on.
    /// </summary>
    public required ImmutableArray<AuditEntry> AuditTrail { get; init; }

    /// <summary>
    /// The position of <see cref="AuditTrail"/>'s first entry in the whole trail: 0 (the default) when the snapshot holds all
    /// of it; the number of entries left out when a store loaded it without them (<see cref="Persistence.ITemplateRepository.FindWithoutAuditTrailAsync"/>).
    /// </summary>
    public int AuditTrailStart { get; init; }

    /// <summary>
    /// What <see cref="Releases"/> holds (P8): <see cref="ItemSelection.All"/> (the default) when it holds every release
    /// with its content; otherwise the releases a command selected, with their content, plus the Live release (without its
    /// content unless selected). A store loading for <see cref="Persistence.ITemplateRepository.FindForCommandAsync"/> sets it to the
    /// selection it honoured.
    /// </summary>
    public ItemSelection Loaded { get; init; } = ItemSelection.All;
}
