namespace Versioning.Core.Templates;

/// <summary>The lifecycle state of a template release (Cyclr-style).</summary>
public enum ReleaseState
{
    /// <summary>Being built: content can change; several Drafts may coexist.</summary>
    Draft,

    /// <summary>The one release new installations get; locked.</summary>
    Live,

    /// <summary>A former Live release; locked; copy it to a Draft to roll back.</summary>
    Deprecated,
}
