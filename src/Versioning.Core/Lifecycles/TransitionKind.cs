namespace Versioning.Core.Lifecycles;

/// <summary>What applying a permitted action does to the item's state.</summary>
public enum TransitionKind
{
    /// <summary>The item moves to another state.</summary>
    Transition = 0,

    /// <summary>The action is allowed and the state stays the same (for example editing a Draft).</summary>
    Internal = 1,

    /// <summary>The item leaves the lifecycle (it is deleted).</summary>
    Exit = 2,
}
