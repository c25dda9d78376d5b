namespace Versioning.Core.Persistence;

/// <summary>
/// A write fenced by a <see cref="WorkerLease"/> found the lease no longer held by its holder at its generation (it
/// expired and another instance took it over, or it was released): nothing was written (H3). The worker stops working
/// on the resource; the new holder carries on from what is stored.
/// </summary>
public sealed class LeaseLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="lease">The lease that was lost.</param>
    public LeaseLostException(WorkerLease lease)
        : base($"The lease on '{lease?.Resource}' held by '{lease?.Holder}' (generation {lease?.Generation}) is no longer held: it expired and was taken over, or was released. Nothing was written.")
    {
        ArgumentNullException.ThrowIfNull(lease);
        Lease = lease;
    }

    /// <summary>The lost lease.</summary>
    public WorkerLease Lease { get; }
}
