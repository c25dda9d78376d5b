namespace Versioning.Core.Integrations;

/// <summary>A canary that ended by itself and whose expiry is not recorded yet (K3), with its integration.</summary>
/// <param name="IntegrationId">The integration.</param>
/// <param name="IntegrationName">The integration's name.</param>
/// <param name="Canary">The canary.</param>
public sealed record EndedCanary(IntegrationId IntegrationId, string IntegrationName, Canary Canary);
