using NodaTime;

namespace Versioning.Core.Persistence;

/// <summary>The argument checks every <see cref="IWorkerStateRepository"/> makes, shared so that every store refuses the same input the same way.</summary>
public static class WorkerStateChecks
{
    /// <summary>Checks the arguments of <see cref="IWorkerStateRepository.SaveCheckpointAsync"/> (shared by every store).</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="consumer">The consumer.</param>
    /// <param name="position">The new checkpoint.</param>
    /// <param name="parked">The parked event, if any.</param>
    /// <exception cref="ArgumentException">An argument does not fit the others.</exception>
    public static void CheckCheckpoint(WorkerLease lease, string consumer, long position, ParkedEvent? parked)
    {
        CheckResource(lease, WorkerLease.ForConsumer(consumer));
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (parked is not null && (parked.Consumer != consumer || parked.Position > position || parked.Position < 1))
        {
            throw new ArgumentException($"The parked event (consumer '{parked.Consumer}', position {parked.Position}) must be consumer '{consumer}''s and lie at or before the new checkpoint {position}.", nameof(parked));
        }
    }

    /// <summary>Refuses a lease on another resource than the one written.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="resource">The resource the write is about.</param>
    /// <exception cref="ArgumentException">The lease is on another resource.</exception>
    public static void CheckResource(WorkerLease lease, string resource)
    {
        if (!string.Equals(lease.Resource, resource, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The lease is on '{lease.Resource}', not on '{resource}'.", nameof(lease));
        }
    }

    /// <summary>Refuses a duration that is not positive.</summary>
    /// <param name="duration">The lease duration.</param>
    public static void CheckDuration(Duration duration)
    {
        if (duration <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease lasts a positive time.");
        }
    }

}
