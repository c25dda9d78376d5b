using Versioning.Core.Auditing;

namespace Versioning.Core.Events;

/// <summary>
/// The values of <see cref="DomainEvent.Type"/>: one constant per kind of event, the only place their names are
/// written. The names are stable (stores persist them and consumers switch on them) and docs/events.md lists them.
/// </summary>
/// <remarks>
/// Templates and integrations raise one event per audit entry, named after its <see cref="AuditAction"/>
/// (<see cref="For(AuditAction)"/>); installations and migration jobs raise the others.
/// </remarks>
/// <example><code>if (e.Type == DomainEventTypes.Promoted) { … }</code></example>
public static class DomainEventTypes
{
    /// <summary>Template or integration: a template or integration was created.</summary>
    public const string Created = nameof(AuditAction.Created);

    /// <summary>Template or integration: a template or integration was renamed.</summary>
    public const string Renamed = nameof(AuditAction.Renamed);

    /// <summary>Template or integration: a template was published (it can be installed).</summary>
    public const string Published = nameof(AuditAction.Published);

    /// <summary>Template or integration: a template was unpublished (no new installations).</summary>
    public const string Unpublished = nameof(AuditAction.Unpublished);

    /// <summary>Template or integration: a release or version was created (empty, or as a clone).</summary>
    public const string ReleaseCreated = nameof(AuditAction.ReleaseCreated);

    /// <summary>Template or integration: content (steps, connectors) was changed.</summary>
    public const string ContentEdited = nameof(AuditAction.ContentEdited);

    /// <summary>Template or integration: release notes were added or changed.</summary>
    public const string NotesChanged = nameof(AuditAction.NotesChanged);

    /// <summary>Template or integration: a release went Live, or a version was Promoted.</summary>
    public const string Promoted = nameof(AuditAction.Promoted);

    /// <summary>Template or integration: a Live release became Deprecated because another was promoted.</summary>
    public const string Deprecated = nameof(AuditAction.Deprecated);

    /// <summary>Template or integration: a Promoted version became Available because another was promoted.</summary>
    public const string Demoted = nameof(AuditAction.Demoted);

    /// <summary>Template or integration: a release was created as a copy of another (details name the source).</summary>
    public const string CopiedFrom = nameof(AuditAction.CopiedFrom);

    /// <summary>Template or integration: a release was copied elsewhere (details name the destination).</summary>
    public const string CopiedTo = nameof(AuditAction.CopiedTo);

    /// <summary>Template or integration: a release was started (Running).</summary>
    public const string Started = nameof(AuditAction.Started);

    /// <summary>Template or integration: a release was paused.</summary>
    public const string Paused = nameof(AuditAction.Paused);

    /// <summary>Template or integration: a release or version was deleted.</summary>
    public const string Deleted = nameof(AuditAction.Deleted);

    /// <summary>Template or integration: installations were upgraded or migrated onto a release or version.</summary>
    public const string InstallationsUpgraded = nameof(AuditAction.InstallationsUpgraded);

    /// <summary>Template or integration: a version was marked Legacy.</summary>
    public const string MarkedLegacy = nameof(AuditAction.MarkedLegacy);

    /// <summary>Template or integration: a version was scheduled for deprecation (it is Deprecating until the date).</summary>
    public const string DeprecationScheduled = nameof(AuditAction.DeprecationScheduled);

    /// <summary>Template or integration: a version was shared with a user.</summary>
    public const string Shared = nameof(AuditAction.Shared);

    /// <summary>Template or integration: a version stopped being shared with a user.</summary>
    public const string Unshared = nameof(AuditAction.Unshared);

    /// <summary>Template or integration: a team member was added or removed.</summary>
    public const string TeamChanged = nameof(AuditAction.TeamChanged);

    /// <summary>Template or integration: a promotion check reported a warning (recorded; it did not block).</summary>
    public const string PromotionWarning = nameof(AuditAction.PromotionWarning);

