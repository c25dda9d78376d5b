namespace Versioning.Core;

/// <summary>
/// Which lifecycle an installation belongs to. An open set of numbers: the library defines <see cref="Template"/> (0) and
/// <see cref="Integration"/> (1); a lifecycle defined outside the library uses a number of its own from
/// <see cref="FirstCustom"/> (100) on, cast from its value (for example <c>(ProductKind)100</c>), and registers an
/// <see cref="Persistence.IProductRepository"/> for it. Stores keep the number, so they need no change for a new kind.
/// </summary>
public enum ProductKind
{
    /// <summary>A template (Cyclr-style releases).</summary>
    Template,

    /// <summary>An integration (Zapier-style versions).</summary>
    Integration,

    /// <summary>The first number free for lifecycles defined outside the library; numbers below it are reserved.</summary>
    FirstCustom = 100,
}
