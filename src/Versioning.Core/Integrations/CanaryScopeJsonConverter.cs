using System.Text.Json;
using System.Text.Json.Serialization;
using Versioning.Core.Integrations;

namespace Versioning.Core.Integrations;

/// <summary>
/// A canary scope as <c>{"user":"…","account":"…"}</c>, each property present only when the scope names it; every
/// installation (<see cref="CanaryScope.All"/>) is <c>{}</c>. Identifiers are checked as <see cref="CanaryScope.Of"/>
/// checks them, so a value that could not be built is refused with a <see cref="JsonException"/>.
/// </summary>
internal sealed class CanaryScopeJsonConverter : JsonConverter<CanaryScope>
{
    /// <inheritdoc />
    /// <remarks>True so that <c>null</c> reaches <see cref="Read"/> and is refused with a message naming the type.</remarks>
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override CanaryScope Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"A CanaryScope is a JSON object {{\"user\":…,\"account\":…}} ({{}} for every installation); found {reader.TokenType}.");
        }

        string? user = null;
        string? account = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"CanaryScope.{name} must be a JSON string; found {reader.TokenType}.");
            }

            switch (name)
            {
                case "user" when user is null:
                    user = reader.GetString();
                    break;
                case "account" when account is null:
                    account = reader.GetString();
                    break;
                default:
                    throw new JsonException($"CanaryScope has no property '{name}' (or it is repeated): expected user and/or account.");
            }
        }

        try
        {
            var scope = CanaryScope.Of(user, account);

            // Of trims; a value that is not already in its stored form would not come back as written.
            if (!string.Equals(scope.User, user, StringComparison.Ordinal) || !string.Equals(scope.Account, account, StringComparison.Ordinal))
            {
                throw new JsonException("A CanaryScope identifier has leading or trailing white space.");
            }

            return scope;
        }
        catch (ArgumentException ex)
        {
            throw new JsonException($"Not a CanaryScope: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, CanaryScope value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (value.User is { } user)
        {
            writer.WriteString("user", user);
        }

        if (value.Account is { } account)
        {
            writer.WriteString("account", account);
        }

        writer.WriteEndObject();
    }
}
