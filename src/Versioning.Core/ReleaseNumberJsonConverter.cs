using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Versioning.Core;

/// <summary>
/// A release number as a JSON number (<c>3</c>), so release numbers read as they did when they were plain integers;
/// as a dictionary key, its text (<c>"3"</c>). The empty value is <c>0</c> (<c>"0"</c> as a key); anything else that is
/// not a whole number of 1 or more is refused with a <see cref="JsonException"/>.
/// </summary>
internal sealed class ReleaseNumberJsonConverter : JsonConverter<ReleaseNumber>
{
    /// <inheritdoc />
    /// <remarks>True so that <c>null</c> reaches <see cref="Read"/> and is refused with a message naming the type.</remarks>
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override ReleaseNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value) || value < 0)
        {
            throw new JsonException($"A ReleaseNumber is a JSON whole number of 1 or more (0 for none); found {reader.TokenType}.");
        }

        return value == 0 ? default : new ReleaseNumber(value);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ReleaseNumber value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Value);
    }

    /// <inheritdoc />
    public override ReleaseNumber ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString()!;
        return text == "0" ? default
            : ReleaseNumber.TryParse(text, out var value) ? value
            : throw new JsonException($"'{text}' is not a ReleaseNumber key: expected decimal digits for 1 or more (0 for none).");
    }

    /// <inheritdoc />
    public override void WriteAsPropertyName(Utf8JsonWriter writer, ReleaseNumber value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.Value.ToString(CultureInfo.InvariantCulture));
    }
}
