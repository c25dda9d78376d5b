using System.Collections.Immutable;
using NodaTime;
using Versioning.Core.Content;

namespace Versioning.Core.Integrations;

/// <summary>
/// One version of an integration. Immutable: the <see cref="Integration"/> aggregate replaces a version when it
/// changes. Its state at an instant is derived with <see cref="StateAt"/>: a Deprecating version is Deprecated from
/// the start of its deprecation date, with no background job (Z12).
/// </summary>
public sealed record IntegrationVersion
{
    /// <summary>The longest release notes accepted.</summary>
    public const int MaxNotesLength = 10_000;

    /// <summary>The version number (Z1).</summary>
    public required VersionNumber Number { get; init; }

    /// <summary>
    /// The state as stored: Private, Promoted, Available, Legacy or Deprecating (never Deprecated, which is derived
    /// from the clock; read <see cref="StateAt"/>).
    /// </summary>
    public required VersionState StoredState { get; init; }

    /// <summary>The content.</summary>
    /// <exception cref="InvalidOperationException">(get) The version was loaded without its content (<see cref="HasContent"/> is false): the command's selection did not list it.</exception>
    /// <exception cref="ArgumentNullException">(init) The value is null.</exception>
    public required WorkflowDefinition Content
    {
        get => LoadedContent ?? throw new InvalidOperationException(
            $"The content of {Label} was not loaded by this command's selection (only the versions a command lists are loaded with their content); list {Number} in the ItemSelection to read it.");
        init => LoadedContent = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Whether the content is loaded. False for a version a store loaded without it (the Promoted version, when a command
    /// did not select it, see <see cref="ItemSelection"/>); reading <see cref="Content"/> then throws, and a store saving such a
    /// version keeps the content it holds.
    /// </summary>
    public bool HasContent => LoadedContent is not null;

    private WorkflowDefinition? LoadedContent { get; init; }

    /// <summary>Release notes (changelog); empty when none.</summary>
    public string Notes { get; init; } = string.Empty;

    /// <summary>Who created the version.</summary>
    public required ActorId CreatedBy { get; init; }

    /// <summary>When the version was created.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When the version last changed.</summary>
    public required Instant UpdatedAt { get; init; }

    /// <summary>The version this one was cloned from, if any (Z3).</summary>
    public VersionNumber? ClonedFrom { get; init; }

    /// <summary>When it was last promoted, if ever.</summary>
    public Instant? PromotedAt { get; init; }

    /// <summary>When it was marked Legacy, if it was (Z16).</summary>
    public Instant? LegacyAt { get; init; }

    /// <summary>The deprecation schedule, once deprecated (Z12).</summary>
    public DeprecationSchedule? Deprecation { get; init; }

    /// <summary>Users outside the team this Private version is shared with (Z6), sorted ordinally.</summary>
    public ImmutableSortedSet<ActorId> SharedWith { get; init; } = [];

    /// <summary>Accounts this Private version is shared with (M3, X8), sorted ordinally; a different principal from users.</summary>
    public ImmutableSortedSet<string> SharedWithAccounts { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>
    /// Whether the version was ever public: Promoted or Available now, or promoted once (X8). A version that never was
    /// stays visible only to the team and the principals it was shared with, whatever its state later.
    /// </summary>
    public bool WasPublic => PromotedAt is not null || StoredState is VersionState.Promoted or VersionState.Available;

    /// <summary>
    /// Warnings recorded by promotion checks at the last promotion (Z8), each with the name of the check that raised it
    /// (<see cref="PromotionFinding.Check"/>, the <see cref="IPromotionCheck.Name"/>) and its message; every store keeps
    /// both. A warning stored before the check's name was kept has an empty <see cref="PromotionFinding.Check"/>.
    /// </summary>
    public ImmutableArray<PromotionFinding> PromotionWarnings { get; init; } = [];

    /// <summary>True for a development build (Z5).</summary>
    public bool IsPreRelease => Number.IsPreRelease;

    /// <summary>The state at <paramref name="at"/>: Deprecated once a Deprecating version's date has begun (Z12).</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The state.</returns>
    public VersionState StateAt(Instant at)
        => StoredState == VersionState.Deprecating && Deprecation is { } d && at >= d.EffectiveAt ? VersionState.Deprecated : StoredState;

    /// <summary>"version x.y.z", as used in messages.</summary>
    public string Label => $"version {Number}";

    /// <summary>
    /// The same version without its content (for stores: what a command that did not select it loads; see
    /// <see cref="HasContent"/>). Give it content again with <c>version with { Content = … }</c>.
    /// </summary>
    /// <returns>A copy with <see cref="HasContent"/> false.</returns>
    public IntegrationVersion WithoutContent() => HasContent ? this with { LoadedContent = null } : this;

    // The generated ToString must not read Content (it throws when the content was not loaded).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Number = ").Append(Number).Append(", StoredState = ").Append(StoredState)
            .Append(", HasContent = ").Append(HasContent).Append(", Steps = ").Append(LoadedContent?.Steps.Length ?? 0);
        return true;
    }
}
