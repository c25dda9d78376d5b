using System.Text.Json.Serialization;

namespace Versioning.Core;

/// <summary>The template or integration an installation belongs to.</summary>
/// <param name="Kind">Template or integration.</param>
/// <param name="Id">The template's or integration's identifier.</param>
[JsonConverter(typeof(ProductRefJsonConverter))]
public readonly record struct ProductRef(ProductKind Kind, Guid Id)
{
    /// <summary>Refers to a template.</summary>
    /// <param name="id">The template's identifier.</param>
    /// <returns>The reference.</returns>
    public static ProductRef Of(TemplateId id) => new(ProductKind.Template, id.Value);

    /// <summary>Refers to an integration.</summary>
    /// <param name="id">The integration's identifier.</param>
    /// <returns>The reference.</returns>
    public static ProductRef Of(IntegrationId id) => new(ProductKind.Integration, id.Value);

    /// <summary>
    /// Returns <c>Template {guid}</c> or <c>Integration {guid}</c> for messages and logs. The format is stable but meant
    /// for people; JSON writes <c>template:{guid}</c> / <c>integration:{guid}</c> instead.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Kind} {Id:D}";
}
