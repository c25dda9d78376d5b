using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Versioning.Core.Integrations;
using Versioning.Core;

namespace Versioning.Cli.Output;

/// <summary>Integrations, versions and deprecation notices, as JSON and as tables.</summary>
internal static class IntegrationView
{
    /// <summary>Integration summaries as JSON.</summary>
    /// <param name="summaries">The summaries.</param>
    /// <returns>The array.</returns>
    public static JsonArray SummariesJson(IEnumerable<IntegrationSummary> summaries)
        => [.. summaries.Select(s => new JsonObject
        {
            ["id"] = s.Id.ToString(),
            ["name"] = s.Name,
            ["promotedVersion"] = s.PromotedVersion?.ToString(),
            ["versionCount"] = s.VersionCount,
            ["revision"] = s.Revision,
        })];

    /// <summary>Renders integration summaries.</summary>
    /// <param name="console">The console.</param>
    /// <param name="summaries">The summaries.</param>
    public static void Summaries(IAnsiConsole console, IReadOnlyList<IntegrationSummary> summaries)
    {
        var table = Tables.Create("Integrations", "Id", "Name", "Promoted", "Versions");
        foreach (var s in summaries)
        {
            table.Row(s.Id.ToString(), s.Name, s.PromotedVersion?.ToString() ?? "-", s.VersionCount.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }

    /// <summary>An integration with its team, shares and versions (stored states) as JSON.</summary>
    /// <param name="integration">The integration.</param>
    /// <param name="at">The instant the version states are computed at.</param>
    /// <returns>The object.</returns>
    public static JsonObject IntegrationJson(Integration integration, NodaTime.Instant at) => new()
    {
        ["id"] = integration.Id.ToString(),
        ["name"] = integration.Name,
        ["promotedVersion"] = integration.PromotedVersion?.Number.ToString(),
        ["createdBy"] = integration.CreatedBy.Value,
        ["createdAt"] = Format.Instant(integration.CreatedAt),
        ["team"] = Strings(integration.Team.Select(m => m.Value)),
        ["sharedWithAllVersions"] = Strings(integration.SharedWithAllVersions.Select(u => u.Value)),
        ["revision"] = integration.Revision,
        ["versions"] = new JsonArray([.. integration.Versions.Select(v => (JsonNode)VersionJson(v, at))]),
    };

    /// <summary>Renders an integration's header, team and versions.</summary>
    /// <param name="console">The console.</param>
    /// <param name="integration">The integration.</param>
    /// <param name="at">The instant the version states are computed at.</param>
    public static void Integration(IAnsiConsole console, Integration integration, NodaTime.Instant at)
    {
        console.WriteLine($"Integration '{integration.Name}' ({integration.Id}): "
            + (integration.PromotedVersion is { } p ? $"Promoted version {p.Number}" : "no Promoted version"));
        console.WriteLine($"Team: {string.Join(", ", integration.Team)}"
            + (integration.SharedWithAllVersions.Count > 0 ? $"; all Private versions shared with {string.Join(", ", integration.SharedWithAllVersions)}" : string.Empty));
        var table = Tables.Create($"Versions of '{integration.Name}' at {Format.Instant(at)}", "Version", "State", "Steps", "Notes", "Shared with", "Deprecation", "Created", "Updated");
        foreach (var v in integration.Versions)
        {
            table.Row(
                v.Number.ToString(),
                v.StateAt(at).ToString(),
                v.Content.Steps.Length.ToString(CultureInfo.InvariantCulture),
                Format.Short(v.Notes),
                string.Join(", ", v.SharedWith),
                v.Deprecation is { } d ? $"{Format.Date(d.Date)} ({d.ReasonText})" : null,
                Format.Instant(v.CreatedAt),
                Format.Instant(v.UpdatedAt));
        }

        console.Write(table);
    }

    /// <summary>One version as JSON, with its state at an instant.</summary>
    /// <param name="version">The version.</param>
    /// <param name="at">The instant.</param>
    /// <returns>The object.</returns>
    public static JsonObject VersionJson(IntegrationVersion version, NodaTime.Instant at) => new()
    {
        ["number"] = version.Number.ToString(),
        ["state"] = version.StateAt(at).ToString(),
        ["notes"] = version.Notes,
        ["steps"] = version.Content.Steps.Length,
        ["clonedFrom"] = version.ClonedFrom?.ToString(),
        ["sharedWith"] = Strings(version.SharedWith.Select(u => u.Value)),
        ["createdBy"] = version.CreatedBy.Value,
        ["createdAt"] = Format.Instant(version.CreatedAt),
        ["updatedAt"] = Format.Instant(version.UpdatedAt),
        ["promotedAt"] = version.PromotedAt is { } p ? Format.Instant(p) : null,
        ["legacyAt"] = version.LegacyAt is { } l ? Format.Instant(l) : null,
        ["deprecation"] = version.Deprecation is { } d ? DeprecationJson(d) : null,
        ["promotionWarnings"] = new JsonArray([.. version.PromotionWarnings.Select(w => (JsonNode)new JsonObject { ["check"] = w.Check, ["message"] = w.Message })]),
    };

    /// <summary>Renders one version in a line.</summary>
    /// <param name="console">The console.</param>
    /// <param name="verb">What happened, e.g. "Created".</param>
    /// <param name="version">The version.</param>
    /// <param name="at">The instant its state is computed at.</param>
    public static void Version(IAnsiConsole console, string verb, IntegrationVersion version, NodaTime.Instant at)
        => console.WriteLine($"{verb} version {version.Number}: {version.StateAt(at)}, {version.Content.Steps.Length} step(s)"
            + (version.ClonedFrom is { } c ? $", cloned from {c}" : string.Empty)
            + (version.Notes.Length > 0 ? $", notes: {Format.Short(version.Notes, 60)}" : string.Empty));

    /// <summary>A deprecation schedule as JSON.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <returns>The object.</returns>
    public static JsonObject DeprecationJson(DeprecationSchedule schedule) => new()
    {
        ["date"] = Format.Date(schedule.Date),
        ["effectiveAt"] = Format.Instant(schedule.EffectiveAt),
        ["reason"] = schedule.Reason.ToString(),
        ["otherText"] = schedule.OtherText,
        ["scheduledAt"] = Format.Instant(schedule.ScheduledAt),
        ["scheduledBy"] = schedule.ScheduledBy.Value,
    };

    /// <summary>Version listings (Z16) as JSON.</summary>
    /// <param name="rows">The rows.</param>
    /// <returns>The array.</returns>
    public static JsonArray ListingJson(IEnumerable<VersionListing> rows)
        => [.. rows.Select(r => new JsonObject
        {
            ["number"] = r.Number.ToString(),
            ["state"] = r.State.ToString(),
            ["installations"] = r.InstallationCount,
            ["legacyAt"] = r.LegacyAt is { } l ? Format.Instant(l) : null,
            ["deprecationDate"] = r.DeprecationDate is { } d ? Format.Date(d) : null,
            ["createdAt"] = Format.Instant(r.CreatedAt),
            ["updatedAt"] = Format.Instant(r.UpdatedAt),
        })];

    /// <summary>Renders version listings (Z16).</summary>
    /// <param name="console">The console.</param>
    /// <param name="title">The table title.</param>
    /// <param name="rows">The rows.</param>
    public static void Listing(IAnsiConsole console, string title, IEnumerable<VersionListing> rows)
    {
        var table = Tables.Create(title, "Version", "State", "Installations", "Legacy since", "Deprecation date", "Updated");
        foreach (var r in rows)
        {
            table.Row(r.Number.ToString(), r.State.ToString(), Format.Count(r.InstallationCount), Format.Instant(r.LegacyAt), Format.Date(r.DeprecationDate), Format.Instant(r.UpdatedAt));
        }

        console.Write(table);
    }

    /// <summary>A promotion's outcome as JSON.</summary>
    /// <param name="result">The result.</param>
    /// <param name="at">The instant.</param>
    /// <returns>The object.</returns>
    public static JsonObject PromotionJson(PromotionResult result, NodaTime.Instant at) => new()
    {
        ["version"] = VersionJson(result.Version, at),
        ["previous"] = result.Previous?.ToString(),
        ["warnings"] = new JsonArray([.. result.Warnings.Select(w => (JsonNode)new JsonObject
        {
            ["check"] = w.Check,
            ["severity"] = w.Severity.ToString(),
            ["message"] = w.Message,
        })]),
    };

    /// <summary>Renders a promotion's outcome.</summary>
    /// <param name="console">The console.</param>
    /// <param name="result">The result.</param>
    public static void Promotion(IAnsiConsole console, PromotionResult result)
    {
        console.WriteLine($"Promoted version {result.Version.Number}" + (result.Previous is { } p ? $"; {p} is now Available." : "."));
        foreach (var warning in result.Warnings)
        {
            console.WriteLine($"  warning: {warning}");
        }
    }

    /// <summary>Deprecation notices (Z13) as JSON.</summary>
    /// <param name="notices">The notices.</param>
    /// <returns>The array.</returns>
    public static JsonArray NoticesJson(IEnumerable<DeprecationNotice> notices)
        => [.. notices.Select(n => new JsonObject
        {
            ["integration"] = n.IntegrationId.ToString(),
            ["integrationName"] = n.IntegrationName,
            ["version"] = n.Version.ToString(),
            ["deprecationDate"] = Format.Date(n.DeprecationDate),
            ["effectiveAt"] = Format.Instant(n.EffectiveAt),
            ["dueAt"] = Format.Instant(n.DueAt),
            ["reason"] = n.Reason,
        })];

    /// <summary>Renders deprecation notices (Z13).</summary>
    /// <param name="console">The console.</param>
    /// <param name="at">The instant they are due at.</param>
    /// <param name="notices">The notices.</param>
    public static void Notices(IAnsiConsole console, NodaTime.Instant at, IReadOnlyList<DeprecationNotice> notices)
    {
        if (notices.Count == 0)
        {
            console.WriteLine($"No deprecation notices are due at {Format.Instant(at)}.");
            return;
        }

        var table = Tables.Create($"Deprecation notices due at {Format.Instant(at)}", "Integration", "Version", "Deprecation date", "Stops running at", "Due since", "Reason");
        foreach (var n in notices)
        {
            table.Row(n.IntegrationName, n.Version.ToString(), Format.Date(n.DeprecationDate), Format.Instant(n.EffectiveAt), Format.Instant(n.DueAt), n.Reason);
        }

        console.Write(table);
    }

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
}
