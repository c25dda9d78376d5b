using System.Text.Json.Serialization;

namespace Versioning.Core;

/// <summary>Identifies a template. Wraps a <see cref="Guid"/>; the default value is empty and refused by every command.</summary>
/// <param name="Value">The underlying identifier.</param>
[JsonConverter(typeof(TemplateIdJsonConverter))]
public readonly record struct TemplateId(Guid Value) : IComparable<TemplateId>
{
    /// <summary>Creates a new random identifier.</summary>
    /// <returns>A fresh, non-empty identifier.</returns>
    public static TemplateId New() => new(Guid.NewGuid());

    /// <summary>Parses the textual form produced by <see cref="ToString"/>.</summary>
    /// <param name="text">A GUID in any format <see cref="Guid.Parse(string)"/> accepts.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a GUID.</exception>
    public static TemplateId Parse(string text) => new(Guid.Parse(text ?? throw new ArgumentNullException(nameof(text))));

    /// <inheritdoc />
    public int CompareTo(TemplateId other) => Value.CompareTo(other.Value);

    /// <summary>Returns the identifier as a lowercase GUID with hyphens.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => Value.ToString("D");

    /// <summary>Orders identifiers by their GUID value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <(TemplateId left, TemplateId right) => left.CompareTo(right) < 0;

    /// <summary>Orders identifiers by their GUID value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <=(TemplateId left, TemplateId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders identifiers by their GUID value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >(TemplateId left, TemplateId right) => left.CompareTo(right) > 0;

    /// <summary>Orders identifiers by their GUID value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >=(TemplateId left, TemplateId right) => left.CompareTo(right) >= 0;
}
