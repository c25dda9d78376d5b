namespace Versioning.Core.Integrations;

/// <summary>The outcome of a successful promotion (Z7, Z8).</summary>
/// <param name="Version">The version now Promoted.</param>
/// <param name="Previous">The version that was Promoted before and is now Available, if any.</param>
/// <param name="Warnings">Warnings the checks recorded; they did not block.</param>
public sealed record PromotionResult(IntegrationVersion Version, VersionNumber? Previous, IReadOnlyList<PromotionFinding> Warnings);
