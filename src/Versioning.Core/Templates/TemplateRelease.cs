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

    private WorkflowDefinition? _content;

    /// <summary>
    /// The steps and connectors. A release a command loaded without its content (<see cref="HasContent"/> is false: the
    /// command's selection did not name it) has none to read.
    /// </summary>
    /// <exception cref="InvalidOperationException">The content was not loaded (<see cref="HasContent"/> is false).</exception>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public required WorkflowDefinition Content
    {
        get => _content ?? throw new InvalidOperationException($"The content of {Label} was not loaded by this command's selection; load the release with its content to read it.");
        init => _content = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Whether <see cref="Content"/> was loaded: true for every release of a whole load and for the releases a command
    /// selected; false for a release loaded without it (the Live release a command reads only for its state).
    /// </summary>
    public bool HasContent => _content is not null;

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

    /// <summary>
    /// This release without its content (<see cref="HasContent"/> false), for stores that load a release for a command
    /// that does not read its content. Saving it never changes the stored content.
    /// </summary>
    /// <returns>A copy without content (this instance when it has none).</returns>
    public TemplateRelease WithoutContent()
    {
        if (_content is null)
        {
            return this;
        }

        var copy = this with { };
        copy._content = null;
        return copy;
    }

    /// <summary>"release N", as used in messages and audit entries.</summary>
    public string Label => $"release {Number}";

    // The record's text form names the release, never reads content (a release loaded without it must print too).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Number = ").Append(Number).Append(", State = ").Append(State).Append(", RunStatus = ").Append(RunStatus)
            .Append(", HasContent = ").Append(HasContent);
        return true;
    }
}
