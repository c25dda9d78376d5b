namespace Versioning.Core.Integrations;

/// <summary>What can be done to an integration version; the lifecycle says in which states.</summary>
public enum VersionAction
{
    /// <summary>Change the content (Z4).</summary>
    EditContent,

    /// <summary>Change the release notes (changelog).</summary>
    EditNotes,

    /// <summary>Create a new Private version as a copy of this one (Z3).</summary>
    Clone,

    /// <summary>Share a Private version with a user outside the team (Z6).</summary>
    Share,

    /// <summary>Make the version the Promoted one (Z7).</summary>
    Promote,

    /// <summary>The Promoted version becomes Available because another was promoted (Z7).</summary>
    Demote,

    /// <summary>Mark the version Legacy (Z11).</summary>
    MarkLegacy,

    /// <summary>Schedule deprecation on a date (Z12).</summary>
    Deprecate,

    /// <summary>The deprecation date arrives: Deprecating becomes Deprecated (Z12; driven by the clock).</summary>
    Expire,

    /// <summary>Delete the version (Z15).</summary>
    Delete,

    /// <summary>Bind a new installation to the version (Z10).</summary>
    Install,

    /// <summary>Move installations away from the version (M1, Z14).</summary>
    MigrateFrom,

    /// <summary>Move installations onto the version (M3).</summary>
    MigrateTo,
}
