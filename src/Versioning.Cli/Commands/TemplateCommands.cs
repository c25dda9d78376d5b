using System.CommandLine;
using Spectre.Console;
using Versioning.Cli.Hosting;
using Versioning.Cli.Input;
using Versioning.Cli.Output;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core;

namespace Versioning.Cli.Commands;

/// <summary><c>versioning template …</c>: every operation of the template release lifecycle (T1–T16).</summary>
internal static class TemplateCommands
{
    /// <summary>Builds the <c>template</c> command and its subcommands.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The command.</returns>
    public static Command Build(CliApplication app)
    {
        var command = new Command("template", "Template releases (Cyclr-style): Draft → Live → Deprecated");
        foreach (var sub in new[]
        {
            Create(app), Team(app, add: true), Team(app, add: false), Rename(app), List(app), Show(app), Releases(app), Draft(app), Edit(app), Notes(app), Promote(app), Copy(app), Delete(app),
            RunOrPause(app, run: true), RunOrPause(app, run: false), Publish(app, publish: true), Publish(app, publish: false),
            Install(app), Upgrade(app), Jobs(app), Report(app), Audit(app), Actions(app),
        })
        {
            command.Add(sub);
        }

        return command;
    }

    private static Command Create(CliApplication app)
    {
        var name = new Argument<string>("name") { Description = "The template's name (1–200 characters)" };
        var command = new Command("create", "Create an unpublished template with no releases (T1)") { name };
        app.Bind(command, async (p, c, ct) =>
        {
            var template = await c.Templates.CreateTemplateAsync(p.GetRequiredValue(name), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.TemplateJson(template), console => console.WriteLine($"Created template '{template.Name}' ({template.Id})."));
        });
        return command;
    }

    private static Command Team(CliApplication app, bool add)
    {
        var id = Args.Template();
        var member = new Argument<string>("member") { Description = "The team member's actor id" };
        var command = new Command(add ? "team-add" : "team-remove", add ? "Add a team member: the team may change the template (X7)" : "Remove a team member, never the last (X7)") { id, member };
        app.Bind(command, async (p, c, ct) =>
        {
            var templateId = Parse.TemplateId(p.GetRequiredValue(id));
            var who = new Versioning.Core.ActorId(p.GetRequiredValue(member));
            var template = add
                ? await c.Templates.AddTeamMemberAsync(templateId, who, c.Actor, ct).ConfigureAwait(false)
                : await c.Templates.RemoveTeamMemberAsync(templateId, who, c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.TemplateJson(template), console => console.WriteLine($"Team of '{template.Name}': {string.Join(", ", template.Team.Order())}."));
        });
        return command;
    }

    private static Command Rename(CliApplication app)
    {
        var id = Args.Template();
        var name = new Argument<string>("name") { Description = "The new name (1–200 characters)" };
        var command = new Command("rename", "Rename a template (T1)") { id, name };
        app.Bind(command, async (p, c, ct) =>
        {
            var template = await c.Templates.RenameAsync(Parse.TemplateId(p.GetRequiredValue(id)), p.GetRequiredValue(name), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.TemplateJson(template), console => console.WriteLine($"Renamed template {template.Id} to '{template.Name}'."));
        });
        return command;
    }

    private static Command List(CliApplication app)
    {
        var command = new Command("list", "List templates by name");
        app.BindQuery(command, async (_, c, ct) =>
        {
            var templates = await c.Templates.ListTemplatesAsync(ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.SummariesJson(templates), console => TemplateView.Summaries(console, templates));
        });
        return command;
    }

