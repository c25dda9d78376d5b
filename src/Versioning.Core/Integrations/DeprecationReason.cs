namespace Versioning.Core.Integrations;

/// <summary>Why a version is deprecated (Z12): a fixed list; <see cref="Other"/> needs a 1–50 character text.</summary>
public enum DeprecationReason
{
    /// <summary>The service's API changed.</summary>
    ApiChange,

    /// <summary>A security issue.</summary>
    SecurityIssue,

    /// <summary>Replaced by a newer version.</summary>
    Replaced,

    /// <summary>Too few users.</summary>
    LowUsage,

    /// <summary>Another reason, given as text.</summary>
    Other,
}
