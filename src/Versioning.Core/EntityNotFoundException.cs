namespace Versioning.Core;

/// <summary>
/// A template, release, integration, version, installation, migration or canary does not exist, or is not visible to
/// the caller (a Private version they may not see is reported exactly like one that does not exist, X8).
/// </summary>
/// <remarks>In 0.1 this derived from <see cref="KeyNotFoundException"/>; it now derives from <see cref="VersioningException"/>.</remarks>
public sealed class EntityNotFoundException : VersioningException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What was looked for, for example "Template" or "Release".</param>
    /// <param name="id">The identifier that was not found.</param>
    /// <param name="container">The identifier of the aggregate searched, for a release or version.</param>
    public EntityNotFoundException(string kind, string id, string? container = null)
        : base(container is null
            ? $"{kind} '{id}' was not found. Check the identifier, or list the existing ones first."
            : $"{kind} '{id}' was not found in {container}. It may have been deleted; list the existing ones first.")
    {
        Kind = kind;
        Id = id;
        Container = container;
    }

    /// <inheritdoc/>
    /// <value>Always <c>"not-found"</c>.</value>
    public override string ErrorCode => "not-found";

    /// <summary>What was looked for: "Template", "Release", "Integration", "Version", "Installation" or "Migration".</summary>
    public string Kind { get; }

    /// <summary>The identifier that was not found.</summary>
    public string Id { get; }

    /// <summary>Where it was looked for, for a release or a version.</summary>
    public string? Container { get; }
}
