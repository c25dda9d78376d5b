using Versioning.Core.Content;

namespace Versioning.Core.Integrations;

/// <summary>Z8: a version needs release notes to be promoted.</summary>
public sealed class ReleaseNotesPresentCheck : IPromotionCheck
{
    /// <inheritdoc />
    public string Name => "ReleaseNotesPresent";

    /// <inheritdoc />
    public bool ReadsCurrentContent => false;

    /// <inheritdoc />
    public IEnumerable<PromotionFinding> Check(Integration integration, IntegrationVersion candidate, IntegrationVersion? current)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (string.IsNullOrWhiteSpace(candidate.Notes))
        {
            yield return new PromotionFinding(Name, PromotionSeverity.Error, $"{candidate.Label} has no release notes: add notes saying what changed before promoting it.");
        }
    }
}

/// <summary>
/// Z8: a version that drops a step operation or a connector which the current Promoted version has (a breaking
/// change) needs a higher MAJOR number. Promoting an older version again (rollback, Z7) is not an upgrade: a breaking
/// difference then is reported as a warning.
/// </summary>
public sealed class BreakingChangeNeedsMajorBumpCheck : IPromotionCheck
{
    /// <inheritdoc />
    public string Name => "BreakingChangeNeedsMajorBump";

    /// <inheritdoc />
    public IEnumerable<PromotionFinding> Check(Integration integration, IntegrationVersion candidate, IntegrationVersion? current)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (current is null)
        {
            yield break;
        }

        var changes = BreakingChanges.Between(current.Content, candidate.Content);
        if (!changes.IsBreaking)
        {
            yield break;
        }

        if (candidate.Number < current.Number)
        {
            yield return new PromotionFinding(Name, PromotionSeverity.Warning,
                $"Rolling back from {current.Label} to {candidate.Label}, which {changes}.");
        }
        else if (candidate.Number.Major <= current.Number.Major)
        {
            yield return new PromotionFinding(Name, PromotionSeverity.Error,
                $"{candidate.Label} {changes} compared with the Promoted {current.Label}: a breaking change needs a MAJOR bump (for example {current.Number.NextMajor()}).");
        }
    }
}
