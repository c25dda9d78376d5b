namespace Versioning.Core.Installations;

/// <summary>The state of a migration or upgrade job (M5).</summary>
public enum MigrationState
{
    /// <summary>Created; no batch has run yet.</summary>
    Requested,

    /// <summary>At least one batch has run; more remain. Resumable after a stop at any point.</summary>
    InProgress,

    /// <summary>Every candidate was scanned; every selected installation moved exactly once.</summary>
    Completed,

    /// <summary>Stopped on request; installations already moved stay moved (revert with a migration back).</summary>
    Aborted,

    /// <summary>Stopped because a rule no longer held (for example the target became Legacy); see the failure reason.</summary>
    Failed,
}

/// <summary>What can happen to a migration job.</summary>
public enum MigrationAction
{
    /// <summary>Run one batch.</summary>
    RunBatch,

    /// <summary>The last batch found nothing more to scan.</summary>
    Complete,

    /// <summary>Stop on request.</summary>
    Abort,

    /// <summary>Stop because a rule no longer holds.</summary>
    Fail,
}
