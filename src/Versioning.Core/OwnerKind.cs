namespace Versioning.Core;

/// <summary>Who owns an installation.</summary>
public enum OwnerKind
{
    /// <summary>An account (an organisation or tenant).</summary>
    Account,

    /// <summary>A single user.</summary>
    User,
}
