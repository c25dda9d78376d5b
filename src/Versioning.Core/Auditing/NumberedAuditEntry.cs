using Versioning.Core.Aggregates;
namespace Versioning.Core.Auditing;

/// <summary>
/// An audit entry together with its number in the aggregate's whole trail (0 for the first entry ever recorded, and so
/// on; numbers are never reused because entries are never removed). What a store writes for each entry of
/// <c>AggregateRoot.NewAuditEntries</c>.
/// </summary>
/// <param name="Sequence">The entry's number in the whole trail.</param>
/// <param name="Entry">The entry.</param>
public sealed record NumberedAuditEntry(int Sequence, AuditEntry Entry);
