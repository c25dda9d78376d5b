using NodaTime;
using Versioning.Core.Authorization;
using Versioning.Core.Integrations;

namespace Versioning.Core.Services;

/// <summary>Canary releases (K1–K6) through the integration service: authorized, audited commands like every other.</summary>
public sealed partial class IntegrationService
{
    /// <summary>
    /// Starts a canary (K1, K4): for <paramref name="duration"/>, <paramref name="percent"/> percent of the executions of
    /// <paramref name="from"/>'s installations within <paramref name="scope"/> run <paramref name="to"/>; see
    /// <see cref="Integration.StartCanary"/> for every rule. Authorized as the command "StartCanary".
    /// </summary>
    /// <param name="id">The integration.</param>
    /// <param name="from">Version A.</param>
    /// <param name="to">Version B.</param>
    /// <param name="percent">1–100.</param>
    /// <param name="duration">30 seconds to 24 hours.</param>
    /// <param name="scope">Whose executions (<see cref="CanaryScope.All"/> for everyone).</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The canary.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The percentage is outside 1–100.</exception>
    /// <exception cref="VersioningRuleException">A rule forbids it (K1 also for a duration outside 30 s–24 h).</exception>
    /// <exception cref="VersioningAccessDeniedException">The policy denies it.</exception>
    public Task<Canary> StartCanaryAsync(IntegrationId id, VersionNumber from, VersionNumber to, int percent, Duration duration, CanaryScope scope, ActorId by, CancellationToken cancellationToken = default)
    {
        // Malformed arguments (X6) are reported before the integration is loaded or the policy asked.
        Canary.CheckPercent(percent, nameof(percent));
        return Change("StartCanary", id, by, (i, at, _) => i.StartCanary(from, to, percent, duration, scope, Options.MigrationsWithinMajorOnly, by, at), cancellationToken,
            selection: Select(from, to));
    }

    /// <summary>Deletes the active canary before its end (K4). Authorized as the command "DeleteCanary".</summary>
    /// <param name="id">The integration.</param>
    /// <param name="canaryId">The canary.</param>
    /// <param name="by">A team member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deleted canary.</returns>
    /// <exception cref="EntityNotFoundException">No such canary.</exception>
    /// <exception cref="VersioningRuleException">K3: it already ended by itself.</exception>
    public Task<Canary> DeleteCanaryAsync(IntegrationId id, CanaryId canaryId, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(canaryId, nameof(canaryId));
        return Change("DeleteCanary", id, by, (i, at, _) => i.DeleteCanary(canaryId, by, at), cancellationToken, selection: ItemSelection.Of());
    }

    /// <summary>
    /// Records that a canary ended by itself (K3), once: for the background worker that polls
    /// <see cref="ListEndedCanariesAsync"/>. Authorized as the command "RecordCanaryExpired".
    /// </summary>
    /// <param name="id">The integration.</param>
    /// <param name="canaryId">The canary.</param>
    /// <param name="by">The worker's identity (the policy must allow it).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when recorded now; false when it was already recorded or the canary was deleted.</returns>
    /// <exception cref="VersioningRuleException">K3: the canary has not ended yet.</exception>
    public Task<bool> RecordCanaryExpiredAsync(IntegrationId id, CanaryId canaryId, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(canaryId, nameof(canaryId));
        return Change("RecordCanaryExpired", id, by, (i, at, _) => i.RecordCanaryExpired(canaryId, by, at), cancellationToken, selection: ItemSelection.Of());
    }

    /// <summary>
    /// The canaries of an integration whose end is not recorded yet, as <paramref name="viewer"/> may see them
    /// (<see cref="Integration.CanSee"/>, X8): for anyone outside the team, a canary from or to a version they cannot
    /// access (Z5, Z6), or whose scope is neither all executions nor them as its user, is left out.
    /// </summary>
    /// <param name="id">The integration.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The canaries, oldest first; <see cref="Canary.IsActiveAt"/> tells which one is active.</returns>
    /// <exception cref="ArgumentException"><paramref name="viewer"/> is empty.</exception>
    public async Task<IReadOnlyList<Canary>> ListCanariesAsync(IntegrationId id, ActorId viewer, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        var integration = await LoadAsync(id, wholeTrail: false, cancellationToken).ConfigureAwait(false);
        return integration.Canaries.Where(c => integration.CanSee(c, viewer)).ToList();
    }

    /// <summary>
    /// The canaries that ended by themselves by <paramref name="at"/> and whose expiry is not recorded yet (K3), of the
    /// integrations <paramref name="viewer"/> may record that expiry on: what a background worker raises the expiry event
    /// for, through <see cref="RecordCanaryExpiredAsync"/> with the same identity. The list spans every integration, so
    /// the <see cref="IAccessPolicy"/> decides per integration, asked as the command "ListEndedCanaries" (the default
    /// allows the team, as for "RecordCanaryExpired"); a canary names versions (possibly never-public) and a scope, so
    /// anything else is left out (X8). Run the worker as a team member, or register a policy that allows its identity.
    /// Routing never needs it: it stops diverting at the end instant by itself.
    /// </summary>
    /// <param name="viewer">The worker's identity.</param>
    /// <param name="at">The instant, or null for now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ended canaries the viewer may act on, by integration name.</returns>
    /// <exception cref="ArgumentException"><paramref name="viewer"/> is empty.</exception>
    public async Task<IReadOnlyList<EndedCanary>> ListEndedCanariesAsync(ActorId viewer, Instant? at = null, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        var instant = at ?? _runner.Clock.GetCurrentInstant();
        var ended = new List<EndedCanary>();
        foreach (var summary in await _integrations.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var integration = await _integrations.FindWithoutAuditTrailAsync(summary.Id, cancellationToken).ConfigureAwait(false);
            if (integration is not null && _access.Allows(viewer, "ListEndedCanaries", AccessTarget.For(integration)))
            {
                ended.AddRange(integration.CanariesEndedBy(instant).Select(c => new EndedCanary(integration.Id, integration.Name, c)));
            }
        }

        return ended;
    }
}
