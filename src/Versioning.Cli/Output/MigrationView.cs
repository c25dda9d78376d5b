using System.Text.Json.Nodes;
using Spectre.Console;
using Versioning.Core.Installations;
using Versioning.Core;

namespace Versioning.Cli.Output;

/// <summary>Migration jobs and installations, as JSON and as tables.</summary>
internal static class MigrationView
{
    /// <summary>A job as JSON.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The object.</returns>
    public static JsonObject JobJson(MigrationJob job) => new()
    {
        ["id"] = job.Id.ToString(),
        ["productKind"] = job.Product.Kind.ToString(),
        ["productId"] = job.Product.Id.ToString("D"),
        ["from"] = job.From?.Value,
        ["to"] = job.To.Value,
        ["scope"] = job.Scope.ToString(),
        ["state"] = job.State.ToString(),
        ["batchSize"] = job.BatchSize,
        ["total"] = job.Total,
        ["scanned"] = job.Scanned,
        ["moved"] = job.Moved,
        ["batches"] = job.Batches,
        ["progress"] = Math.Round(job.Progress, 4),
        ["requestedBy"] = job.RequestedBy.Value,
        ["requestedAt"] = Format.Instant(job.RequestedAt),
        ["updatedAt"] = Format.Instant(job.UpdatedAt),
        ["failureReason"] = job.FailureReason,
    };

    /// <summary>Jobs as JSON.</summary>
    /// <param name="jobs">The jobs.</param>
    /// <returns>The array.</returns>
    public static JsonArray JobsJson(IEnumerable<MigrationJob> jobs) => [.. jobs.Select(JobJson)];

    /// <summary>Renders jobs.</summary>
    /// <param name="console">The console.</param>
    /// <param name="title">The table title.</param>
    /// <param name="jobs">The jobs.</param>
    public static void Jobs(IAnsiConsole console, string title, IEnumerable<MigrationJob> jobs)
    {
        var table = Tables.Create(title, "Job", "From", "To", "Scope", "State", "Scanned", "Moved", "Batches", "Updated", "Failure");
        foreach (var j in jobs)
        {
            table.Row(
                j.Id.ToString(),
                j.From?.Value ?? "(any other)",
                j.To.Value,
                j.Scope.ToString(),
                j.State.ToString(),
                $"{Format.Count(j.Scanned)} / {Format.Count(j.Total)}",
                Format.Count(j.Moved),
                j.Batches.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Format.Instant(j.UpdatedAt),
                j.FailureReason);
        }

        console.Write(table);
    }

    /// <summary>An installation as JSON.</summary>
    /// <param name="installation">The installation.</param>
    /// <returns>The object.</returns>
    public static JsonObject InstallationJson(Installation installation)
    {
        var settings = new JsonObject();
        foreach (var (key, value) in installation.Settings)
        {
            settings[key] = value;
        }

        return new JsonObject
        {
            ["id"] = installation.Id.ToString(),
            ["productKind"] = installation.Product.Kind.ToString(),
            ["productId"] = installation.Product.Id.ToString("D"),
            ["owner"] = installation.Owner.ToString(),
            ["pinned"] = installation.Pinned.Value,
            ["status"] = installation.Status.ToString(),
            ["settings"] = settings,
            ["createdAt"] = Format.Instant(installation.CreatedAt),
            ["updatedAt"] = Format.Instant(installation.UpdatedAt),
        };
    }

    /// <summary>Renders an installation in a line.</summary>
    /// <param name="console">The console.</param>
    /// <param name="verb">What happened, e.g. "Installed".</param>
    /// <param name="installation">The installation.</param>
    public static void Installation(IAnsiConsole console, string verb, Installation installation)
    {
        var pinned = installation.Product.Kind == ProductKind.Template ? $"release {installation.Pinned}" : $"version {installation.Pinned}";
        console.WriteLine($"{verb} installation {installation.Id} for {installation.Owner}: {pinned}, {installation.Status}"
            + (installation.Settings.Count > 0 ? $", settings: {string.Join(", ", installation.Settings.Select(kv => $"{kv.Key}={kv.Value}"))}" : string.Empty));
    }
}
