using NodaTime;

namespace Versioning.Core.Integrations;

/// <summary>A deprecation notice that has fallen due (Z13): tell the version's users to migrate before the date.</summary>
/// <param name="IntegrationId">The integration.</param>
/// <param name="IntegrationName">The integration's name.</param>
/// <param name="Version">The Deprecating version.</param>
/// <param name="DeprecationDate">The date it stops working.</param>
/// <param name="EffectiveAt">The instant it becomes Deprecated.</param>
/// <param name="DueAt">When the notice fell due (the configured lead time before <paramref name="EffectiveAt"/>).</param>
/// <param name="Reason">Why it is deprecated.</param>
public sealed record DeprecationNotice(IntegrationId IntegrationId, string IntegrationName, VersionNumber Version, LocalDate DeprecationDate, Instant EffectiveAt, Instant DueAt, string Reason);
