using Versioning.Core.Authorization;
using Versioning.Core.Services;

namespace Versioning.Core.Hosting;

/// <summary>
/// The policy of the worker's private <see cref="MigrationService"/>: the worker's actor may run a job
/// (jobs were authorized when requested, X7), and nothing else; every other question goes to the host's policy. Never
/// registered in DI, so the worker's actor has no right through the services the host resolves.
/// </summary>
internal sealed class WorkerAccessPolicy(IAccessPolicy inner, ActorId worker) : IAccessPolicy
{
    public bool CanChange(ActorId actor, string command, AccessTarget target)
        => (actor == worker && command == "RunMigration" && target?.Kind == AccessTargetKind.MigrationJob) || inner.CanChange(actor, command, target!);
}
