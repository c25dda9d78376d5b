namespace Versioning.Core.Templates;

/// <summary>Where a copied release came from (T8).</summary>
/// <param name="TemplateId">The source template.</param>
/// <param name="ReleaseNumber">The source release's number.</param>
public sealed record ReleaseProvenance(TemplateId TemplateId, ReleaseNumber ReleaseNumber)
{
    /// <inheritdoc />
    public override string ToString() => $"template {TemplateId} release {ReleaseNumber}";
}
