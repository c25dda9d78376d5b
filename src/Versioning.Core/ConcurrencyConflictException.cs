namespace Versioning.Core;

/// <summary>
/// A save was based on a stale revision: someone else saved the aggregate since it was loaded (X3). Nothing was
/// written. Services re-load, re-check the rules and retry a bounded number of times before letting this escape.
/// </summary>
/// <remarks>In 0.1 this lived in <c>Versioning.Core.Persistence</c>; it now derives from <see cref="VersioningException"/>.</remarks>
public sealed class ConcurrencyConflictException : VersioningException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="aggregateKind">"Template", "Integration", "Installation" or "Migration".</param>
    /// <param name="aggregateId">The aggregate's identifier.</param>
    /// <param name="expectedRevision">The revision the writer loaded.</param>
    /// <param name="actualRevision">The revision stored now (−1 when the aggregate no longer exists).</param>
    /// <param name="innerException">The store's own error, if any (for example a unique violation).</param>
    public ConcurrencyConflictException(string aggregateKind, string aggregateId, long expectedRevision, long actualRevision, Exception? innerException = null)
        : base($"{aggregateKind} '{aggregateId}' was changed by someone else: expected revision {expectedRevision}, found {(actualRevision < 0 ? "none" : actualRevision.ToString(System.Globalization.CultureInfo.InvariantCulture))}. Nothing was saved; load it again and retry.", innerException)
    {
        AggregateKind = aggregateKind;
        AggregateId = aggregateId;
        ExpectedRevision = expectedRevision;
        ActualRevision = actualRevision;
    }

    /// <inheritdoc/>
    /// <value>Always <c>"concurrency-conflict"</c>.</value>
    public override string ErrorCode => "concurrency-conflict";

    /// <summary>The kind of aggregate.</summary>
    public string AggregateKind { get; }

    /// <summary>The aggregate's identifier.</summary>
    public string AggregateId { get; }

    /// <summary>The revision the writer loaded.</summary>
    public long ExpectedRevision { get; }

    /// <summary>The revision stored now; −1 when unknown or absent.</summary>
    public long ActualRevision { get; }

    /// <summary>
    /// The one staleness rule every store applies (X3): a write based on revision 0 inserts, so nothing may be stored yet;
    /// any other write needs exactly that revision stored.
    /// </summary>
    /// <param name="expectedRevision">The revision the writer loaded (0 for a new aggregate).</param>
    /// <param name="storedRevision">The revision stored now, or null when nothing is stored.</param>
    /// <returns>True when the write must be refused with a <see cref="ConcurrencyConflictException"/>.</returns>
    public static bool IsStale(long expectedRevision, long? storedRevision)
        => expectedRevision == 0 ? storedRevision is not null : storedRevision != expectedRevision;
}
