namespace Versioning.Core;

/// <summary>A template, release, integration, version, installation or migration does not exist.</summary>
public sealed class EntityNotFoundException : KeyNotFoundException
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

    /// <summary>What was looked for: "Template", "Release", "Integration", "Version", "Installation" or "Migration".</summary>
    public string Kind { get; }

    /// <summary>The identifier that was not found.</summary>
    public string Id { get; }

    /// <summary>Where it was looked for, for a release or a version.</summary>
    public string? Container { get; }
}
