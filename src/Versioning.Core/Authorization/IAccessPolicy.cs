using Versioning.Core.Integrations;

namespace Versioning.Core.Authorization;

/// <summary>
/// Decides who may change an integration (edit, share, promote, mark legacy, deprecate, delete, migrate). Pluggable:
/// register your own in DI. The default, <see cref="TeamMembersOnlyPolicy"/>, allows team members only.
/// </summary>
public interface IAccessPolicy
{
    /// <summary>Tells whether <paramref name="actor"/> may perform <paramref name="command"/> on <paramref name="integration"/>.</summary>
    /// <param name="integration">
    /// The integration, as loaded for the command: for most commands without its stored history
    /// (<see cref="Persistence.IIntegrationRepository.FindWithoutAuditTrailAsync"/>), so base the decision on its state
    /// (team, versions), not on <see cref="AggregateRoot.AuditTrail"/>.
    /// </param>
    /// <param name="actor">Who asks.</param>
    /// <param name="command">The service command's name, for example "PromoteVersion".</param>
    /// <returns>True to allow.</returns>
    bool CanChange(Integration integration, ActorId actor, string command);
}

/// <summary>The safe default: only the integration's team members may change it (Z6).</summary>
public sealed class TeamMembersOnlyPolicy : IAccessPolicy
{
    /// <inheritdoc />
    public bool CanChange(Integration integration, ActorId actor, string command)
    {
        ArgumentNullException.ThrowIfNull(integration);
        return integration.IsTeamMember(actor);
    }
}
