using System.Text.Json;
using System.Text.Json.Serialization;
using Versioning.Core.Lifecycles;

namespace Versioning.Core.Lifecycles;

/// <summary>
/// A rule violation as <c>{"ruleId":"T3","message":"…"}</c>; the empty one (nothing violated) is <c>{}</c>. The two
/// properties come together or not at all, and no other is accepted.
/// </summary>
internal sealed class RuleViolationJsonConverter : JsonConverter<RuleViolation>
{
    /// <inheritdoc />
    /// <remarks>True so that <c>null</c> reaches <see cref="Read"/> and is refused with a message naming the type.</remarks>
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override RuleViolation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"A RuleViolation is a JSON object {{\"ruleId\":…,\"message\":…}} ({{}} when empty); found {reader.TokenType}.");
        }

        string? ruleId = null;
        string? message = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"RuleViolation.{name} must be a JSON string; found {reader.TokenType}.");
            }

            switch (name)
            {
                case "ruleId" when ruleId is null:
                    ruleId = reader.GetString();
                    break;
                case "message" when message is null:
                    message = reader.GetString();
                    break;
                default:
                    throw new JsonException($"RuleViolation has no property '{name}' (or it is repeated): expected ruleId and message.");
            }
        }

        return (ruleId, message) switch
        {
            (null, null) => default,
            (not null, not null) => new RuleViolation(ruleId, message),
            _ => throw new JsonException("A RuleViolation has both ruleId and message, or neither (empty)."),
        };
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RuleViolation value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (!value.IsEmpty)
        {
            writer.WriteString("ruleId", value.RuleId);
            writer.WriteString("message", value.Message);
        }

        writer.WriteEndObject();
    }
}
