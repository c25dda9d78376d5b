using System.Globalization;
using System.Text.Json.Serialization;

namespace Versioning.Core;

/// <summary>
/// An integration version number <c>MAJOR.MINOR.PATCH[-label]</c> (Z1): each part 0–999 without leading zeros; a label
/// is 1–12 letters, digits or hyphens (a purely numeric label has no leading zero, as in semantic versioning).
/// Ordered by semantic-version precedence: numbers first, then a labeled version before the same unlabeled one,
/// then labels (numeric ones numerically and before alphanumeric ones, which compare ordinally).
/// </summary>
[JsonConverter(typeof(VersionNumberJsonConverter))]
public readonly struct VersionNumber : IEquatable<VersionNumber>, IComparable<VersionNumber>, IComparable, ISpanFormattable, ISpanParsable<VersionNumber>
{
    /// <summary>The largest value of each numeric part.</summary>
    public const int MaxPart = 999;

    /// <summary>The longest label.</summary>
    public const int MaxPreReleaseLength = 12;

    private readonly short _major;
    private readonly short _minor;
    private readonly short _patch;
    private readonly string? _label;

    /// <summary>Creates a version number.</summary>
    /// <param name="major">0–999.</param>
    /// <param name="minor">0–999.</param>
    /// <param name="patch">0–999.</param>
    /// <param name="preRelease">The pre-release label: null for none, or 1–12 letters, digits or hyphens.</param>
    /// <exception cref="ArgumentOutOfRangeException">A part is outside 0–999.</exception>
    /// <exception cref="ArgumentException">The label is invalid.</exception>
    public VersionNumber(int major, int minor, int patch, string? preRelease = null)
    {
        _major = (short)Preconditions.InRange(major, 0, MaxPart, nameof(major));
        _minor = (short)Preconditions.InRange(minor, 0, MaxPart, nameof(minor));
        _patch = (short)Preconditions.InRange(patch, 0, MaxPart, nameof(patch));
        if (preRelease is not null && LabelError(preRelease) is { } error)
        {
            throw new ArgumentException(error, nameof(preRelease));
        }

        _label = preRelease;
    }

    /// <summary>The MAJOR part.</summary>
    public int Major => _major;

    /// <summary>The MINOR part.</summary>
    public int Minor => _minor;

    /// <summary>The PATCH part.</summary>
    public int Patch => _patch;

    /// <summary>The pre-release label (<c>"rc1"</c> in <c>1.2.0-rc1</c>), or null for a release build.</summary>
    public string? PreRelease => _label;

    /// <summary>True for a development build (Z5): it has a pre-release label.</summary>
    public bool IsPreRelease => _label is not null;

    /// <summary>Parses <c>MAJOR.MINOR.PATCH[-label]</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The version number.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is malformed; the message says which part and why.</exception>
    public static VersionNumber Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, out var result, out var error) ? result : throw new FormatException($"'{Printable(text)}' is not a version number: {error}.");
    }

    /// <summary>Parses <c>MAJOR.MINOR.PATCH[-label]</c> without throwing.</summary>
    /// <param name="text">The text; null gives false.</param>
    /// <param name="result">The version number, or the default value.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? text, out VersionNumber result)
    {
        if (text is null)
        {
            result = default;
            return false;
        }

        return TryParseCore(text, out result, out _);
    }

    /// <summary>Parses <c>MAJOR.MINOR.PATCH[-label]</c> without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="result">The version number, or the default value.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out VersionNumber result) => TryParseCore(text, out result, out _);

    /// <summary>Parses <c>MAJOR.MINOR.PATCH[-label]</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The version number.</returns>
    /// <exception cref="FormatException">The text is malformed; the message says which part and why.</exception>
    public static VersionNumber Parse(ReadOnlySpan<char> text)
        => TryParseCore(text, out var result, out var error) ? result : throw new FormatException($"'{Printable(text.ToString())}' is not a version number: {error}.");

    /// <inheritdoc cref="Parse(string)"/>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: version numbers do not depend on a culture.</param>
    static VersionNumber IParsable<VersionNumber>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(string, out VersionNumber)"/>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: version numbers do not depend on a culture.</param>
    /// <param name="result">The version number, or the default value.</param>
    static bool IParsable<VersionNumber>.TryParse([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? s, IFormatProvider? provider, out VersionNumber result) => TryParse(s, out result);

    /// <inheritdoc cref="Parse(ReadOnlySpan{char})"/>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: version numbers do not depend on a culture.</param>
    static VersionNumber ISpanParsable<VersionNumber>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(ReadOnlySpan{char}, out VersionNumber)"/>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: version numbers do not depend on a culture.</param>
    /// <param name="result">The version number, or the default value.</param>
    static bool ISpanParsable<VersionNumber>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out VersionNumber result) => TryParse(s, out result);

    /// <summary>The next patch version, <c>x.y.(z+1)</c>, without label.</summary>
    /// <returns>The version number.</returns>
    /// <exception cref="ArgumentOutOfRangeException">PATCH is already 999.</exception>
    public VersionNumber NextPatch() => new(Major, Minor, Patch + 1);

    /// <summary>The next minor version, <c>x.(y+1).0</c>.</summary>
    /// <returns>The version number.</returns>
    /// <exception cref="ArgumentOutOfRangeException">MINOR is already 999.</exception>
    public VersionNumber NextMinor() => new(Major, Minor + 1, 0);

    /// <summary>The next major version, <c>(x+1).0.0</c>.</summary>
    /// <returns>The version number.</returns>
    /// <exception cref="ArgumentOutOfRangeException">MAJOR is already 999.</exception>
    public VersionNumber NextMajor() => new(Major + 1, 0, 0);

    /// <inheritdoc />
    public bool Equals(VersionNumber other)
        => _major == other._major && _minor == other._minor && _patch == other._patch && string.Equals(_label, other._label, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is VersionNumber other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_major, _minor, _patch, _label is null ? 0 : StringComparer.Ordinal.GetHashCode(_label));

    /// <inheritdoc />
    public int CompareTo(VersionNumber other)
    {
        var c = _major.CompareTo(other._major);
        if (c != 0)
        {
            return c;
        }

        c = _minor.CompareTo(other._minor);
        if (c != 0)
        {
            return c;
        }

        c = _patch.CompareTo(other._patch);
        if (c != 0)
        {
            return c;
        }

        if (_label is null || other._label is null)
        {
            // A labeled (pre-release) version has lower precedence than the same unlabeled one.
            return (_label is null ? 1 : 0) - (other._label is null ? 1 : 0);
        }

        var leftNumeric = IsNumeric(_label);
        var rightNumeric = IsNumeric(other._label);
        if (leftNumeric && rightNumeric)
        {
            // No leading zeros, so the longer number is the larger.
            c = _label.Length.CompareTo(other._label.Length);
            return c != 0 ? c : string.CompareOrdinal(_label, other._label);
        }

        if (leftNumeric != rightNumeric)
        {
            return leftNumeric ? -1 : 1;
        }

        return Math.Sign(string.CompareOrdinal(_label, other._label));
    }

    /// <inheritdoc />
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        VersionNumber other => CompareTo(other),
        _ => throw new ArgumentException("The object must be a VersionNumber.", nameof(obj)),
    };

    /// <summary>
    /// Formats as <c>MAJOR.MINOR.PATCH[-label]</c> in invariant digits without leading zeros (for example <c>1.2.0</c> or
    /// <c>2.0.0-beta-1</c>); the default value gives <c>0.0.0</c>. The format is stable: stores, events, the CLI and JSON
    /// use it, and <see cref="Parse(string)"/> reads it back (rule Z1).
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => _label is null
        ? string.Create(CultureInfo.InvariantCulture, $"{_major}.{_minor}.{_patch}")
        : string.Create(CultureInfo.InvariantCulture, $"{_major}.{_minor}.{_patch}-{_label}");

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => _label is null
            ? destination.TryWrite(CultureInfo.InvariantCulture, $"{_major}.{_minor}.{_patch}", out charsWritten)
            : destination.TryWrite(CultureInfo.InvariantCulture, $"{_major}.{_minor}.{_patch}-{_label}", out charsWritten);

    /// <summary>Compares two version numbers.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(VersionNumber left, VersionNumber right) => left.Equals(right);

    /// <summary>Compares two version numbers.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(VersionNumber left, VersionNumber right) => !left.Equals(right);

    /// <summary>Semantic-version precedence.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when <paramref name="left"/> precedes.</returns>
    public static bool operator <(VersionNumber left, VersionNumber right) => left.CompareTo(right) < 0;

    /// <summary>Semantic-version precedence.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when <paramref name="left"/> follows.</returns>
    public static bool operator >(VersionNumber left, VersionNumber right) => left.CompareTo(right) > 0;

    /// <summary>Semantic-version precedence.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True unless <paramref name="left"/> follows.</returns>
    public static bool operator <=(VersionNumber left, VersionNumber right) => left.CompareTo(right) <= 0;

    /// <summary>Semantic-version precedence.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True unless <paramref name="left"/> precedes.</returns>
    public static bool operator >=(VersionNumber left, VersionNumber right) => left.CompareTo(right) >= 0;

    private static bool TryParseCore(ReadOnlySpan<char> text, out VersionNumber result, out string? error)
    {
        result = default;
        var dash = text.IndexOf('-');
        var numbers = dash < 0 ? text : text[..dash];
        Span<int> parts = stackalloc int[3];
        ReadOnlySpan<string> names = ["MAJOR", "MINOR", "PATCH"];
        for (var i = 0; i < 3; i++)
        {
            var dot = i < 2 ? numbers.IndexOf('.') : numbers.Length;
            if (dot < 0)
            {
                error = $"expected MAJOR.MINOR.PATCH but found only {i + 1} part(s)";
                return false;
            }

            if (!TryParsePart(numbers[..dot], names[i], out parts[i], out error))
            {
                return false;
            }

            numbers = i < 2 ? numbers[(dot + 1)..] : [];
        }

        string? label = null;
        if (dash >= 0)
        {
            label = text[(dash + 1)..].ToString();
            if (LabelError(label) is { } labelError)
            {
                error = labelError;
                return false;
            }
        }

        result = new VersionNumber(parts[0], parts[1], parts[2], label);
        error = null;
        return true;
    }

    private static bool TryParsePart(ReadOnlySpan<char> part, string name, out int value, out string? error)
    {
        value = 0;
        if (part.IsEmpty)
        {
            error = $"{name} is empty";
            return false;
        }

        foreach (var c in part)
        {
            if (c is < '0' or > '9')
            {
                error = $"{name} '{Printable(part.ToString())}' must contain only the digits 0-9";
                return false;
            }
        }

        if (part.Length > 1 && part[0] == '0')
        {
            error = $"{name} '{part}' has a leading zero";
            return false;
        }

        if (part.Length > 3)
        {
            error = $"{name} '{part}' is greater than {MaxPart}";
            return false;
        }

        value = int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
        error = null;
        return true;
    }

    private static string? LabelError(string label)
    {
        if (label.Length == 0)
        {
            return "the label after '-' is empty";
        }

        if (label.Length > MaxPreReleaseLength)
        {
            return $"the label has {label.Length} characters; at most {MaxPreReleaseLength} are allowed";
        }

        foreach (var c in label)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return $"the label '{Printable(label)}' may contain only ASCII letters, digits and hyphens";
            }
        }

        if (label.Length > 1 && label[0] == '0' && IsNumeric(label))
        {
            return $"the numeric label '{label}' has a leading zero";
        }

        return null;
    }

    private static bool IsNumeric(string label)
    {
        foreach (var c in label)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static string Printable(string text)
    {
        var shown = text.Length > 40 ? string.Concat(text.AsSpan(0, 40), "…") : text;
        return string.Create(shown.Length, shown, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
    }
}
