using Versioning.Core.Authorization;
using Versioning.Core.Services;

namespace Versioning.Core.Hosting;

/// <summary>
/// The policy of the worker's private <see cref="MigrationService"/> for one job: the worker's actor may run that job
/// while the user who requested it is still allowed to run it under the host's policy (so a revoked requester's job is
/// not run behind the policy's back), and nothing else; every other question goes to the host's policy. Never registered
/// in DI, so the worker's actor has no right through the services the host resolves.
/// </summary>
internal sealed class WorkerAccessPolicy(IAccessPolicy inner, ActorId worker, ActorId requestedBy) : IAccessPolicy
{
    public bool CanChange(ActorId actor, string command, AccessTarget target)
        => actor == worker
            ? command == "RunMigration" && target?.Kind == AccessTargetKind.MigrationJob && inner.CanChange(requestedBy, command, target)
            : inner.CanChange(actor, command, target!);
}
