using NodaTime;

namespace Versioning.Core.Auditing;

/// <summary>
/// One line of an aggregate's audit trail (T14) or history (Z17): what happened, who did it, when, to which
/// release or version, with details for people. Entries are appended and never changed or removed.
/// </summary>
/// <param name="Action">What happened.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="At">When it happened (from the injected clock).</param>
/// <param name="Subject">The release number or version number concerned; null for the aggregate itself.</param>
/// <param name="Details">A message for people.</param>
public sealed record AuditEntry(AuditAction Action, ActorId Actor, Instant At, string? Subject, string Details);
