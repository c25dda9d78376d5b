using System.Text.Json.Serialization;

namespace Versioning.Core;

/// <summary>
/// Who performed a command: a user, a team member or a system process. Recorded in audit entries and events.
/// </summary>
[JsonConverter(typeof(ActorIdJsonConverter))]
public readonly struct ActorId : IEquatable<ActorId>, IComparable<ActorId>, ISpanParsable<ActorId>
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

    /// <summary>Parses an actor identifier: the same as the constructor, for code written against <see cref="IParsable{TSelf}"/>.</summary>
    /// <param name="text">1–200 characters after trimming, as for <see cref="ActorId(string)"/>.</param>
    /// <returns>The identifier (trimmed).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> is blank, too long, or has a control, format or separator character.</exception>
    public static ActorId Parse(string text) => new(text);

    /// <summary>Parses an actor identifier without throwing.</summary>
    /// <param name="text">The text; null gives false.</param>
    /// <param name="result">The identifier, or the default (empty) value.</param>
    /// <returns>True when <see cref="ActorId(string)"/> would accept <paramref name="text"/>.</returns>
    public static bool TryParse([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? text, out ActorId result)
    {
        result = default;
        if (text is null)
        {
            return false;
        }

        try
        {
            result = new ActorId(text);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <inheritdoc cref="Parse(string)"/>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: the text does not depend on a culture.</param>
    static ActorId IParsable<ActorId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(string, out ActorId)"/>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: the text does not depend on a culture.</param>
    /// <param name="result">The identifier, or the default (empty) value.</param>
    static bool IParsable<ActorId>.TryParse([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? s, IFormatProvider? provider, out ActorId result) => TryParse(s, out result);

    /// <inheritdoc cref="Parse(string)"/>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: the text does not depend on a culture.</param>
    static ActorId ISpanParsable<ActorId>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s.ToString());

    /// <inheritdoc cref="TryParse(string, out ActorId)"/>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: the text does not depend on a culture.</param>
    /// <param name="result">The identifier, or the default (empty) value.</param>
    static bool ISpanParsable<ActorId>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out ActorId result) => TryParse(s.ToString(), out result);

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

    /// <summary>Orders actors by their text, ordinally (the order of teams in snapshots and stores); the empty value first.</summary>
    /// <param name="other">The other actor.</param>
    /// <returns>Negative, zero or positive as this actor sorts before, with or after <paramref name="other"/>.</returns>
    public int CompareTo(ActorId other) => string.CompareOrdinal(_value, other._value);

    /// <summary>
    /// Returns the identifier text exactly as <see cref="Value"/> (trimmed when it was created); empty for the default
    /// value. The format is stable: stores, events and JSON use it, and <see cref="Parse(string)"/> reads it back.
    /// </summary>
    /// <returns>The text.</returns>
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

    /// <summary>Compares two actors ordinally.</summary>
    /// <param name="left">The first actor.</param>
    /// <param name="right">The second actor.</param>
    /// <returns>True when <paramref name="left"/> sorts first.</returns>
    public static bool operator <(ActorId left, ActorId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two actors ordinally.</summary>
    /// <param name="left">The first actor.</param>
    /// <param name="right">The second actor.</param>
    /// <returns>True when <paramref name="left"/> sorts first or they are equal.</returns>
    public static bool operator <=(ActorId left, ActorId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two actors ordinally.</summary>
    /// <param name="left">The first actor.</param>
    /// <param name="right">The second actor.</param>
    /// <returns>True when <paramref name="left"/> sorts last.</returns>
    public static bool operator >(ActorId left, ActorId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two actors ordinally.</summary>
    /// <param name="left">The first actor.</param>
    /// <param name="right">The second actor.</param>
    /// <returns>True when <paramref name="left"/> sorts last or they are equal.</returns>
    public static bool operator >=(ActorId left, ActorId right) => left.CompareTo(right) >= 0;
}
