using NodaTime;
using Versioning.Core.Content;

namespace Versioning.Core.Templates;

/// <summary>
/// One release of a template. Immutable: the <see cref="Template"/> aggregate replaces a release when it changes,
/// so a release read from a template never changes under the reader.
/// </summary>
public sealed record TemplateRelease
{
    /// <summary>The longest release notes accepted.</summary>
    public const int MaxNotesLength = 10_000;

    /// <summary>The release number: 1, 2, 3… per template, never reused (T2).</summary>
    public required ReleaseNumber Number { get; init; }

    /// <summary>Draft, Live or Deprecated.</summary>
    public required ReleaseState State { get; init; }

    /// <summary>Paused or Running; independent of <see cref="State"/> (T11).</summary>
    public required RunStatus RunStatus { get; init; }

    /// <summary>The steps and connectors.</summary>
    public required WorkflowDefinition Content { get; init; }

    /// <summary>Release notes; empty when none (T4).</summary>
    public string Notes { get; init; } = string.Empty;

    /// <summary>Who created the release (T14).</summary>
    public required ActorId CreatedBy { get; init; }

    /// <summary>When the release was created (T14).</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When the release last changed.</summary>
    public required Instant UpdatedAt { get; init; }

    /// <summary>Who promoted the release to Live, if it was (T16).</summary>
    public ActorId? PromotedBy { get; init; }

    /// <summary>When the release was promoted to Live, if it was (T16).</summary>
    public Instant? PromotedAt { get; init; }

    /// <summary>When the release was deprecated, if it was.</summary>
    public Instant? DeprecatedAt { get; init; }

    /// <summary>The release this one was copied from, if any (T8).</summary>
    public ReleaseProvenance? CopiedFrom { get; init; }

    /// <summary>The distinct connectors the steps use (T15).</summary>
    public IReadOnlyList<ConnectorRef> Connectors => Content.Connectors();

    /// <summary>"release N", as used in messages and audit entries.</summary>
    public string Label => $"release {Number}";
}
