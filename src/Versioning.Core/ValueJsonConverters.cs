using System.Globalization;

namespace Versioning.Core;

/// <summary>A version number as its text, <c>"1.2.3-rc1"</c>.</summary>
internal sealed class VersionNumberJsonConverter : TextValueJsonConverter<VersionNumber>
{
    protected override string Format(VersionNumber value) => value.ToString();

    protected override string? TryParse(string text, out VersionNumber value)
        => VersionNumber.TryParse(text, out value) ? null : "expected major.minor.patch[-label], e.g. 1.2.3-rc1";
}

/// <summary>A version key as its text: a release number (<c>"3"</c>) or a version number (<c>"1.2.3"</c>); the empty key is <c>""</c>.</summary>
internal sealed class VersionKeyJsonConverter : TextValueJsonConverter<VersionKey>
{
    protected override bool DefaultIsEmptyText => true;

    protected override string Format(VersionKey value)
        => TryParse(value.Value, out _) is { } error
            ? throw new System.Text.Json.JsonException($"The key '{value.Value}' (from VersionKey.FromStored) is neither a release nor a version number and would not read back: {error}.")
            : value.Value;

    protected override string? TryParse(string text, out VersionKey value)
    {
        value = default;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var release) && release >= 1)
        {
            value = VersionKey.ForRelease(new ReleaseNumber(release));
        }
        else if (VersionNumber.TryParse(text, out var version))
        {
            value = VersionKey.ForVersion(version);
        }
        else
        {
            return "expected a release number (1 or more) or a version number";
        }

        return value.Value == text ? null : "not in canonical form (" + value.Value + ")";
    }
}

/// <summary>An actor as its identifier; the empty actor is <c>""</c>.</summary>
internal sealed class ActorIdJsonConverter : TextValueJsonConverter<ActorId>
{
    protected override bool DefaultIsEmptyText => true;

    protected override string Format(ActorId value) => value.Value;

    protected override string? TryParse(string text, out ActorId value)
    {
        value = new ActorId(text);
        return value.Value == text ? null : "leading or trailing white space";
    }
}

/// <summary>An owner as <c>"account:{id}"</c> or <c>"user:{id}"</c>; the empty owner is <c>""</c>.</summary>
internal sealed class OwnerRefJsonConverter : TextValueJsonConverter<OwnerRef>
{
    protected override bool DefaultIsEmptyText => true;

    protected override string Format(OwnerRef value) => value.ToString();

    protected override string? TryParse(string text, out OwnerRef value)
    {
        value = default;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        OwnerKind kind;
        switch (colon < 0 ? string.Empty : text[..colon])
        {
            case "account":
                kind = OwnerKind.Account;
                break;
            case "user":
                kind = OwnerKind.User;
                break;
            default:
                return "expected account:{id} or user:{id}";
        }

        value = new OwnerRef(kind, text[(colon + 1)..]);
        return value.ToString() == text ? null : "leading or trailing white space in the id";
    }
}

/// <summary>
/// A product as <c>"template:{guid}"</c> or <c>"integration:{guid}"</c>; a product of a lifecycle defined outside the
/// library as <c>"product-{number}:{guid}"</c> (its kind's number, from <see cref="ProductKind.FirstCustom"/> on).
/// </summary>
internal sealed class ProductRefJsonConverter : TextValueJsonConverter<ProductRef>
{
    private const string CustomPrefix = "product-";

    protected override string Format(ProductRef value) => value.Kind switch
    {
        ProductKind.Template => "template:" + value.Id.ToString("D"),
        ProductKind.Integration => "integration:" + value.Id.ToString("D"),
        >= ProductKind.FirstCustom => CustomPrefix + ((int)value.Kind).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + value.Id.ToString("D"),
        _ => throw new System.Text.Json.JsonException($"ProductKind {(int)value.Kind} is not defined; the product cannot be written."),
    };

    protected override string? TryParse(string text, out ProductRef value)
    {
        value = default;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        ProductKind kind;
        switch (colon < 0 ? string.Empty : text[..colon])
        {
            case "template":
                kind = ProductKind.Template;
                break;
            case "integration":
                kind = ProductKind.Integration;
                break;
            case var custom when custom.StartsWith(CustomPrefix, StringComparison.Ordinal)
                && int.TryParse(custom.AsSpan(CustomPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                && number >= (int)ProductKind.FirstCustom
                && custom == CustomPrefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture):
                kind = (ProductKind)number;
                break;
            default:
                return "expected template:{guid}, integration:{guid} or product-{number}:{guid}";
        }

        if (!GuidText.TryParse(text.AsSpan(colon + 1), out var id))
        {
            return "the id is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)";
        }

        value = new ProductRef(kind, id);
        return null;
    }
}

/// <summary>An identifier over a GUID as its 36-character text.</summary>
/// <typeparam name="T">The id type.</typeparam>
internal abstract class GuidIdJsonConverter<T> : TextValueJsonConverter<T>
    where T : struct
{
    protected abstract Guid ToGuid(T value);

    protected abstract T FromGuid(Guid value);

    protected sealed override string Format(T value) => ToGuid(value).ToString("D");

    protected sealed override string? TryParse(string text, out T value)
    {
        value = default;
        if (!GuidText.TryParse(text, out var guid))
        {
            return "expected a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)";
        }

        value = FromGuid(guid);
        return null;
    }
}

/// <summary>A template id as its GUID text.</summary>
internal sealed class TemplateIdJsonConverter : GuidIdJsonConverter<TemplateId>
{
    protected override Guid ToGuid(TemplateId value) => value.Value;

    protected override TemplateId FromGuid(Guid value) => new(value);
}

/// <summary>An integration id as its GUID text.</summary>
internal sealed class IntegrationIdJsonConverter : GuidIdJsonConverter<IntegrationId>
{
    protected override Guid ToGuid(IntegrationId value) => value.Value;

    protected override IntegrationId FromGuid(Guid value) => new(value);
}

/// <summary>A canary id as its GUID text.</summary>
internal sealed class CanaryIdJsonConverter : GuidIdJsonConverter<CanaryId>
{
    protected override Guid ToGuid(CanaryId value) => value.Value;

    protected override CanaryId FromGuid(Guid value) => new(value);
}

/// <summary>An installation id as its GUID text.</summary>
internal sealed class InstallationIdJsonConverter : GuidIdJsonConverter<InstallationId>
{
    protected override Guid ToGuid(InstallationId value) => value.Value;

    protected override InstallationId FromGuid(Guid value) => new(value);
}

/// <summary>A migration job id as its GUID text.</summary>
internal sealed class MigrationIdJsonConverter : GuidIdJsonConverter<MigrationId>
{
    protected override Guid ToGuid(MigrationId value) => value.Value;

    protected override MigrationId FromGuid(Guid value) => new(value);
}

/// <summary>
/// The 36-character form of a GUID, strictly: hex digits (either case) with hyphens after the 8th, 12th, 16th and 20th.
/// <see cref="Guid.TryParseExact(ReadOnlySpan{char}, ReadOnlySpan{char}, out Guid)"/> alone also takes white space
/// and signs ("+ea8116f-…" as "0ea8116f-…"), which would read a different id than the text says.
/// </summary>
internal static class GuidText
{
    public static bool TryParse(ReadOnlySpan<char> text, out Guid value)
    {
        value = default;
        if (text.Length != 36)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var ok = i is 8 or 13 or 18 or 23 ? text[i] == '-' : char.IsAsciiHexDigit(text[i]);
            if (!ok)
            {
                return false;
            }
        }

        return Guid.TryParseExact(text, "D", out value);
    }
}
