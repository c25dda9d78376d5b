namespace Versioning.Core.Lifecycles;

/// <summary>What a lifecycle state allows, independent of any particular action.</summary>
[Flags]
public enum StateCapabilities
{
    /// <summary>Nothing is allowed.</summary>
    None = 0,

    /// <summary>Content (steps, connectors) can be changed.</summary>
    IsEditable = 1,

    /// <summary>New installations may bind to an item in this state.</summary>
    AcceptsNewInstallations = 2,

    /// <summary>Existing installations pinned to an item in this state keep running.</summary>
    RunsExistingInstallations = 4,

    /// <summary>Installations may be migrated or upgraded onto an item in this state.</summary>
    CanBeMigrationTarget = 8,

    /// <summary>An item in this state may be deleted (subject to its other rules, such as having no installations).</summary>
    CanBeDeleted = 16,
}
