namespace Versioning.Core.Templates;

/// <summary>What can be done to a template release; the lifecycle says in which states.</summary>
public enum ReleaseAction
{
    /// <summary>Change steps or connectors (T3, T9).</summary>
    EditContent,

    /// <summary>Add or change release notes (T4).</summary>
    EditNotes,

    /// <summary>Make a Draft the Live release (T6, T7).</summary>
    Promote,

    /// <summary>The Live release is replaced by a promoted Draft and becomes Deprecated (T6).</summary>
    Supersede,

    /// <summary>Copy the release to a new Draft (T8).</summary>
    Copy,

    /// <summary>Delete the release (T10).</summary>
    Delete,

    /// <summary>Start running the release (T11).</summary>
    Run,

    /// <summary>Pause the release (T11).</summary>
    Pause,

    /// <summary>Bind a new installation to the release (T12).</summary>
    Install,

    /// <summary>Upgrade installations onto the release (T13).</summary>
    UpgradeTo,
}
