namespace Versioning.Core.Authorization;

/// <summary>
/// Decides who may run a mutating command on what (X7): one policy for every kind of target (template, integration,
/// installation, migration job), asked by every service before a command changes anything. Pluggable: register your
/// own in DI (for example one that knows which users belong to which account). The default,
/// <see cref="DefaultAccessPolicy"/>, denies what is not the caller's.
/// The same policy decides who sees installations, migration jobs and ended canaries (X8): their reads ask it with the
/// read's name as the command ("GetInstallation", "ListInstallations", "CanRunInstallation", "GetMigrationJob",
/// "ListMigrationJobs", "ListEndedCanaries"), and what it denies is left out or reported as not found.
/// </summary>
public interface IAccessPolicy
{
    /// <summary>Tells whether <paramref name="actor"/> may run <paramref name="command"/> on <paramref name="target"/>.</summary>
    /// <param name="actor">Who asks (never empty: services refuse an empty actor as a malformed argument first).</param>
    /// <param name="command">
    /// The service command's name, for example "PromoteVersion" or "SetInstallationSettings", or the read's name for a
    /// read (see the type's remarks).
    /// </param>
    /// <param name="target">
    /// What the command changes, as loaded for it. Aggregates are loaded without their stored history, so base the
    /// decision on their state (team, owner), not on the audit trail.
    /// </param>
    /// <returns>True to allow; false makes the service throw <see cref="VersioningAccessDeniedException"/> and change nothing.</returns>
    bool CanChange(ActorId actor, string command, AccessTarget target);
}

/// <summary>
/// The safe default (X7): the team of a template or integration may change it, its installations and its migration
/// jobs; a user may change an installation they own (<see cref="OwnerKind.User"/> with their id) and
/// install a product for themselves or for an account. Account-owned installations are changed by the product's team
/// only, since the library does not know who belongs to an account: a host that does registers its own policy.
/// </summary>
public sealed class DefaultAccessPolicy : IAccessPolicy
{
    /// <inheritdoc />
    public bool CanChange(ActorId actor, string command, AccessTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (actor.IsEmpty)
        {
            return false;
        }

        if (target.IsTeamMember(actor))
        {
            return true;
        }

        return target.Kind switch
        {
            // Installing creates an installation for its owner: a user installs for themselves; the host vouches
            // that the caller acts for an account (the library has no account membership to check).
            AccessTargetKind.Template or AccessTargetKind.Integration or AccessTargetKind.Product => target.IsInstall && target.Owner is { } owner && IsOwnerOrAccount(owner, actor),
            AccessTargetKind.Installation => target.Owner is { Kind: OwnerKind.User } o && o.Id == actor.Value,
            _ => false,
        };
    }

    private static bool IsOwnerOrAccount(OwnerRef owner, ActorId actor)
        => owner.Kind == OwnerKind.Account || owner.Id == actor.Value;
}
