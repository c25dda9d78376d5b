using System.Text.Json.Serialization;

namespace Versioning.Core;

/// <summary>The account or user that owns an installation (I1).</summary>
[JsonConverter(typeof(OwnerRefJsonConverter))]
public readonly struct OwnerRef : IEquatable<OwnerRef>
{
    /// <summary>The longest owner identifier accepted.</summary>
    public const int MaxIdLength = 200;

    /// <summary>Creates an owner reference.</summary>
    /// <param name="kind">Account or user.</param>
    /// <param name="id">1–200 characters after trimming, no control characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank, too long or has control characters, or <paramref name="kind"/> is undefined.</exception>
    public OwnerRef(OwnerKind kind, string id)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentException($"kind must be Account or User; {(int)kind} is not defined.", nameof(kind));
        }

        Kind = kind;
        Id = Preconditions.Text(id, nameof(id), MaxIdLength);
    }

    /// <summary>Account or user.</summary>
    public OwnerKind Kind { get; }

    /// <summary>The owner's identifier; null for the default value.</summary>
    public string Id { get; }

    /// <summary>An account owner.</summary>
    /// <param name="id">The account's identifier.</param>
    /// <returns>The reference.</returns>
    public static OwnerRef Account(string id) => new(OwnerKind.Account, id);

    /// <summary>A user owner.</summary>
    /// <param name="id">The user's identifier.</param>
    /// <returns>The reference.</returns>
    public static OwnerRef User(string id) => new(OwnerKind.User, id);

    /// <inheritdoc />
    public bool Equals(OwnerRef other) => Kind == other.Kind && string.Equals(Id, other.Id, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is OwnerRef other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Id is null ? 0 : StringComparer.Ordinal.GetHashCode(Id));

    /// <summary>
    /// Returns <c>user:{id}</c> or <c>account:{id}</c> (for example <c>user:ada</c>). The format is stable: the CLI and
    /// JSON use it (the JSON converter splits it at the first colon, so ids may hold colons).
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Id}";

    /// <summary>Compares two owners.</summary>
    /// <param name="left">The first owner.</param>
    /// <param name="right">The second owner.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(OwnerRef left, OwnerRef right) => left.Equals(right);

    /// <summary>Compares two owners.</summary>
    /// <param name="left">The first owner.</param>
    /// <param name="right">The second owner.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(OwnerRef left, OwnerRef right) => !left.Equals(right);
}
