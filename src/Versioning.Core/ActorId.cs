using System.Text.Json.Serialization;

namespace Versioning.Core;

/// <summary>
/// Who performed a command: a user, a team member or a system process. Recorded in audit entries and events.
/// </summary>
[JsonConverter(typeof(ActorIdJsonConverter))]
public readonly struct ActorId : IEquatable<ActorId>
{
    /// <summary>The longest identifier accepted.</summary>
    public const int MaxLength = 200;

    private readonly string? _value;

    /// <summary>Creates an actor identifier.</summary>
    /// <param name="value">1–200 characters after trimming; no control characters, no invisible format characters (Unicode Cf, such as U+200B or U+FEFF) and no line or paragraph separators (X11).</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is blank, too long, or has a control, format or separator character.</exception>
    public ActorId(string value)
    {
        _value = Preconditions.Text(value, nameof(value), MaxLength);
        TextLimits.Identity(_value, nameof(value));
    }

    private ActorId(string value, bool stored) => _value = stored ? Preconditions.Text(value, nameof(value), MaxLength) : throw new ArgumentException("Use the public constructor.", nameof(stored));

    /// <summary>
    /// An actor identifier read back from a store: checked like the constructor except for the X11 character rule, so
    /// audit entries recorded before that rule existed still load. Store authors use it when reading; commands never do.
    /// </summary>
    /// <param name="value">The stored identifier.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is blank, too long or has control characters.</exception>
    public static ActorId FromStored(string value) => new(value, stored: true);

    /// <summary>The identifier text; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default(ActorId)</c>, which commands refuse.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>An actor for work the library does on its own (for example clock-driven changes).</summary>
    public static ActorId System { get; } = new("system");

    /// <inheritdoc />
    public bool Equals(ActorId other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ActorId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Compares two actors by value.</summary>
    /// <param name="left">The first actor.</param>
    /// <param name="right">The second actor.</param>
    /// <returns>True when they are equal.</returns>
    public static bool operator ==(ActorId left, ActorId right) => left.Equals(right);

    /// <summary>Compares two actors by value.</summary>
    /// <param name="left">The first actor.</param>
    /// <param name="right">The second actor.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(ActorId left, ActorId right) => !left.Equals(right);
}
