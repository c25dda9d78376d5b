using System.CommandLine;
using Spectre.Console;
using Versioning.Cli.Hosting;
using Versioning.Cli.Input;
using Versioning.Cli.Output;
using Versioning.Core;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;

namespace Versioning.Cli.Commands;

/// <summary><c>versioning integration …</c>: every operation of the integration version lifecycle (Z1–Z17, M1–M5).</summary>
internal static class IntegrationCommands
{
    /// <summary>Builds the <c>integration</c> command and its subcommands.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The command.</returns>
    public static Command Build(CliApplication app)
    {
        var command = new Command("integration", "Integration versions (Zapier-style): Private → Promoted → Available, Legacy, Deprecating → Deprecated");
        foreach (var sub in new[]
        {
            Create(app), List(app), Show(app), Team(app, add: true), Team(app, add: false), Version(app), Clone(app), Edit(app), Notes(app),
            Share(app, share: true), Share(app, share: false), Promote(app), Legacy(app), Deprecate(app), Delete(app), Install(app),
            Migrate(app), Jobs(app), Job(app), Resume(app), Abort(app), Versions(app), Audit(app), Notices(app), Actions(app),
            CanaryCommands.Build(app),
        })
        {
            command.Add(sub);
        }

        return command;
    }

    private static Command Create(CliApplication app)
    {
        var name = new Argument<string>("name") { Description = "The integration's name (1–200 characters)" };
        var command = new Command("create", "Create an integration; you (--as) become its first team member") { name };
        app.Bind(command, async (p, c, ct) =>
        {
            var integration = await c.Integrations.CreateIntegrationAsync(p.GetRequiredValue(name), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(IntegrationView.IntegrationJson(integration, c.Now), console => console.WriteLine($"Created integration '{integration.Name}' ({integration.Id}); team: {c.Actor}."));
        });
        return command;
    }

    private static Command List(CliApplication app)
    {
        var command = new Command("list", "List integrations by name");
        app.BindQuery(command, async (_, c, ct) =>
        {
            var integrations = await c.Integrations.ListIntegrationsAsync(ct).ConfigureAwait(false);
            c.Output.Emit(IntegrationView.SummariesJson(integrations), console => IntegrationView.Summaries(console, integrations));
        });
        return command;
    }

    private static Command Show(CliApplication app)
    {
        var id = Args.Integration();
        var command = new Command("show", "Show an integration: team, shares and every version") { id };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var integration = await c.Integrations.GetIntegrationAsync(Parse.IntegrationId(p.GetRequiredValue(id)), c.Actor, ct).ConfigureAwait(false);
            var now = c.Now;
            c.Output.Emit(IntegrationView.IntegrationJson(integration, now), console => IntegrationView.Integration(console, integration, now));
        });
        return command;
    }

    private static Command Team(CliApplication app, bool add)
    {
        var id = Args.Integration();
        var member = new Argument<string>("member") { Description = "The team member's actor id" };
        var command = new Command(add ? "team-add" : "team-remove", add ? "Add a team member (Z6)" : "Remove a team member, never the last (Z6)") { id, member };
        app.Bind(command, async (p, c, ct) =>
        {
            var integrationId = Parse.IntegrationId(p.GetRequiredValue(id));
            var who = new ActorId(p.GetRequiredValue(member));
            var integration = add
                ? await c.Integrations.AddTeamMemberAsync(integrationId, who, c.Actor, ct).ConfigureAwait(false)
                : await c.Integrations.RemoveTeamMemberAsync(integrationId, who, c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(IntegrationView.IntegrationJson(integration, c.Now), console => console.WriteLine($"Team of '{integration.Name}': {string.Join(", ", integration.Team)}."));
        });
        return command;
    }

    private static Command Version(CliApplication app)
    {
        var id = Args.Integration();
        var number = Args.Version("version", "The new version number, MAJOR.MINOR.PATCH[-label] (Z1, Z2)");
        var content = Args.Content(required: false);
        var command = new Command("version", "Create a Private version, empty or with content (Z1–Z3)") { id, number, content };
        app.Bind(command, async (p, c, ct) =>
        {
            var definition = p.GetValue(content) is { } file ? ContentFile.Read(file.FullName) : null;
            var version = await c.Integrations.CreateVersionAsync(Parse.IntegrationId(p.GetRequiredValue(id)), Parse.Version(p.GetRequiredValue(number)), definition, c.Actor, ct).ConfigureAwait(false);
            var now = c.Now;
            c.Output.Emit(IntegrationView.VersionJson(version, now), console => IntegrationView.Version(console, "Created", version, now));
        });
        return command;
    }

    private static Command Clone(CliApplication app)
    {
        var id = Args.Integration();
        var source = Args.Version("source", "The version to clone");
        var number = Args.Version("version", "The new version number");
        var command = new Command("clone", "Create a Private version as a clone of another: content and notes (Z3)") { id, source, number };
        app.Bind(command, async (p, c, ct) =>
        {
            var version = await c.Integrations.CloneVersionAsync(Parse.IntegrationId(p.GetRequiredValue(id)), Parse.Version(p.GetRequiredValue(source)), Parse.Version(p.GetRequiredValue(number)), c.Actor, ct).ConfigureAwait(false);
            var now = c.Now;
            c.Output.Emit(IntegrationView.VersionJson(version, now), console => IntegrationView.Version(console, "Created", version, now));
        });
        return command;
    }

    private static Command Edit(CliApplication app)
    {
        var id = Args.Integration();
        var number = Args.Version();
        var content = Args.Content(required: true);
        var command = new Command("edit", "Replace a Private version's content while few installations use it (Z4)") { id, number, content };
        app.Bind(command, async (p, c, ct) =>
        {
            var definition = ContentFile.Read(p.GetRequiredValue(content).FullName);
            var version = await c.Integrations.EditContentAsync(Parse.IntegrationId(p.GetRequiredValue(id)), Parse.Version(p.GetRequiredValue(number)), definition, c.Actor, ct).ConfigureAwait(false);
            var now = c.Now;
            c.Output.Emit(IntegrationView.VersionJson(version, now), console => IntegrationView.Version(console, "Edited", version, now));
        });
        return command;
    }

    private static Command Notes(CliApplication app)
    {
        var id = Args.Integration();
        var number = Args.Version();
        var text = new Argument<string>("text") { Description = "The release notes (up to 10 000 characters)" };
        var command = new Command("notes", "Set a version's release notes (needed to promote it, Z8)") { id, number, text };
        app.Bind(command, async (p, c, ct) =>
        {
            var version = await c.Integrations.SetNotesAsync(Parse.IntegrationId(p.GetRequiredValue(id)), Parse.Version(p.GetRequiredValue(number)), p.GetRequiredValue(text), c.Actor, ct).ConfigureAwait(false);
            var now = c.Now;
            c.Output.Emit(IntegrationView.VersionJson(version, now), console => IntegrationView.Version(console, "Updated notes of", version, now));
        });
        return command;
    }

    private static Command Share(CliApplication app, bool share)
    {
        var id = Args.Integration();
        var user = new Argument<string>("user") { Description = "The user outside the team" };
        var version = new Option<string>("--version") { Description = "Only this Private version [default: every unlabeled Private version]", HelpName = "VERSION" };
        var command = new Command(share ? "share" : "unshare", share
            ? "Share a Private version, or all unlabeled ones, with a user (Z5, Z6)"
            : "Stop sharing; existing installations keep running (Z6)") { id, user, version };
        app.Bind(command, async (p, c, ct) =>
        {
            var integrationId = Parse.IntegrationId(p.GetRequiredValue(id));
            var number = Parse.OptionalVersion(p.GetValue(version));
            var who = new ActorId(p.GetRequiredValue(user));
            var integration = share
                ? await c.Integrations.ShareAsync(integrationId, number, who, c.Actor, ct).ConfigureAwait(false)
                : await c.Integrations.UnshareAsync(integrationId, number, who, c.Actor, ct).ConfigureAwait(false);
            var what = number is { } n ? $"version {n}" : "all Private versions";
            c.Output.Emit(IntegrationView.IntegrationJson(integration, c.Now), console => console.WriteLine(share ? $"Shared {what} with {who}." : $"Stopped sharing {what} with {who}."));
        });
        return command;
    }

    private static Command Promote(CliApplication app)
    {
        var id = Args.Integration();
        var number = Args.Version();
        var command = new Command("promote", "Promote a version after every promotion check; the previous one becomes Available (Z7–Z9)") { id, number };
        app.Bind(command, async (p, c, ct) =>
        {
            var result = await c.Integrations.PromoteAsync(Parse.IntegrationId(p.GetRequiredValue(id)), Parse.Version(p.GetRequiredValue(number)), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(IntegrationView.PromotionJson(result, c.Now), console => IntegrationView.Promotion(console, result));
        });
        return command;
    }

    private static Command Legacy(CliApplication app)
    {
        var id = Args.Integration();
        var number = Args.Version();
        var command = new Command("legacy", "Mark a Private or Available version Legacy: no new installations, no way back (Z11)") { id, number };
        app.Bind(command, async (p, c, ct) =>
        {
            var version = await c.Integrations.MarkLegacyAsync(Parse.IntegrationId(p.GetRequiredValue(id)), Parse.Version(p.GetRequiredValue(number)), c.Actor, ct).ConfigureAwait(false);
            var now = c.Now;
            c.Output.Emit(IntegrationView.VersionJson(version, now), console => IntegrationView.Version(console, "Marked", version, now));
        });
        return command;
    }

    private static Command Deprecate(CliApplication app)
    {
        var id = Args.Integration();
        var number = Args.Version();
        var date = new Option<string>("--date") { Description = "The deprecation date, 21–365 days ahead (YYYY-MM-DD)", HelpName = "DATE", Required = true };
        var reason = new Option<DeprecationReason>("--reason") { Description = "Why", HelpName = string.Join('|', Enum.GetNames<DeprecationReason>()), Required = true };
        var other = new Option<string>("--other") { Description = "The text for --reason Other (1–50 characters)", HelpName = "TEXT" };
        var command = new Command("deprecate", "Deprecate a version on a date: Deprecating until then, Deprecated after (Z12, Z13)") { id, number, date, reason, other };
        command.Validators.Add(r =>
        {
            // A reason that is not one of the names is reported by the parser; check only a parsed Other.
            if (r.GetResult(reason) is { Tokens: [var token] } && Enum.TryParse<DeprecationReason>(token.Value, ignoreCase: true, out var parsed) && parsed == DeprecationReason.Other
                && string.IsNullOrWhiteSpace(r.GetValue(other)))
            {
                r.AddError("--reason Other needs --other TEXT (1–50 characters) saying why.");
            }
        });
        app.Bind(command, async (p, c, ct) =>
        {
            var schedule = await c.Integrations.DeprecateAsync(
                Parse.IntegrationId(p.GetRequiredValue(id)), Parse.Version(p.GetRequiredValue(number)), Parse.Date(p.GetRequiredValue(date), "--date"),
                p.GetValue(reason), p.GetValue(other), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(IntegrationView.DeprecationJson(schedule), console => console.WriteLine(
                $"Version {p.GetRequiredValue(number)} is Deprecating until {Format.Instant(schedule.EffectiveAt)} ({schedule.ReasonText}); its installations stop running then."));
        });
        return command;
    }

    private static Command Delete(CliApplication app)
    {
        var id = Args.Integration();
        var number = Args.Version();
        var command = new Command("delete", "Delete a version with no installations; its number stays taken (Z15)") { id, number };
        app.Bind(command, async (p, c, ct) =>
        {
            var integration = await c.Integrations.DeleteVersionAsync(Parse.IntegrationId(p.GetRequiredValue(id)), Parse.Version(p.GetRequiredValue(number)), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(IntegrationView.IntegrationJson(integration, c.Now), console => console.WriteLine($"Deleted version {p.GetRequiredValue(number)} of '{integration.Name}'."));
        });
        return command;
    }

    private static Command Install(CliApplication app)
    {
        var id = Args.Integration();
        var account = Args.Account("Install for this account");
        var user = Args.User("Install for this user");
        var version = new Option<string>("--version") { Description = "Install this version instead of the Promoted one (Z10)", HelpName = "VERSION" };
        var settings = Args.Settings();
        var command = new Command("install", "Install an integration: the Promoted version or a named one, Paused (Z10)") { id, account, user, version, settings };
        app.Bind(command, async (p, c, ct) =>
        {
            var owner = Parse.Owner(p.GetValue(account), p.GetValue(user));
            var installation = await c.Integrations.InstallAsync(Parse.IntegrationId(p.GetRequiredValue(id)), owner, c.Actor, Parse.Settings(p.GetValue(settings)), Parse.OptionalVersion(p.GetValue(version)), cancellationToken: ct).ConfigureAwait(false);
            c.Output.Emit(MigrationView.InstallationJson(installation), console => MigrationView.Installation(console, "Created", installation));
        });
        return command;
    }

    private static Command Migrate(CliApplication app)
    {
        var id = Args.Integration();
        var from = Args.Version("from", "The version to move installations from");
        var to = Args.Version("to", "The version to move them to");
        var percent = Args.Percent();
        var account = Args.Account("Move only this account (the target may be Private: it is shared with them, M3)");
        var user = Args.User("Move only this user (the target may be Private: it is shared with them, M3)");
        var batchSize = Args.BatchSize();
        var maxBatches = Args.MaxBatches();
        var command = new Command("migrate", "Migrate installations between versions as a resumable batch job, with a progress bar (M1–M5)")
        {
            id, from, to, percent, account, user, batchSize, maxBatches,
        };
        app.Bind(command, async (p, c, ct) =>
        {
            var scope = Parse.Scope(p.GetValue(percent), p.GetValue(account), p.GetValue(user));
            var job = await c.Migrations.StartMigrationAsync(
                Parse.IntegrationId(p.GetRequiredValue(id)), Parse.Version(p.GetRequiredValue(from)), Parse.Version(p.GetRequiredValue(to)), scope, c.Actor, p.GetValue(batchSize), ct).ConfigureAwait(false);
            job = await JobRunner.RunAsync(c, job, p.GetValue(maxBatches), ct).ConfigureAwait(false);
            c.Output.Emit(MigrationView.JobJson(job), console => MigrationView.Jobs(console, "Migration job", [job]));
        });
        return command;
    }

    private static Command Jobs(CliApplication app)
    {
        var id = Args.Integration();
        var command = new Command("jobs", "List an integration's migration jobs, newest first") { id };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var jobs = await c.Migrations.ListJobsAsync(ProductRef.Of(Parse.IntegrationId(p.GetRequiredValue(id))), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(MigrationView.JobsJson(jobs), console => MigrationView.Jobs(console, "Migration jobs", jobs));
        });
        return command;
    }

    private static Command Job(CliApplication app)
    {
        var job = Args.Job();
        var command = new Command("job", "Show a migration or upgrade job's progress") { job };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var found = await c.Migrations.GetJobAsync(Parse.MigrationId(p.GetRequiredValue(job)), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(MigrationView.JobJson(found), console => MigrationView.Jobs(console, "Job", [found]));
        });
        return command;
    }

    private static Command Resume(CliApplication app)
    {
        var job = Args.Job();
        var maxBatches = Args.MaxBatches();
        var command = new Command("resume", "Resume a Requested or InProgress job where it stopped, with a progress bar (M5)") { job, maxBatches };
        app.Bind(command, async (p, c, ct) =>
        {
            var found = await c.Migrations.GetJobAsync(Parse.MigrationId(p.GetRequiredValue(job)), c.Actor, ct).ConfigureAwait(false);
            if (!found.IsRunnable)
            {
                throw new CliUsageException($"Job {found.Id} is {found.State}: only a Requested or InProgress job can be resumed.");
            }

            var result = await JobRunner.RunAsync(c, found, p.GetValue(maxBatches), ct).ConfigureAwait(false);
            c.Output.Emit(MigrationView.JobJson(result), console => MigrationView.Jobs(console, "Job", [result]));
        });
        return command;
    }

    private static Command Abort(CliApplication app)
    {
        var job = Args.Job();
        var command = new Command("abort", "Abort a job; installations already moved stay moved (M5)") { job };
        app.Bind(command, async (p, c, ct) =>
        {
            var result = await c.Migrations.AbortAsync(Parse.MigrationId(p.GetRequiredValue(job)), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(MigrationView.JobJson(result), console => MigrationView.Jobs(console, "Job", [result]));
        });
        return command;
    }

    private static Command Versions(CliApplication app)
    {
        var id = Args.Integration();
        var includeDeprecated = new Option<bool>("--include-deprecated") { Description = "Also list Deprecated versions" };
        var command = new Command("versions", "List the versions you (--as) can see, with state and installations, now or --at an instant (Z16)") { id, includeDeprecated };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var integrationId = Parse.IntegrationId(p.GetRequiredValue(id));
            var now = c.Now;
            var rows = await c.Integrations.ListVersionsAsync(integrationId, c.Actor, now, p.GetValue(includeDeprecated), ct).ConfigureAwait(false);
            c.Output.Emit(IntegrationView.ListingJson(rows), console => IntegrationView.Listing(console, $"Versions at {Format.Instant(now)}", rows));
        });
        return command;
    }

    private static Command Audit(CliApplication app)
    {
        var id = Args.Integration();
        var command = new Command("audit", "Show an integration's audit trail, oldest first (Z17)") { id };
        command.Aliases.Add("history"); // its former name; "audit" is the one name in both lifecycles
        app.BindQuery(command, async (p, c, ct) =>
        {
            var integration = await c.Integrations.GetIntegrationAsync(Parse.IntegrationId(p.GetRequiredValue(id)), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(CommonView.AuditJson(integration.AuditTrail), console => CommonView.Audit(console, $"Audit trail of '{integration.Name}'", integration.AuditTrail));
        });
        return command;
    }

    private static Command Notices(CliApplication app)
    {
        var command = new Command("notices", "List the deprecation notices due now, or --at an instant, across all integrations (Z13)");
        app.BindQuery(command, async (_, c, ct) =>
        {
            var now = c.Now;
            var notices = await c.Integrations.ListNoticesDueAsync(c.Actor, now, ct).ConfigureAwait(false);
            c.Output.Emit(IntegrationView.NoticesJson(notices), console => IntegrationView.Notices(console, now, notices));
        });
        return command;
    }

    private static Command Actions(CliApplication app)
    {
        var id = Args.Integration();
        var number = Args.Version();
        var command = new Command("actions", "Show which actions a version allows now, and the rule blocking the others (X5)") { id, number };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var actions = await c.Integrations.GetActionsAsync(Parse.IntegrationId(p.GetRequiredValue(id)), Parse.Version(p.GetRequiredValue(number)), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(CommonView.ActionsJson(actions), console => CommonView.Actions(console, $"Actions on version {p.GetRequiredValue(number)}", actions));
        });
        return command;
    }
}
