using System.Text.Json;
using System.Text.Json.Serialization;

namespace Versioning.Core;

/// <summary>
/// The shape of every value type's JSON converter: the value is one JSON string (also usable as a dictionary key),
/// read back exactly or refused with a <see cref="JsonException"/>. Text that would come back as a different value
/// (untrimmed, another spelling) is refused too, so a round trip never changes a value silently.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
internal abstract class TextValueJsonConverter<T> : JsonConverter<T>
    where T : struct
{
    /// <summary>
    /// Whether <c>default(T)</c> (an empty value with no text of its own) is written as <c>""</c> and <c>""</c> read as
    /// it. Not <c>null</c>: a <see cref="Nullable{T}"/> holding the empty value would come back as no value.
    /// </summary>
    protected virtual bool DefaultIsEmptyText => false;

    /// <inheritdoc />
    /// <remarks>True so that <c>null</c> reaches <see cref="Read"/> and is refused with a message naming the type.</remarks>
    public override bool HandleNull => true;

    /// <summary>The text of <paramref name="value"/>.</summary>
    /// <param name="value">A value that is not the default of a <see cref="DefaultIsEmptyText"/> type.</param>
    /// <returns>The text.</returns>
    protected abstract string Format(T value);

    /// <summary>Parses text written by <see cref="Format"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The value, when the text is valid.</param>
    /// <returns>Null when valid, otherwise why not.</returns>
    protected abstract string? TryParse(string text, out T value);

    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A {typeof(T).Name} is a JSON string; found {reader.TokenType}.");
        }

        return Parse(reader.GetString()!);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(DefaultIsEmptyText && IsDefault(value) ? string.Empty : Format(value));
    }

    /// <inheritdoc />
    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => Parse(reader.GetString()!);

    /// <inheritdoc />
    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(DefaultIsEmptyText && IsDefault(value) ? string.Empty : Format(value));
    }

    private static bool IsDefault(T value) => EqualityComparer<T>.Default.Equals(value, default);

    private T Parse(string text)
    {
        if (DefaultIsEmptyText && text.Length == 0)
        {
            return default;
        }

        string? error;
        T value;
        try
        {
            error = TryParse(text, out value);
        }
        catch (ArgumentException ex)
        {
            throw new JsonException($"'{Printable(text)}' is not a {typeof(T).Name}: {ex.Message}", ex);
        }

        if (error is not null)
        {
            throw new JsonException($"'{Printable(text)}' is not a {typeof(T).Name}: {error}.");
        }

        return value;
    }

    /// <summary>At most 60 characters of <paramref name="text"/>, for a message.</summary>
    private static string Printable(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
