using NodaTime;

namespace Versioning.Core.Auditing;

/// <summary>
/// One line of an aggregate's audit trail (T14, Z17): what happened, who did it, when, to which release or version,
/// with details for people. Entries are appended and never changed or removed.
/// </summary>
/// <param name="Action">What happened.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="At">When it happened (from the injected clock).</param>
/// <param name="Subject">
/// The release or version concerned as people read it (<c>"release 2"</c>, <c>"1.2.0"</c>); null for the aggregate
/// itself. <see cref="SubjectKey"/> is the same subject, typed.
/// </param>
/// <param name="Details">A message for people.</param>
public sealed record AuditEntry(AuditAction Action, ActorId Actor, Instant At, string? Subject, string Details)
{
    private const string ReleasePrefix = "release ";

    /// <summary>
    /// The typed subject (A4): the release (<see cref="VersionKey.ForRelease"/>) or version
    /// (<see cref="VersionKey.ForVersion"/>) the entry is about, or null for an entry about the template or integration
    /// itself. Entries written by this library, including those stored before the key existed, always have it when they
    /// have a <see cref="Subject"/>: the subject is the key's canonical label (<see cref="SubjectOf"/>).
    /// </summary>
    public VersionKey? SubjectKey => KeyOf(Subject);

    /// <summary>The label an entry about <paramref name="key"/> carries as its <see cref="Subject"/>.</summary>
    /// <param name="key">A release or version key.</param>
    /// <returns><c>"release 2"</c> for a release, the version number (<c>"1.2.0"</c>) for a version.</returns>
    /// <exception cref="ArgumentException">The key is empty.</exception>
    public static string SubjectOf(VersionKey key)
    {
        if (key.Value.Length == 0)
        {
            throw new ArgumentException("The empty version key is no subject.", nameof(key));
        }

        return char.IsAsciiDigit(key.Value[0]) && key.Value.All(char.IsAsciiDigit) ? ReleasePrefix + key.Value : key.Value;
    }

    private static VersionKey? KeyOf(string? subject)
    {
        if (subject is null)
        {
            return null;
        }

        if (subject.StartsWith(ReleasePrefix, StringComparison.Ordinal))
        {
            return ReleaseNumber.TryParse(subject.AsSpan(ReleasePrefix.Length), out var release) ? VersionKey.ForRelease(release) : null;
        }

        return VersionNumber.TryParse(subject, out var version) && version.ToString() == subject ? VersionKey.ForVersion(version) : null;
    }
}
