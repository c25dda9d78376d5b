namespace Versioning.Core.Integrations;

/// <summary>One line of an integration listing.</summary>
/// <param name="Id">The integration's identifier.</param>
/// <param name="Name">Its name.</param>
/// <param name="PromotedVersion">The Promoted version, if any.</param>
/// <param name="VersionCount">How many versions exist (deleted ones excluded).</param>
/// <param name="Revision">The stored revision.</param>
public sealed record IntegrationSummary(IntegrationId Id, string Name, VersionNumber? PromotedVersion, int VersionCount, long Revision);
