namespace Versioning.Core;

/// <summary>Whether a release or an installation runs. Independent of the lifecycle state (T11, I1).</summary>
public enum RunStatus
{
    /// <summary>Not running. New releases and new installations start here.</summary>
    Paused,

    /// <summary>Running.</summary>
    Running,
}
