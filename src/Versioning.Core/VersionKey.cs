using System.Text.Json.Serialization;

namespace Versioning.Core;

/// <summary>
/// The release or version an installation is pinned to, in one form both lifecycles share: a template release
/// number ("3") or an integration version number ("1.2.0"). Compared ordinally.
/// </summary>
[JsonConverter(typeof(VersionKeyJsonConverter))]
public readonly struct VersionKey : IEquatable<VersionKey>, IComparable<VersionKey>
{
    private readonly string? _value;

    private VersionKey(string value) => _value = value;

    /// <summary>The text form; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The key of a template release.</summary>
    /// <param name="releaseNumber">The release number.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="releaseNumber"/> is empty (the default value).</exception>
    public static VersionKey ForRelease(ReleaseNumber releaseNumber)
    {
        if (releaseNumber.IsEmpty)
        {
            throw new ArgumentException("The release number is empty (the default value); name a release, 1 or more.", nameof(releaseNumber));
        }

        return new(releaseNumber.ToString());
    }

    /// <summary>The key of an integration version.</summary>
    /// <param name="version">The version number.</param>
    /// <returns>The key.</returns>
    public static VersionKey ForVersion(VersionNumber version) => new(version.ToString());

    /// <summary>Rebuilds a key from its stored text (for stores).</summary>
    /// <param name="value">The text produced by <see cref="Value"/>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is blank.</exception>
    public static VersionKey FromStored(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return new(value);
    }

    /// <summary>Reads the key as a template release number.</summary>
    /// <returns>The release number.</returns>
    /// <exception cref="FormatException">The key is not a release number.</exception>
    public ReleaseNumber ToReleaseNumber() => ReleaseNumber.Parse(Value);

    /// <summary>Reads the key as an integration version number.</summary>
    /// <returns>The version number.</returns>
    /// <exception cref="FormatException">The key is not a version number.</exception>
    public VersionNumber ToVersionNumber() => VersionNumber.Parse(Value);

    /// <inheritdoc />
    public bool Equals(VersionKey other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is VersionKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public int CompareTo(VersionKey other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>
    /// Returns <see cref="Value"/>: a release number (<c>3</c>) or a version number (<c>1.2.0</c>); empty for the default
    /// value. The format is stable: stores keep it as the pinned column, and JSON uses it.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => Value;

    /// <summary>Compares two keys.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(VersionKey left, VersionKey right) => left.Equals(right);

    /// <summary>Compares two keys.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(VersionKey left, VersionKey right) => !left.Equals(right);

    /// <summary>Orders keys ordinally.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>True when <paramref name="left"/> sorts first.</returns>
    public static bool operator <(VersionKey left, VersionKey right) => left.CompareTo(right) < 0;

    /// <summary>Orders keys ordinally.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>True when <paramref name="left"/> sorts last.</returns>
    public static bool operator >(VersionKey left, VersionKey right) => left.CompareTo(right) > 0;

    /// <summary>Orders keys ordinally.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>True unless <paramref name="left"/> sorts last.</returns>
    public static bool operator <=(VersionKey left, VersionKey right) => left.CompareTo(right) <= 0;

    /// <summary>Orders keys ordinally.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>True unless <paramref name="left"/> sorts first.</returns>
    public static bool operator >=(VersionKey left, VersionKey right) => left.CompareTo(right) >= 0;
}