    /// <summary>Template or integration: a canary started diverting a share of executions to another version (K1, K4).</summary>
    public const string CanaryStarted = nameof(AuditAction.CanaryStarted);

    /// <summary>Template or integration: a canary was deleted before its end (K4).</summary>
    public const string CanaryDeleted = nameof(AuditAction.CanaryDeleted);

    /// <summary>Template or integration: a canary's end by expiry was recorded (K3): once, after it ended by itself.</summary>
    public const string CanaryExpired = nameof(AuditAction.CanaryExpired);

    /// <summary>Installation: an installation was created (I1); the subject is its pinned release or version.</summary>
    public const string Installed = "Installed";

    /// <summary>Installation: an installation's run status or settings changed.</summary>
    public const string InstallationChanged = "InstallationChanged";

    /// <summary>Migration: a migration or upgrade job was requested (M5); the subject is the target.</summary>
    public const string MigrationStarted = "MigrationStarted";

    /// <summary>Migration: a batch of a migration or upgrade moved installations (M5); one per batch that moved any.</summary>
    public const string InstallationsMoved = "InstallationsMoved";

    /// <summary>Migration: a migration or upgrade job completed (M5).</summary>
    public const string MigrationCompleted = "MigrationCompleted";

    /// <summary>Migration: a migration or upgrade job was aborted (M5); what moved stays moved.</summary>
    public const string MigrationAborted = "MigrationAborted";

    /// <summary>Migration: a migration or upgrade job failed (M5); the details give the reason.</summary>
    public const string MigrationFailed = "MigrationFailed";

    /// <summary>Every event type, in the order declared here.</summary>
    public static IReadOnlyList<string> All { get; } = [Created, Renamed, Published, Unpublished, ReleaseCreated, ContentEdited, NotesChanged, Promoted, Deprecated, Demoted, CopiedFrom, CopiedTo, Started, Paused, Deleted, InstallationsUpgraded, MarkedLegacy, DeprecationScheduled, Shared, Unshared, TeamChanged, PromotionWarning, CanaryStarted, CanaryDeleted, CanaryExpired, Installed, InstallationChanged, MigrationStarted, InstallationsMoved, MigrationCompleted, MigrationAborted, MigrationFailed];

    /// <summary>The type of the event raised with an audit entry of <paramref name="action"/>.</summary>
    /// <param name="action">The audit action.</param>
    /// <returns>The event type (one of the constants of this class; no allocation).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="action"/> is not a defined value.</exception>
    public static string For(AuditAction action) => action switch
    {
        AuditAction.Created => Created,
        AuditAction.Renamed => Renamed,
        AuditAction.Published => Published,
        AuditAction.Unpublished => Unpublished,
        AuditAction.ReleaseCreated => ReleaseCreated,
        AuditAction.ContentEdited => ContentEdited,
        AuditAction.NotesChanged => NotesChanged,
        AuditAction.Promoted => Promoted,
        AuditAction.Deprecated => Deprecated,
        AuditAction.Demoted => Demoted,
        AuditAction.CopiedFrom => CopiedFrom,
        AuditAction.CopiedTo => CopiedTo,
        AuditAction.Started => Started,
        AuditAction.Paused => Paused,
        AuditAction.Deleted => Deleted,
        AuditAction.InstallationsUpgraded => InstallationsUpgraded,
        AuditAction.MarkedLegacy => MarkedLegacy,
        AuditAction.DeprecationScheduled => DeprecationScheduled,
        AuditAction.Shared => Shared,
        AuditAction.Unshared => Unshared,
        AuditAction.TeamChanged => TeamChanged,
        AuditAction.PromotionWarning => PromotionWarning,
        AuditAction.CanaryStarted => CanaryStarted,
        AuditAction.CanaryDeleted => CanaryDeleted,
        AuditAction.CanaryExpired => CanaryExpired,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a defined AuditAction."),
    };
}
