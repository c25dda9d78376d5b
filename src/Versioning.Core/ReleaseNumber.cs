using System.Globalization;
using System.Text.Json.Serialization;

namespace Versioning.Core;

/// <summary>
/// The number of a template release: 1 for the first release, then one more for each new one (T2). The default value
/// is empty (0) and refused wherever a release is named, as <c>default(ActorId)</c> is.
/// </summary>
[JsonConverter(typeof(ReleaseNumberJsonConverter))]
public readonly struct ReleaseNumber : IEquatable<ReleaseNumber>, IComparable<ReleaseNumber>, IComparable, ISpanFormattable, ISpanParsable<ReleaseNumber>
{
    private readonly int _value;

    /// <summary>Creates a release number.</summary>
    /// <param name="value">1 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is less than 1.</exception>
    public ReleaseNumber(int value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
        _value = value;
    }

    /// <summary>The number; 0 for the default (empty) value.</summary>
    public int Value => _value;

    /// <summary>True for <c>default(ReleaseNumber)</c>, which names no release.</summary>
    public bool IsEmpty => _value == 0;

    /// <summary>The first release of a template.</summary>
    public static ReleaseNumber First { get; } = new(1);

    /// <summary>The number after this one.</summary>
    /// <returns>This number plus one (the first number for the empty value).</returns>
    /// <exception cref="OverflowException">This is the largest number.</exception>
    public ReleaseNumber Next() => new(checked(_value + 1));

    /// <summary>Parses the text produced by <see cref="ToString()"/>: decimal digits only, no sign, no spaces, no leading zero.</summary>
    /// <param name="text">The text, such as <c>"3"</c>.</param>
    /// <returns>The number.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a release number.</exception>
    public static ReleaseNumber Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text.AsSpan());
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static ReleaseNumber Parse(ReadOnlySpan<char> text)
        => TryParse(text, out var result) ? result : throw new FormatException($"'{text}' is not a release number: expected decimal digits for 1 or more, without sign, spaces or leading zeros, e.g. 3.");

    /// <summary>Parses the text produced by <see cref="ToString()"/> without throwing.</summary>
    /// <param name="text">The text; null gives false.</param>
    /// <param name="result">The number, or the default (empty) value.</param>
    /// <returns>True when <paramref name="text"/> is a release number.</returns>
    public static bool TryParse([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? text, out ReleaseNumber result)
    {
        result = default;
        return text is not null && TryParse(text.AsSpan(), out result);
    }

    /// <summary>Parses the text produced by <see cref="ToString()"/> without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="result">The number, or the default (empty) value.</param>
    /// <returns>True when <paramref name="text"/> is a release number.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out ReleaseNumber result)
    {
        result = default;
        if (text.IsEmpty || text[0] == '0' || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        result = new(value);
        return true;
    }

    /// <inheritdoc cref="Parse(string)"/>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: the format does not depend on a culture.</param>
    static ReleaseNumber IParsable<ReleaseNumber>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(string, out ReleaseNumber)"/>
    /// <param name="s">The text; null gives false.</param>
    /// <param name="provider">Ignored: the format does not depend on a culture.</param>
    /// <param name="result">The number, or the default (empty) value.</param>
    static bool IParsable<ReleaseNumber>.TryParse([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? s, IFormatProvider? provider, out ReleaseNumber result) => TryParse(s, out result);

    /// <inheritdoc cref="Parse(ReadOnlySpan{char})"/>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: the format does not depend on a culture.</param>
    static ReleaseNumber ISpanParsable<ReleaseNumber>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(ReadOnlySpan{char}, out ReleaseNumber)"/>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: the format does not depend on a culture.</param>
    /// <param name="result">The number, or the default (empty) value.</param>
    static bool ISpanParsable<ReleaseNumber>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out ReleaseNumber result) => TryParse(s, out result);

    /// <inheritdoc />
    public bool Equals(ReleaseNumber other) => _value == other._value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ReleaseNumber other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value;

    /// <inheritdoc />
    public int CompareTo(ReleaseNumber other) => _value.CompareTo(other._value);

    /// <inheritdoc />
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        ReleaseNumber other => CompareTo(other),
        _ => throw new ArgumentException("Expected a ReleaseNumber.", nameof(obj)),
    };

    /// <summary>
    /// Returns the number in invariant decimal digits (<c>"3"</c>); <c>"0"</c> for the empty value. The format is stable:
    /// version keys, stores, the CLI and audit subjects use it, and <see cref="Parse(string)"/> reads it back.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => _value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Returns the number as <see cref="ToString()"/> does; the format and provider are ignored.</summary>
    /// <param name="format">Ignored.</param>
    /// <param name="formatProvider">Ignored: the text does not depend on a culture.</param>
    /// <returns>The text.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Writes the number as <see cref="ToString()"/> does, without allocating.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="charsWritten">How many characters were written.</param>
    /// <param name="format">Ignored.</param>
    /// <param name="provider">Ignored: the text does not depend on a culture.</param>
    /// <returns>False when <paramref name="destination"/> is too short.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => _value.TryFormat(destination, out charsWritten, default, CultureInfo.InvariantCulture);

    /// <summary>Compares two release numbers.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    /// <returns>True when they are equal.</returns>
    public static bool operator ==(ReleaseNumber left, ReleaseNumber right) => left.Equals(right);

    /// <summary>Compares two release numbers.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(ReleaseNumber left, ReleaseNumber right) => !left.Equals(right);

    /// <summary>Orders release numbers.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    /// <returns>True when <paramref name="left"/> is lower.</returns>
    public static bool operator <(ReleaseNumber left, ReleaseNumber right) => left.CompareTo(right) < 0;

    /// <summary>Orders release numbers.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    /// <returns>True when <paramref name="left"/> is lower or equal.</returns>
    public static bool operator <=(ReleaseNumber left, ReleaseNumber right) => left.CompareTo(right) <= 0;

    /// <summary>Orders release numbers.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    /// <returns>True when <paramref name="left"/> is higher.</returns>
    public static bool operator >(ReleaseNumber left, ReleaseNumber right) => left.CompareTo(right) > 0;

    /// <summary>Orders release numbers.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    /// <returns>True when <paramref name="left"/> is higher or equal.</returns>
    public static bool operator >=(ReleaseNumber left, ReleaseNumber right) => left.CompareTo(right) >= 0;
}
