namespace Versioning.Core.Integrations;

/// <summary>Facts about a version that the lifecycle's guards read.</summary>
/// <param name="IsPreRelease">Whether the version number has a label (Z5).</param>
/// <param name="InstallationCount">How many installations use the version (Z4, Z13, Z15).</param>
/// <param name="EditInstallationLimit">The content of a version used by this many installations or more is frozen (Z4).</param>
/// <param name="AnotherVersionPromoted">Whether a different version is Promoted (Z13).</param>
public readonly record struct VersionFacts(bool IsPreRelease, long InstallationCount, int EditInstallationLimit, bool AnotherVersionPromoted);
