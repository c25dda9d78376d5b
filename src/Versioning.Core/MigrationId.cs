using System.Text.Json.Serialization;

namespace Versioning.Core;

/// <summary>Identifies a migration or upgrade job. Wraps a <see cref="Guid"/>; the default value is empty and refused by every command.</summary>
/// <param name="Value">The underlying identifier.</param>
[JsonConverter(typeof(MigrationIdJsonConverter))]
public readonly record struct MigrationId(Guid Value) : IComparable<MigrationId>, ISpanParsable<MigrationId>
{
    /// <summary>Creates a new random identifier.</summary>
    /// <returns>A fresh, non-empty identifier.</returns>
    public static MigrationId New() => new(Guid.NewGuid());

    /// <summary>Parses the textual form produced by <see cref="ToString"/>.</summary>
    /// <param name="text">A GUID in any format <see cref="Guid.Parse(string)"/> accepts.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a GUID.</exception>
    public static MigrationId Parse(string text) => new(Guid.Parse(text ?? throw new ArgumentNullException(nameof(text))));

    /// <summary>Parses the textual form produced by <see cref="ToString"/> without throwing.</summary>
    /// <param name="text">A GUID in any format <see cref="Guid.Parse(string)"/> accepts; null gives false.</param>
    /// <param name="result">The identifier, or the default (empty) value.</param>
    /// <returns>True when <paramref name="text"/> is a GUID.</returns>
    public static bool TryParse([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? text, out MigrationId result) => TryParse(text.AsSpan(), out result) && text is not null;

    /// <summary>Parses the textual form produced by <see cref="ToString"/> without throwing.</summary>
    /// <param name="text">A GUID in any format <see cref="Guid.Parse(ReadOnlySpan{char})"/> accepts.</param>
    /// <param name="result">The identifier, or the default (empty) value.</param>
    /// <returns>True when <paramref name="text"/> is a GUID.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out MigrationId result)
    {
        var parsed = Guid.TryParse(text, out var value);
        result = parsed ? new(value) : default;
        return parsed;
    }

    /// <inheritdoc cref="Parse(string)"/>
    /// <param name="s">A GUID in any format <see cref="Guid.Parse(string)"/> accepts.</param>
    /// <param name="provider">Ignored: the format does not depend on a culture.</param>
    static MigrationId IParsable<MigrationId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(string, out MigrationId)"/>
    /// <param name="s">A GUID; null gives false.</param>
    /// <param name="provider">Ignored: the format does not depend on a culture.</param>
    /// <param name="result">The identifier, or the default (empty) value.</param>
    static bool IParsable<MigrationId>.TryParse([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? s, IFormatProvider? provider, out MigrationId result) => TryParse(s, out result);

    /// <summary>Parses the textual form produced by <see cref="ToString"/>.</summary>
    /// <param name="s">A GUID.</param>
    /// <param name="provider">Ignored: the format does not depend on a culture.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> is not a GUID.</exception>
    static MigrationId ISpanParsable<MigrationId>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => new(Guid.Parse(s));

    /// <inheritdoc cref="TryParse(ReadOnlySpan{char}, out MigrationId)"/>
    /// <param name="s">A GUID.</param>
    /// <param name="provider">Ignored: the format does not depend on a culture.</param>
    /// <param name="result">The identifier, or the default (empty) value.</param>
    static bool ISpanParsable<MigrationId>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out MigrationId result) => TryParse(s, out result);

    /// <inheritdoc />
    public int CompareTo(MigrationId other) => Value.CompareTo(other.Value);

    /// <summary>
    /// Returns the identifier as a lowercase GUID with hyphens (<c>"D"</c> format, 36 characters, for example
    /// <c>0193a5b0-7c1e-4b6a-9f2d-3e4f5a6b7c8d</c>). The format is stable: stores, the CLI and JSON use it, and
    /// <see cref="Parse(string)"/> and <see cref="TryParse(string, out MigrationId)"/> read it back. The default value gives
    /// <c>00000000-0000-0000-0000-000000000000</c>.
    /// </summary>
    /// <returns>The text form.</returns>
    public override string ToString() => Value.ToString("D");

    /// <summary>Orders identifiers by their GUID value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <(MigrationId left, MigrationId right) => left.CompareTo(right) < 0;

    /// <summary>Orders identifiers by their GUID value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <=(MigrationId left, MigrationId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders identifiers by their GUID value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >(MigrationId left, MigrationId right) => left.CompareTo(right) > 0;

    /// <summary>Orders identifiers by their GUID value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >=(MigrationId left, MigrationId right) => left.CompareTo(right) >= 0;
}
