namespace Versioning.Core.Auditing;

/// <summary>What an audit entry (and the domain event raised with it) records. Names are stable: stores persist them.</summary>
public enum AuditAction
{
    /// <summary>A template or integration was created.</summary>
    Created,

    /// <summary>A template or integration was renamed.</summary>
    Renamed,

    /// <summary>A template was published (it can be installed).</summary>
    Published,

    /// <summary>A template was unpublished (no new installations).</summary>
    Unpublished,

    /// <summary>A release or version was created (empty, or as a clone).</summary>
    ReleaseCreated,

    /// <summary>Content (steps, connectors) was changed.</summary>
    ContentEdited,

    /// <summary>Release notes were added or changed.</summary>
    NotesChanged,

    /// <summary>A release went Live, or a version was Promoted.</summary>
    Promoted,

    /// <summary>A Live release became Deprecated because another was promoted.</summary>
    Deprecated,

    /// <summary>A Promoted version became Available because another was promoted.</summary>
    Demoted,

    /// <summary>A release was created as a copy of another (details name the source).</summary>
    CopiedFrom,

    /// <summary>A release was copied elsewhere (details name the destination).</summary>
    CopiedTo,

    /// <summary>A release was started (Running).</summary>
    Started,

    /// <summary>A release was paused.</summary>
    Paused,

    /// <summary>A release or version was deleted.</summary>
    Deleted,

    /// <summary>Installations were upgraded or migrated onto a release or version.</summary>
    InstallationsUpgraded,

    /// <summary>A version was marked Legacy.</summary>
    MarkedLegacy,

    /// <summary>A version was scheduled for deprecation (it is Deprecating until the date).</summary>
    DeprecationScheduled,

    /// <summary>A version was shared with a user.</summary>
    Shared,

    /// <summary>A version stopped being shared with a user.</summary>
    Unshared,

    /// <summary>A team member was added or removed.</summary>
    TeamChanged,

    /// <summary>A promotion check reported a warning (recorded; it did not block).</summary>
    PromotionWarning,

    /// <summary>A canary started diverting a share of executions to another version (K1, K4).</summary>
    CanaryStarted,

    /// <summary>A canary was deleted before its end (K4).</summary>
    CanaryDeleted,

    /// <summary>A canary's end by expiry was recorded (K3): once, after it ended by itself.</summary>
    CanaryExpired,
}
