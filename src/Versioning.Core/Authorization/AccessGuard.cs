using System.Diagnostics;
using Versioning.Core.Diagnostics;

namespace Versioning.Core.Authorization;

/// <summary>
/// The one place every service asks the <see cref="IAccessPolicy"/> (X7): a denial is counted and traced like a rule
/// refusal (rule "X7") and thrown before anything is changed. Reads of installations, migration jobs and ended canaries
/// ask the same policy through <see cref="Allows"/> (X8): what the viewer may not change, they do not see.
/// </summary>
internal sealed class AccessGuard(IAccessPolicy policy, VersioningMetrics? metrics = null)
{
    private readonly VersioningMetrics _metrics = metrics ?? VersioningMetrics.Shared;

    private readonly IAccessPolicy _policy = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>
    /// Tells whether <paramref name="viewer"/> may see <paramref name="target"/> (X8): the policy's answer for the read
    /// <paramref name="query"/> (for example "GetInstallation"). Neither counted nor traced: a read leaves out or
    /// reports as not found what the viewer may not see, so its existence does not leak.
    /// </summary>
    public bool Allows(ActorId viewer, string query, AccessTarget target) => !viewer.IsEmpty && _policy.CanChange(viewer, query, target);

    /// <summary>Throws <see cref="VersioningAccessDeniedException"/> unless the policy allows the command.</summary>
    public void Demand(ActorId actor, string command, AccessTarget target)
    {
        if (_policy.CanChange(actor, command, target))
        {
            return;
        }

        _metrics.Refusals.Add(1, new(VersioningTelemetryTags.Command, command), new(VersioningTelemetryTags.Rule, "X7"));
        var activity = Activity.Current;
        activity?.SetStatus(ActivityStatusCode.Error, "access denied (X7)");
        activity?.SetTag(VersioningTelemetryTags.Rule, "X7");
        throw new VersioningAccessDeniedException(actor, target.DisplayKind, target.Id, command);
    }
}
