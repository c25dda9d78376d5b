using NodaTime;
using Versioning.Core.Content;
using Versioning.Core.Installations;

namespace Versioning.Core.Templates;

/// <summary>The report for one release (T16).</summary>
/// <param name="TemplateId">The template.</param>
/// <param name="TemplateName">The template's name.</param>
/// <param name="Number">The release number.</param>
/// <param name="State">Draft, Live or Deprecated.</param>
/// <param name="RunStatus">Running or Paused.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="PromotedBy">Who promoted it, if anyone.</param>
/// <param name="PromotedAt">When it was promoted, if it was.</param>
/// <param name="Notes">The release notes.</param>
/// <param name="Connectors">The distinct connectors used (T15).</param>
/// <param name="Installations">Installations pinned to it, by run status.</param>
public sealed record ReleaseReport(
    TemplateId TemplateId,
    string TemplateName,
    ReleaseNumber Number,
    ReleaseState State,
    RunStatus RunStatus,
    ActorId CreatedBy,
    Instant CreatedAt,
    ActorId? PromotedBy,
    Instant? PromotedAt,
    string Notes,
    IReadOnlyList<ConnectorRef> Connectors,
    InstallationCounts Installations);
