namespace Versioning.Core.Templates;

/// <summary>Facts about a release that the lifecycle's guards read (passed by reference, never boxed).</summary>
/// <param name="TemplatePublished">Whether the template is published (T12).</param>
/// <param name="InstallationCount">How many installations are pinned to the release (T10).</param>
public readonly record struct ReleaseFacts(bool TemplatePublished, long InstallationCount);
