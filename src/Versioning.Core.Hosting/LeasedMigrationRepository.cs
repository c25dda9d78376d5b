using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Services;

namespace Versioning.Core.Hosting;

/// <summary>
/// The job store as the worker's private <see cref="MigrationService"/> sees it: every batch runs fenced by the current
/// lease (H3), and a job's other writes (a failure recorded when its target is no longer valid) happen only while the
/// lease is still held. The worker's own instance; never registered in DI.
/// </summary>
internal sealed class LeasedMigrationRepository(IMigrationRepository inner, IWorkerStateRepository state, IClock clock, Duration leaseDuration) : IMigrationRepository
{
    /// <summary>The lease on the job being run; set by the worker before each batch.</summary>
    public WorkerLease? Lease { get; set; }

    public Task<MigrationJob?> FindAsync(MigrationId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

    public async Task<MigrationJob> SaveAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        var lease = CurrentLease(job);
        Lease = await state.RenewLeaseAsync(lease, clock.GetCurrentInstant(), leaseDuration, cancellationToken).ConfigureAwait(false) ?? throw new LeaseLostException(lease);
        return await inner.SaveAsync(job, events, cancellationToken).ConfigureAwait(false);
    }

    public Task<MigrationJob> SaveWithIntegrationAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, Integration integration, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("The worker never starts jobs.");

    public Task<IReadOnlyList<MigrationJob>> ListAsync(ProductRef product, CancellationToken cancellationToken = default) => inner.ListAsync(product, cancellationToken);

    public Task<MigrationJob> RunBatchAsync(MigrationJob job, ActorId by, Instant at, CancellationToken cancellationToken = default)
        => state.RunJobBatchAsync(CurrentLease(job), job, by, at, cancellationToken);

    private WorkerLease CurrentLease(MigrationJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Lease is { } lease && lease.Resource == WorkerLease.ForJob(job.Id)
            ? lease
            : throw new InvalidOperationException($"The worker holds no lease on migration {job.Id}.");
    }
}
