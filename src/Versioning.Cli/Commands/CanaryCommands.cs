using System.CommandLine;
using Spectre.Console;
using Versioning.Cli.Hosting;
using Versioning.Cli.Input;
using Versioning.Cli.Output;
using Versioning.Core.Integrations;
using Versioning.Core;

namespace Versioning.Cli.Commands;

/// <summary>
/// <c>versioning integration canary create|list|delete</c>: canary releases (K1–K4), with the Zapier CLI's arguments
/// (<c>canary:create FROM TO --percent N --duration SECONDS [--user] [--account]</c>) and messages.
/// </summary>
internal static class CanaryCommands
{
    /// <summary>Builds the <c>canary</c> command and its subcommands.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The command.</returns>
    public static Command Build(CliApplication app)
    {
        var command = new Command("canary", "Canary releases: divert a share of one version's executions to another for a bounded time (K1–K6)");
        command.Add(Create(app));
        command.Add(List(app));
        command.Add(Delete(app));
        return command;
    }

    private static Command Create(CliApplication app)
    {
        var id = Args.Integration();
        var from = Args.Version("from", "The version to route executions from");
        var to = Args.Version("to", "The version to canary executions to (a valid migration target, M3)");
        var percent = new Option<int>("--percent", "-p") { Description = "Percent of executions to route to the new version (1–100)", HelpName = "N", Required = true };
        var duration = new Option<int>("--duration", "-d") { Description = "Duration of the canary in seconds (30–86400)", HelpName = "SECONDS", Required = true };
        var user = Args.User("Canary only this user's executions (across accounts, unless --account is given too)");
        var account = Args.Account("Canary only this account's executions (with --user: that user within this account)");
        var command = new Command("create", "Create a canary: like 'migrate', but temporary and changing no installation; it reverts by itself when the duration is up. Only one can be active at a time.")
        {
            id, from, to, percent, duration, user, account,
        };
        app.Bind(command, async (p, c, ct) =>
        {
            var scope = CanaryScope.Of(p.GetValue(user), p.GetValue(account));
            var canary = await c.Integrations.StartCanaryAsync(
                Parse.IntegrationId(p.GetRequiredValue(id)), Parse.Version(p.GetRequiredValue(from)), Parse.Version(p.GetRequiredValue(to)),
                p.GetValue(percent), NodaTime.Duration.FromSeconds(p.GetValue(duration)), scope, c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(CanaryView.Json(canary, c.Now), console => CanaryView.Created(console, canary));
        });
        return command;
    }

    private static Command List(CliApplication app)
    {
        var id = Args.Integration();
        var command = new Command("list", "List the active canaries you (--as) can see, now or --at an instant") { id };
        app.Bind(command, async (p, c, ct) =>
        {
            var now = c.Now;
            var active = (await c.Integrations.ListCanariesAsync(Parse.IntegrationId(p.GetRequiredValue(id)), c.Actor, ct).ConfigureAwait(false))
                .Where(x => x.IsActiveAt(now)).ToList();
            c.Output.Emit(CanaryView.ListJson(active, now), console => CanaryView.List(console, active, now));
        });
        return command;
    }

    private static Command Delete(CliApplication app)
    {
        var id = Args.Integration();
        var from = Args.Version("from", "The version executions are routed from");
        var to = Args.Version("to", "The version canary executions are routed to");
        var command = new Command("delete", "Delete the active canary from one version to another before it ends (K4)") { id, from, to };
        app.Bind(command, async (p, c, ct) =>
        {
            var integrationId = Parse.IntegrationId(p.GetRequiredValue(id));
            var (fromVersion, toVersion) = (Parse.Version(p.GetRequiredValue(from)), Parse.Version(p.GetRequiredValue(to)));
            var now = c.Now;
            var canary = (await c.Integrations.ListCanariesAsync(integrationId, c.Actor, ct).ConfigureAwait(false))
                .FirstOrDefault(x => x.From == fromVersion && x.To == toVersion && x.IsActiveAt(now))
                ?? throw new CliUsageException($"There is no active canary from version {fromVersion} to version {toVersion}; see 'integration canary list {integrationId}'.");
            var deleted = await c.Integrations.DeleteCanaryAsync(integrationId, canary.Id, c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(CanaryView.Json(deleted, c.Now), console =>
            {
                console.WriteLine($"Deleting active canary from {deleted.From} to {deleted.To}");
                console.WriteLine("Canary deployment deleted successfully.");
            });
        });
        return command;
    }
}
