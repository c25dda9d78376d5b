namespace Versioning.Core;

/// <summary>Which lifecycle an installation belongs to.</summary>
public enum ProductKind
{
    /// <summary>A template (Cyclr-style releases).</summary>
    Template,

    /// <summary>An integration (Zapier-style versions).</summary>
    Integration,
}
