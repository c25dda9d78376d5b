using NodaTime;

namespace Versioning.Core.Integrations;

/// <summary>One row of a version listing at an instant (Z16).</summary>
/// <param name="Number">The version number.</param>
/// <param name="State">The state at the listing's instant.</param>
/// <param name="InstallationCount">How many installations use it.</param>
/// <param name="LegacyAt">When it was marked Legacy, if it was.</param>
/// <param name="DeprecationDate">Its deprecation date, if scheduled.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record VersionListing(VersionNumber Number, VersionState State, long InstallationCount, Instant? LegacyAt, LocalDate? DeprecationDate, Instant CreatedAt, Instant UpdatedAt);