    private static Command Show(CliApplication app)
    {
        var id = Args.Template();
        var command = new Command("show", "Show a template and its releases") { id };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var template = await c.Templates.GetTemplateAsync(Parse.TemplateId(p.GetRequiredValue(id)), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.TemplateJson(template), console => TemplateView.Template(console, template));
        });
        return command;
    }

    private static Command Releases(CliApplication app)
    {
        var id = Args.Template();
        var command = new Command("releases", "List a template's releases with their state") { id };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var template = await c.Templates.GetTemplateAsync(Parse.TemplateId(p.GetRequiredValue(id)), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.ReleasesJson(template.Releases), console => TemplateView.Releases(console, template));
        });
        return command;
    }

    private static Command Draft(CliApplication app)
    {
        var id = Args.Template();
        var content = Args.Content(required: false);
        var command = new Command("draft", "Add a Draft release, empty or with content (T2)") { id, content };
        app.Bind(command, async (p, c, ct) =>
        {
            var definition = p.GetValue(content) is { } file ? ContentFile.Read(file.FullName) : null;
            var release = await c.Templates.CreateDraftAsync(Parse.TemplateId(p.GetRequiredValue(id)), definition, c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.ReleaseJson(release), console => TemplateView.Release(console, "Created", release));
        });
        return command;
    }

    private static Command Edit(CliApplication app)
    {
        var id = Args.Template();
        var number = Args.Release();
        var content = Args.Content(required: false);
        var swap = new Option<string>("--swap-connector") { Description = "Instead of --content: replace this connector in every step that uses it (T9)", HelpName = "NAME" };
        var with = new Option<string>("--with") { Description = "The replacement connector for --swap-connector", HelpName = "NAME@VERSION" };
        var command = new Command("edit", "Replace a Draft's content from a file, or swap one of its connectors (T3, T9)") { id, number, content, swap, with };
        app.Bind(command, async (p, c, ct) =>
        {
            var templateId = Parse.TemplateId(p.GetRequiredValue(id));
            var release = (p.GetValue(content), p.GetValue(swap), p.GetValue(with)) switch
            {
                ({ } file, null, null) => await c.Templates.EditContentAsync(templateId, p.GetValue(number), ContentFile.Read(file.FullName), c.Actor, ct).ConfigureAwait(false),
                (null, { } connector, { } replacement) => await c.Templates.SwapConnectorAsync(templateId, p.GetValue(number), connector, Connector(replacement), c.Actor, ct).ConfigureAwait(false),
                _ => throw new CliUsageException("Give either --content FILE, or --swap-connector NAME --with NAME@VERSION."),
            };
            c.Output.Emit(TemplateView.ReleaseJson(release), console => TemplateView.Release(console, "Edited", release));
        });
        return command;
    }

    private static Command Notes(CliApplication app)
    {
        var id = Args.Template();
        var number = Args.Release();
        var text = new Argument<string>("text") { Description = "The release notes (up to 10 000 characters; \"\" clears them)" };
        var command = new Command("notes", "Set a release's notes, in any state (T4)") { id, number, text };
        app.Bind(command, async (p, c, ct) =>
        {
            var release = await c.Templates.SetNotesAsync(Parse.TemplateId(p.GetRequiredValue(id)), p.GetValue(number), p.GetRequiredValue(text), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.ReleaseJson(release), console => TemplateView.Release(console, "Updated notes of", release));
        });
        return command;
    }

    private static Command Promote(CliApplication app)
    {
        var id = Args.Template();
        var number = Args.Release();
        var command = new Command("promote", "Promote a Draft to Live; the previous Live release becomes Deprecated (T5–T7)") { id, number };
        app.Bind(command, async (p, c, ct) =>
        {
            var templateId = Parse.TemplateId(p.GetRequiredValue(id));
            var release = await c.Templates.PromoteAsync(templateId, p.GetValue(number), c.Actor, ct).ConfigureAwait(false);
            var template = await c.Templates.GetTemplateAsync(templateId, c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.ReleaseJson(release), console =>
            {
                console.WriteLine($"Release {release.Number} is Live.");
                TemplateView.Releases(console, template);
            });
        });
        return command;
    }

    private static Command Copy(CliApplication app)
    {
        var id = Args.Template();
        var number = Args.Release();
        var to = new Option<string>("--to") { Description = "Copy into this existing template instead of the same one", HelpName = "TEMPLATE" };
        var newTemplate = new Option<string>("--new-template") { Description = "Copy into a new template with this name", HelpName = "NAME" };
        var command = new Command("copy", "Copy a release (any state, e.g. Deprecated for a rollback) to a new Draft (T8)") { id, number, to, newTemplate };
        app.Bind(command, async (p, c, ct) =>
        {
            var templateId = Parse.TemplateId(p.GetRequiredValue(id));
            var (target, release) = (p.GetValue(to), p.GetValue(newTemplate)) switch
            {
                (null, null) => await c.Templates.CopyReleaseAsync(templateId, p.GetValue(number), null, c.Actor, ct).ConfigureAwait(false),
                ({ } other, null) => await c.Templates.CopyReleaseAsync(templateId, p.GetValue(number), Parse.TemplateId(other), c.Actor, ct).ConfigureAwait(false),
                (null, { } name) => await c.Templates.CopyReleaseToNewTemplateAsync(templateId, p.GetValue(number), name, c.Actor, ct).ConfigureAwait(false),
                _ => throw new CliUsageException("Give either --to TEMPLATE or --new-template NAME, not both."),
            };
            var json = TemplateView.ReleaseJson(release);
            json["template"] = target.ToString();
            c.Output.Emit(json, console => console.WriteLine($"Copied release {p.GetValue(number)} to Draft release {release.Number} of template {target}."));
        });
        return command;
    }

    private static Command Delete(CliApplication app)
    {
        var id = Args.Template();
        var number = Args.Release();
        var command = new Command("delete", "Delete a Draft or Deprecated release with no installations (T10)") { id, number };
        app.Bind(command, async (p, c, ct) =>
        {
            var template = await c.Templates.DeleteReleaseAsync(Parse.TemplateId(p.GetRequiredValue(id)), p.GetValue(number), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.TemplateJson(template), console => console.WriteLine($"Deleted release {p.GetValue(number)} of '{template.Name}'."));
        });
        return command;
    }

    private static Command RunOrPause(CliApplication app, bool run)
    {
        var id = Args.Template();
        var number = Args.Release();
        var command = new Command(run ? "run" : "pause", run ? "Start a Draft or Live release running (T11)" : "Pause a release (T11)") { id, number };
        app.Bind(command, async (p, c, ct) =>
        {
            var templateId = Parse.TemplateId(p.GetRequiredValue(id));
            var release = run
                ? await c.Templates.RunAsync(templateId, p.GetValue(number), c.Actor, ct).ConfigureAwait(false)
                : await c.Templates.PauseAsync(templateId, p.GetValue(number), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.ReleaseJson(release), console => TemplateView.Release(console, run ? "Started" : "Paused", release));
        });
        return command;
    }

    private static Command Publish(CliApplication app, bool publish)
    {
        var id = Args.Template();
        var command = new Command(publish ? "publish" : "unpublish", publish ? "Publish a template so it can be installed (T12)" : "Unpublish a template: no new installations (T12)") { id };
        app.Bind(command, async (p, c, ct) =>
        {
            var template = await c.Templates.SetPublishedAsync(Parse.TemplateId(p.GetRequiredValue(id)), publish, c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.TemplateJson(template), console => console.WriteLine($"Template '{template.Name}' is {(template.Published ? "published" : "unpublished")}."));
        });
        return command;
    }

    private static Command Install(CliApplication app)
    {
        var id = Args.Template();
        var account = Args.Account("Install for this account");
        var user = Args.User("Install for this user");
        var settings = Args.Settings();
        var command = new Command("install", "Install a published template: bound to its Live release, Paused (T12)") { id, account, user, settings };
        app.Bind(command, async (p, c, ct) =>
        {
            var owner = Parse.Owner(p.GetValue(account), p.GetValue(user));
            var installation = await c.Templates.InstallAsync(Parse.TemplateId(p.GetRequiredValue(id)), owner, c.Actor, Parse.Settings(p.GetValue(settings)), cancellationToken: ct).ConfigureAwait(false);
            c.Output.Emit(MigrationView.InstallationJson(installation), console => MigrationView.Installation(console, "Created", installation));
        });
        return command;
    }

    private static Command Upgrade(CliApplication app)
    {
        var id = Args.Template();
        var percent = Args.Percent();
        var account = Args.Account("Upgrade only this account's installations");
        var user = Args.User("Upgrade only this user's installations");
        var batchSize = Args.BatchSize();
        var maxBatches = Args.MaxBatches();
        var command = new Command("upgrade", "Upgrade installations to the Live release, with a progress bar (T13)") { id, percent, account, user, batchSize, maxBatches };
        app.Bind(command, async (p, c, ct) =>
        {
            var scope = Parse.Scope(p.GetValue(percent), p.GetValue(account), p.GetValue(user));
            var job = await c.Migrations.StartUpgradeAsync(Parse.TemplateId(p.GetRequiredValue(id)), scope, c.Actor, p.GetValue(batchSize), ct).ConfigureAwait(false);
            job = await JobRunner.RunAsync(c, job, p.GetValue(maxBatches), ct).ConfigureAwait(false);
            c.Output.Emit(MigrationView.JobJson(job), console => MigrationView.Jobs(console, "Upgrade job", [job]));
        });
        return command;
    }

    private static Command Jobs(CliApplication app)
    {
        var id = Args.Template();
        var command = new Command("jobs", "List a template's upgrade jobs, newest first") { id };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var jobs = await c.Migrations.ListJobsAsync(ProductRef.Of(Parse.TemplateId(p.GetRequiredValue(id))), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(MigrationView.JobsJson(jobs), console => MigrationView.Jobs(console, "Upgrade jobs", jobs));
        });
        return command;
    }

    private static Command Report(CliApplication app)
    {
        var id = Args.Template();
        var number = Args.Release();
        var command = new Command("report", "Report on a release: state, connectors, installations (T16)") { id, number };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var report = await c.Templates.GetReportAsync(Parse.TemplateId(p.GetRequiredValue(id)), p.GetValue(number), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(TemplateView.ReportJson(report), console => TemplateView.Report(console, report));
        });
        return command;
    }

    private static Command Audit(CliApplication app)
    {
        var id = Args.Template();
        var command = new Command("audit", "Show a template's audit trail, oldest first (T14)") { id };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var template = await c.Templates.GetTemplateAsync(Parse.TemplateId(p.GetRequiredValue(id)), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(CommonView.AuditJson(template.AuditTrail), console => CommonView.Audit(console, $"Audit trail of '{template.Name}'", template.AuditTrail));
        });
        return command;
    }

    private static Command Actions(CliApplication app)
    {
        var id = Args.Template();
        var number = Args.Release();
        var command = new Command("actions", "Show which actions a release allows now, and the rule blocking the others (X5)") { id, number };
        app.BindQuery(command, async (p, c, ct) =>
        {
            var actions = await c.Templates.GetActionsAsync(Parse.TemplateId(p.GetRequiredValue(id)), p.GetValue(number), c.Actor, ct).ConfigureAwait(false);
            c.Output.Emit(CommonView.ActionsJson(actions), console => CommonView.Actions(console, $"Actions on release {p.GetValue(number)}", actions));
        });
        return command;
    }

    private static ConnectorRef Connector(string text)
    {
        var at = text.LastIndexOf('@');
        return at > 0 && at < text.Length - 1
            ? new ConnectorRef(text[..at], text[(at + 1)..])
            : throw new FormatException($"--with '{text}' must look like NAME@VERSION, for example Salesforce@2.1.");
    }

}
