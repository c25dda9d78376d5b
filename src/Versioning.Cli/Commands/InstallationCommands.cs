using System.CommandLine;
using Spectre.Console;
using System.Text.Json.Nodes;
using Versioning.Cli.Input;
using Versioning.Cli.Output;
using Versioning.Core.Templates;
using Versioning.Core;

namespace Versioning.Cli.Commands;

/// <summary><c>versioning installation …</c>: look at one installation, run or pause it, and ask whether it may run (I1, I3).</summary>
internal static class InstallationCommands
{
    /// <summary>Builds the <c>installation</c> command and its subcommands.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The command.</returns>
    public static Command Build(CliApplication app)
    {
        var command = new Command("installation", "Installations of templates and integrations");
        command.Add(Show(app));
        command.Add(SetStatus(app, RunStatus.Running));
        command.Add(SetStatus(app, RunStatus.Paused));
        command.Add(CanRun(app));
        return command;
    }

    private static Argument<string> Id() => new("installation") { Description = "The installation id (a GUID, printed by 'install')" };

    private static Command Show(CliApplication app)
    {
        var id = Id();
        var command = new Command("show", "Show an installation") { id };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var installation = await c.Installations.GetAsync(Parse.InstallationId(p.GetRequiredValue(id)), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(MigrationView.InstallationJson(installation), console => MigrationView.Installation(console, "Found", installation));
        });
        return command;
    }

    private static Command SetStatus(CliApplication app, RunStatus status)
    {
        var id = Id();
        var running = status == RunStatus.Running;
        var command = new Command(running ? "run" : "pause", running ? "Set an installation Running (I1)" : "Pause an installation (I1)") { id };
        app.Bind(command, async (p, c, ct) =>
        {
            var installation = await c.Installations.SetStatusAsync(Parse.InstallationId(p.GetRequiredValue(id)), status, c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(MigrationView.InstallationJson(installation), console => MigrationView.Installation(console, "Updated", installation));
        });
        return command;
    }

    private static Command CanRun(CliApplication app)
    {
        var id = Id();
        var command = new Command("can-run", "Tell whether an installation may run now, or --at an instant: Running and its version not Deprecated (I3)") { id };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var installationId = Parse.InstallationId(p.GetRequiredValue(id));
            var now = c.Now;
            var canRun = await c.Installations.CanRunAsync(installationId, c.Actor, now, ct).ConfigureAwait(false);
            c.Output.Emit(new JsonObject { ["installation"] = installationId.ToString(), ["at"] = Format.Instant(now), ["canRun"] = canRun },
                console => console.WriteLine($"Installation {installationId} {(canRun ? "may" : "may not")} run at {Format.Instant(now)}."));
        });
        return command;
    }
}
