using System.Text.Json.Nodes;
using Spectre.Console;
using Versioning.Core.Auditing;
using Versioning.Core.Lifecycles;
using Versioning.Core;

namespace Versioning.Cli.Output;

/// <summary>Audit trails and action availability, for both lifecycles.</summary>
internal static class CommonView
{
    /// <summary>An audit trail as JSON.</summary>
    /// <param name="entries">The entries, oldest first.</param>
    /// <returns>The array.</returns>
    public static JsonArray AuditJson(IEnumerable<AuditEntry> entries)
        => [.. entries.Select(e => new JsonObject
        {
            ["at"] = Format.Instant(e.At),
            ["actor"] = e.Actor.Value,
            ["action"] = e.Action.ToString(),
            ["subject"] = e.Subject,
            ["subjectKey"] = e.SubjectKey?.Value,
            ["details"] = e.Details,
        })];

    /// <summary>Renders an audit trail.</summary>
    /// <param name="console">The console.</param>
    /// <param name="title">The table title.</param>
    /// <param name="entries">The entries, oldest first.</param>
    public static void Audit(IAnsiConsole console, string title, IEnumerable<AuditEntry> entries)
    {
        var table = Tables.Create(title, "At", "Actor", "Action", "Subject", "Details");
        foreach (var e in entries)
        {
            table.Row(Format.Instant(e.At), e.Actor.Value, e.Action.ToString(), e.Subject, e.Details);
        }

        console.Write(table);
    }

    /// <summary>Action availability as JSON.</summary>
    /// <typeparam name="TAction">The lifecycle's action type.</typeparam>
    /// <param name="actions">One entry per action.</param>
    /// <returns>The array.</returns>
    public static JsonArray ActionsJson<TAction>(IEnumerable<ActionAvailability<TAction>> actions)
        where TAction : struct, Enum
        => [.. actions.Select(a => new JsonObject
        {
            ["action"] = a.Action.ToString(),
            ["permitted"] = a.IsPermitted,
            ["rule"] = a.BlockedBy.RuleId,
            ["reason"] = a.BlockedBy.Message,
        })];

    /// <summary>Renders action availability: what can be done now, and the rule blocking the rest (X5).</summary>
    /// <typeparam name="TAction">The lifecycle's action type.</typeparam>
    /// <param name="console">The console.</param>
    /// <param name="title">The table title.</param>
    /// <param name="actions">One entry per action.</param>
    public static void Actions<TAction>(IAnsiConsole console, string title, IEnumerable<ActionAvailability<TAction>> actions)
        where TAction : struct, Enum
    {
        var table = Tables.Create(title, "Action", "Permitted", "Rule", "Why not");
        foreach (var a in actions)
        {
            table.Row(a.Action.ToString(), a.IsPermitted ? "yes" : "no", a.BlockedBy.RuleId, a.BlockedBy.Message);
        }

        console.Write(table);
    }
}
