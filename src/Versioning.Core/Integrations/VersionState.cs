namespace Versioning.Core.Integrations;

/// <summary>The lifecycle state of an integration version (Zapier-style).</summary>
public enum VersionState
{
    /// <summary>New versions start here: the team (and users it is shared with) can use it; content can change (Z3, Z4, Z6).</summary>
    Private,

    /// <summary>The default for new installations; locked; exactly one once any was promoted (Z7, Z9).</summary>
    Promoted,

    /// <summary>A formerly Promoted version: keeps working, can still be chosen, can be promoted again (rollback, Z7).</summary>
    Available,

    /// <summary>Keeps running existing installations; takes no new ones; no way back (Z11).</summary>
    Legacy,

    /// <summary>Scheduled for deprecation: runs existing installations until the date, takes no new ones (Z12, Z13).</summary>
    Deprecating,

    /// <summary>Past its deprecation date: its installations no longer run (Z14). Derived from the clock.</summary>
    Deprecated,
}
