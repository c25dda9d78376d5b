using System.Text.Json;
using System.Text.Json.Serialization;
using Versioning.Core.Lifecycles;

namespace Versioning.Core.Lifecycles;

/// <summary>Makes the converter of each closed <see cref="ActionSet{TAction}"/>.</summary>
internal sealed class ActionSetJsonConverter : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        return typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ActionSet<>);
    }

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        return (JsonConverter)Activator.CreateInstance(typeof(Of<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
    }

    /// <summary>A set of actions as the array of their names, in declaration order: <c>["Promote","Delete"]</c>.</summary>
    /// <typeparam name="TAction">The action enum.</typeparam>
    private sealed class Of<TAction> : JsonConverter<ActionSet<TAction>>
        where TAction : struct, Enum
    {
        public override ActionSet<TAction> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException($"An ActionSet<{typeof(TAction).Name}> is a JSON array of action names; found {reader.TokenType}.");
            }

            ulong mask = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var name = reader.TokenType == JsonTokenType.String ? reader.GetString()! : null;
                var index = name is null ? -1 : Array.FindIndex(EnumIndex<TAction>.Values, a => string.Equals(a.ToString(), name, StringComparison.Ordinal));
                if (index < 0)
                {
                    throw new JsonException($"'{name ?? reader.TokenType.ToString()}' is not a {typeof(TAction).Name}: expected one of {string.Join(", ", EnumIndex<TAction>.Values)}.");
                }

                mask |= 1UL << index;
            }

            return new ActionSet<TAction>(mask);
        }

        public override void Write(Utf8JsonWriter writer, ActionSet<TAction> value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStartArray();
            foreach (var action in value)
            {
                writer.WriteStringValue(action.ToString());
            }

            writer.WriteEndArray();
        }
    }
}
