namespace Versioning.Core.Templates;

/// <summary>One line of a template listing.</summary>
/// <param name="Id">The template's identifier.</param>
/// <param name="Name">The template's name.</param>
/// <param name="Published">Whether it is published.</param>
/// <param name="LiveReleaseNumber">The Live release's number, if any.</param>
/// <param name="ReleaseCount">How many releases exist (deleted ones excluded).</param>
/// <param name="Revision">The stored revision.</param>
public sealed record TemplateSummary(TemplateId Id, string Name, bool Published, ReleaseNumber? LiveReleaseNumber, int ReleaseCount, long Revision)
{
    /// <summary>Summarises a template.</summary>
    /// <param name="template">The template.</param>
    /// <returns>Its summary.</returns>
    /// <exception cref="InvalidOperationException">The template was loaded for a command, without all its releases.</exception>
    public static TemplateSummary Of(Template template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!template.Loaded.IsAll)
        {
            throw new InvalidOperationException($"Template '{template.Name}' ({template.Id}) was loaded for a command, without all its releases; load it whole to summarise it.");
        }

        return new(template.Id, template.Name, template.Published, template.LiveRelease?.Number, template.Releases.Count, template.Revision);
    }
}
