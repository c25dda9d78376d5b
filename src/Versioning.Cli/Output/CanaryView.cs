using System.Globalization;
using System.Text.Json.Nodes;
using NodaTime;
using Spectre.Console;
using Versioning.Core.Integrations;
using Versioning.Core;

namespace Versioning.Cli.Output;

/// <summary>Canary releases (K1–K4), as JSON and in the Zapier CLI's words.</summary>
internal static class CanaryView
{
    /// <summary>A canary as JSON.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="at">The instant "active" and "secondsRemaining" are computed at.</param>
    /// <returns>The object.</returns>
    public static JsonObject Json(Canary canary, Instant at) => new()
    {
        ["id"] = canary.Id.ToString(),
        ["from"] = canary.From.ToString(),
        ["to"] = canary.To.ToString(),
        ["percent"] = canary.Percent,
        ["user"] = canary.Scope.User,
        ["account"] = canary.Scope.Account,
        ["startedBy"] = canary.StartedBy.Value,
        ["startedAt"] = Format.Instant(canary.StartedAt),
        ["endsAt"] = Format.Instant(canary.EndsAt),
        ["durationSeconds"] = (long)canary.Duration.TotalSeconds,
        ["active"] = canary.IsActiveAt(at),
        ["secondsRemaining"] = SecondsRemaining(canary, at),
    };

    /// <summary>Canaries as JSON.</summary>
    /// <param name="canaries">The canaries.</param>
    /// <param name="at">The instant.</param>
    /// <returns>The array.</returns>
    public static JsonArray ListJson(IEnumerable<Canary> canaries, Instant at) => [.. canaries.Select(c => (JsonNode)Json(c, at))];

    /// <summary>Tells what was created, as <c>zapier canary:create</c> does.</summary>
    /// <param name="console">The console.</param>
    /// <param name="canary">The new canary.</param>
    public static void Created(IAnsiConsole console, Canary canary)
    {
        console.WriteLine("Creating canary deployment");
        console.WriteLine($"    - From version: {canary.From}");
        console.WriteLine($"    - To version: {canary.To}");
        console.WriteLine($"    - Percentage: {canary.Percent}%");
        console.WriteLine($"    - Duration: {(long)canary.Duration.TotalSeconds} seconds");
        if (canary.Scope.User is { } user)
        {
            console.WriteLine($"    - User: {user}");
        }

        if (canary.Scope.Account is { } account)
        {
            console.WriteLine($"    - Account: {account}");
        }

        console.WriteLine($"Canary deployment created successfully: {canary.Id}, until {Format.Instant(canary.EndsAt)}.");
    }

    /// <summary>Lists the active canaries, as <c>zapier canary:list</c> does.</summary>
    /// <param name="console">The console.</param>
    /// <param name="canaries">The active canaries.</param>
    /// <param name="at">The instant.</param>
    public static void List(IAnsiConsole console, IReadOnlyList<Canary> canaries, Instant at)
    {
        if (canaries.Count == 0)
        {
            console.WriteLine("No active canary deployments found.");
            return;
        }

        var table = Tables.Create("Active Canaries", "From Version", "To Version", "Traffic Percent", "Scope", "Seconds Remaining", "Ends at", "Id");
        foreach (var c in canaries)
        {
            table.Row(c.From.ToString(), c.To.ToString(), c.Percent.ToString(CultureInfo.InvariantCulture), c.Scope.ToString(),
                SecondsRemaining(c, at).ToString(CultureInfo.InvariantCulture), Format.Instant(c.EndsAt), c.Id.ToString());
        }

        console.Write(table);
    }

    private static long SecondsRemaining(Canary canary, Instant at)
        => canary.IsActiveAt(at) ? (long)Math.Ceiling((canary.EndsAt - at).TotalSeconds) : 0;
}
