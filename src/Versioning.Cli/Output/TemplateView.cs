using System.Text.Json.Nodes;
using Spectre.Console;
using Versioning.Core.Templates;
using Versioning.Core;

namespace Versioning.Cli.Output;

/// <summary>Templates and releases, as JSON and as tables.</summary>
internal static class TemplateView
{
    /// <summary>Template summaries as JSON.</summary>
    /// <param name="summaries">The summaries.</param>
    /// <returns>The array.</returns>
    public static JsonArray SummariesJson(IEnumerable<TemplateSummary> summaries)
        => [.. summaries.Select(s => new JsonObject
        {
            ["id"] = s.Id.ToString(),
            ["name"] = s.Name,
            ["published"] = s.Published,
            ["liveRelease"] = s.LiveReleaseNumber?.Value,
            ["releaseCount"] = s.ReleaseCount,
            ["revision"] = s.Revision,
        })];

    /// <summary>Renders template summaries.</summary>
    /// <param name="console">The console.</param>
    /// <param name="summaries">The summaries.</param>
    public static void Summaries(IAnsiConsole console, IReadOnlyList<TemplateSummary> summaries)
    {
        var table = Tables.Create("Templates", "Id", "Name", "Published", "Live", "Releases");
        foreach (var s in summaries)
        {
            table.Row(s.Id.ToString(), s.Name, s.Published ? "yes" : "no", s.LiveReleaseNumber?.ToString() ?? "-", s.ReleaseCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }

    /// <summary>A template with its releases as JSON.</summary>
    /// <param name="template">The template.</param>
    /// <returns>The object.</returns>
    public static JsonObject TemplateJson(Template template) => new()
    {
        ["id"] = template.Id.ToString(),
        ["name"] = template.Name,
        ["published"] = template.Published,
        ["liveRelease"] = template.LiveRelease?.Number.Value,
        ["createdBy"] = template.CreatedBy.Value,
        ["createdAt"] = Format.Instant(template.CreatedAt),
        ["revision"] = template.Revision,
        ["team"] = new JsonArray([.. template.Team.Order().Select(m => (JsonNode)m.Value)]),
        ["releases"] = ReleasesJson(template.Releases),
    };

    /// <summary>Renders a template's header and its releases.</summary>
    /// <param name="console">The console.</param>
    /// <param name="template">The template.</param>
    public static void Template(IAnsiConsole console, Template template)
    {
        console.WriteLine($"Template '{template.Name}' ({template.Id}): {(template.Published ? "published" : "unpublished")}, "
            + (template.LiveRelease is { } live ? $"Live release {live.Number}" : "no Live release")
            + $"; team: {string.Join(", ", template.Team.Order())}");
        Releases(console, template);
    }

    /// <summary>Releases as JSON.</summary>
    /// <param name="releases">The releases.</param>
    /// <returns>The array.</returns>
    public static JsonArray ReleasesJson(IEnumerable<TemplateRelease> releases) => [.. releases.Select(ReleaseJson)];

    /// <summary>One release as JSON.</summary>
    /// <param name="release">The release.</param>
    /// <returns>The object.</returns>
    public static JsonObject ReleaseJson(TemplateRelease release) => new()
    {
        ["number"] = release.Number.Value,
        ["state"] = release.State.ToString(),
        ["runStatus"] = release.RunStatus.ToString(),
        ["notes"] = release.Notes,
        ["steps"] = release.Content.Steps.Length,
        ["connectors"] = new JsonArray([.. release.Connectors.Select(c => (JsonNode)JsonValue.Create(c.ToString()))]),
        ["createdBy"] = release.CreatedBy.Value,
        ["createdAt"] = Format.Instant(release.CreatedAt),
        ["promotedBy"] = release.PromotedBy?.Value,
        ["promotedAt"] = release.PromotedAt is { } p ? Format.Instant(p) : null,
        ["deprecatedAt"] = release.DeprecatedAt is { } d ? Format.Instant(d) : null,
        ["copiedFrom"] = release.CopiedFrom is { } c ? new JsonObject { ["template"] = c.TemplateId.ToString(), ["release"] = c.ReleaseNumber.Value } : null,
    };

    /// <summary>Renders a template's releases.</summary>
    /// <param name="console">The console.</param>
    /// <param name="template">The template.</param>
    public static void Releases(IAnsiConsole console, Template template)
    {
        var table = Tables.Create($"Releases of '{template.Name}'", "#", "State", "Run", "Steps", "Connectors", "Notes", "Created", "Promoted", "Copied from");
        foreach (var r in template.Releases)
        {
            table.Row(
                r.Number.ToString(),
                r.State.ToString(),
                r.RunStatus.ToString(),
                r.Content.Steps.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                string.Join(", ", r.Connectors),
                Format.Short(r.Notes),
                Format.Instant(r.CreatedAt),
                Format.Instant(r.PromotedAt),
                r.CopiedFrom is { } c ? (c.TemplateId == template.Id ? $"release {c.ReleaseNumber}" : c.ToString()) : null);
        }

        console.Write(table);
    }

    /// <summary>Renders one release in a line.</summary>
    /// <param name="console">The console.</param>
    /// <param name="verb">What happened, e.g. "Created".</param>
    /// <param name="release">The release.</param>
    public static void Release(IAnsiConsole console, string verb, TemplateRelease release)
        => console.WriteLine($"{verb} release {release.Number}: {release.State}, {release.RunStatus}, {release.Content.Steps.Length} step(s)"
            + (release.Notes.Length > 0 ? $", notes: {Format.Short(release.Notes, 60)}" : string.Empty));

    /// <summary>A release report as JSON (T16).</summary>
    /// <param name="report">The report.</param>
    /// <returns>The object.</returns>
    public static JsonObject ReportJson(ReleaseReport report) => new()
    {
        ["template"] = report.TemplateId.ToString(),
        ["templateName"] = report.TemplateName,
        ["number"] = report.Number.Value,
        ["state"] = report.State.ToString(),
        ["runStatus"] = report.RunStatus.ToString(),
        ["createdBy"] = report.CreatedBy.Value,
        ["createdAt"] = Format.Instant(report.CreatedAt),
        ["promotedBy"] = report.PromotedBy?.Value,
        ["promotedAt"] = report.PromotedAt is { } p ? Format.Instant(p) : null,
        ["notes"] = report.Notes,
        ["connectors"] = new JsonArray([.. report.Connectors.Select(c => (JsonNode)JsonValue.Create(c.ToString()))]),
        ["installations"] = new JsonObject
        {
            ["running"] = report.Installations.Running,
            ["paused"] = report.Installations.Paused,
            ["total"] = report.Installations.Total,
        },
    };

    /// <summary>Renders a release report (T16).</summary>
    /// <param name="console">The console.</param>
    /// <param name="report">The report.</param>
    public static void Report(IAnsiConsole console, ReleaseReport report)
    {
        var table = Tables.Create($"Release {report.Number} of '{report.TemplateName}'", "Field", "Value");
        table.Row("State", report.State.ToString())
            .Row("Run status", report.RunStatus.ToString())
            .Row("Created", $"{Format.Instant(report.CreatedAt)} by {report.CreatedBy}")
            .Row("Promoted", report.PromotedAt is { } p ? $"{Format.Instant(p)} by {report.PromotedBy}" : "-")
            .Row("Connectors", string.Join(", ", report.Connectors))
            .Row("Installations", $"{Format.Count(report.Installations.Total)} ({Format.Count(report.Installations.Running)} running, {Format.Count(report.Installations.Paused)} paused)")
            .Row("Notes", report.Notes);
        console.Write(table);
    }
}
