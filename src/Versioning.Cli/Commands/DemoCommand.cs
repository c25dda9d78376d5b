using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using NodaTime;
using Spectre.Console;
using Versioning.Cli.Hosting;
using Versioning.Cli.Output;
using Versioning.Core;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Versioning.Core.Services;
using Versioning.Cli.Input;

namespace Versioning.Cli.Commands;

/// <summary>
/// <c>versioning demo</c>: a scripted walkthrough of both lifecycles on the selected store (a fresh temporary SQLite
/// file unless <c>--db</c> or <c>--postgres</c> is given), on a <see cref="ManualClock"/> that the script moves forward.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The command.</returns>
    public static Command Build(CliApplication app)
    {
        var installations = new Option<int>("--installations")
        {
            Description = "How many installations the migration moves half of (1–100 000)",
            HelpName = "N",
            DefaultValueFactory = _ => 10_000,
        };
        installations.Validators.Add(r =>
        {
            // A value that is not a number is reported by the parser; only check the range of a number.
            if (r.Tokens.Count > 0 && !int.TryParse(r.Tokens[^1].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return;
            }

            if (r.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                r.AddError("--installations must be between 1 and 100000.");
            }
        });
        var command = new Command("demo", "A scripted walkthrough of both lifecycles: drafts, promotion, rollback, promotion checks, deprecation on a moving clock and a migration with a progress bar") { installations };
        command.SetAction(async (p, ct) =>
        {
            var settings = app.Globals.Read(p);
            var output = app.CreateOutput(settings);
            var temporary = settings.StoreIsExplicit ? null : Path.Combine(Path.GetTempPath(), $"versioning-demo-{Guid.NewGuid():N}.db");
            var store = temporary is null ? settings.Store : new StoreChoice.Sqlite(temporary);
            try
            {
                // Whole seconds, so the timestamps in the tables stay short.
                var clock = new ManualClock(settings.At ?? Instant.FromUnixTimeSeconds(SystemClock.Instance.GetCurrentInstant().ToUnixTimeSeconds()));
                await using var session = CliSession.Open(store, clock);
                var script = new Script(output, session, clock, settings.Actor, p.GetValue(installations));
                output.Line(temporary is null ? $"Store: {Describe(store)}" : $"Store: a fresh SQLite file {temporary} (deleted afterwards; pass --db PATH to keep it)");
                await script.RunAsync(ct).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            finally
            {
                if (temporary is not null)
                {
                    DeleteDatabase(temporary);
                }
            }
        });
        return command;
    }

    private static string Describe(StoreChoice store) => store switch
    {
        StoreChoice.Sqlite s => $"SQLite file {s.Path}",
        _ => "PostgreSQL",
    };

    private static void DeleteDatabase(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Left in the temp folder; harmless.
            }
        }
    }

    /// <summary>The walkthrough itself.</summary>
    private sealed class Script(CliOutput output, CliSession session, ManualClock clock, ActorId alice, int installationCount)
    {
        private static readonly ActorId Bob = new("bob");
        private readonly Stopwatch _watch = new();
        private readonly JsonObject _summary = [];
        private int _section;

        private IAnsiConsole Console => output.Console;

        private TemplateService Templates => session.Templates;

        private IntegrationService Integrations => session.Integrations;

        private MigrationService Migrations => session.Migrations;

        private InstallationService Installations => session.Installations;

        public async Task RunAsync(CancellationToken ct)
        {
            _watch.Start();
            await TemplateReleasesAsync(ct).ConfigureAwait(false);
            var integration = await IntegrationVersionsAsync(ct).ConfigureAwait(false);
            await MigrationAsync(integration, ct).ConfigureAwait(false);
            await DeprecationAsync(integration, ct).ConfigureAwait(false);
            _watch.Stop();
            _summary["seconds"] = Math.Round(_watch.Elapsed.TotalSeconds, 2);
            Section("Done");
            output.Line($"Demo finished in {_watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s. Try 'versioning diagram --lifecycle versions' or 'versioning --help' next.");
            if (output.Json)
            {
                output.WriteJson(_summary);
            }
        }

        private async Task TemplateReleasesAsync(CancellationToken ct)
        {
            Section("Template releases (Cyclr-style): Draft → Live → Deprecated");
            var template = await Templates.CreateTemplateAsync("Order sync", alice, ct).ConfigureAwait(false);
            _summary["template"] = template.Id.ToString();
            Say($"Created template '{template.Name}' ({template.Id}) as {alice}.");
            var first = await Templates.CreateDraftAsync(template.Id, Workflow(("New order", "Shopify", "2.0", "OrderCreated"), ("Create invoice", "Xero", "1.4", "CreateInvoice")), alice, ct).ConfigureAwait(false);
            await Templates.SetNotesAsync(template.Id, first.Number, "First release: invoices for new Shopify orders.", alice, ct).ConfigureAwait(false);
            await Templates.PromoteAsync(template.Id, first.Number, alice, ct).ConfigureAwait(false);
            await Templates.SetPublishedAsync(template.Id, true, alice, ct).ConfigureAwait(false);
            Say($"Drafted release {first.Number}, added notes, promoted it to Live and published the template.");
            foreach (var account in new[] { "acme", "globex", "initech" })
            {
                await Templates.InstallAsync(template.Id, OwnerRef.Account(account), alice, [KeyValuePair.Create("currency", "EUR")], cancellationToken: ct).ConfigureAwait(false);
            }

            Say("Installed it for acme, globex and initech: each installation is bound to release 1 (T12).");
            var second = await Templates.CreateDraftAsync(template.Id, Workflow(("New order", "Shopify", "3.0", "OrderCreated"), ("Create invoice", "Xero", "1.4", "CreateInvoice"), ("Notify", "Slack", "1.0", "PostMessage")), alice, ct).ConfigureAwait(false);
            await Templates.SetNotesAsync(template.Id, second.Number, "Shopify API 3.0 and a Slack notification.", alice, ct).ConfigureAwait(false);
            await Templates.PromoteAsync(template.Id, second.Number, alice, ct).ConfigureAwait(false);
            Say($"Drafted release {second.Number} and promoted it: release {first.Number} became Deprecated in the same step (T6).");
            await ShowReleasesAsync(template.Id, ct).ConfigureAwait(false);

            Say("Live and Deprecated releases are locked. Trying to edit the Live release:");
            await RefusedAsync(() => Templates.EditContentAsync(template.Id, second.Number, WorkflowDefinition.Empty, alice, ct)).ConfigureAwait(false);
            Say($"What release {first.Number} (Deprecated) still allows, and which rule blocks the rest:");
            var actions = await Templates.GetActionsAsync(template.Id, first.Number, alice, ct).ConfigureAwait(false);
            Render(c => CommonView.Actions(c, $"Actions on release {first.Number}", actions));

            Section("Rollback: copy the Deprecated release to a new Draft and promote it");
            var (_, copy) = await Templates.CopyReleaseAsync(template.Id, first.Number, null, alice, ct).ConfigureAwait(false);
            await Templates.PromoteAsync(template.Id, copy.Number, alice, ct).ConfigureAwait(false);
            Say($"Copied release {first.Number} to Draft release {copy.Number} (T8) and promoted it: release {second.Number} is now Deprecated.");
            await ShowReleasesAsync(template.Id, ct).ConfigureAwait(false);
            Say($"Upgrading every installation to the Live release {copy.Number} (T13):");
            var job = await Migrations.StartUpgradeAsync(template.Id, MigrationScope.All, alice, null, ct).ConfigureAwait(false);
            job = await JobRunner.RunAsync(output, Migrations, alice, job, null, ct).ConfigureAwait(false);
            var report = await Templates.GetReportAsync(template.Id, copy.Number, alice, ct).ConfigureAwait(false);
            Render(c => TemplateView.Report(c, report));
            _summary["upgradeMoved"] = job.Moved;
        }

        private async Task<IntegrationId> IntegrationVersionsAsync(CancellationToken ct)
        {
            Section("Integration versions (Zapier-style): Private → Promoted → Available");
            var integration = await Integrations.CreateIntegrationAsync("CRM connector", alice, ct).ConfigureAwait(false);
            _summary["integration"] = integration.Id.ToString();
            await Integrations.AddTeamMemberAsync(integration.Id, Bob, alice, ct).ConfigureAwait(false);
            var v100 = new VersionNumber(1, 0, 0);
            var v110 = new VersionNumber(1, 1, 0);
            var content = Workflow(("Find contact", "Salesforce", "58.0", "FindContact"), ("Update deal", "Salesforce", "58.0", "UpdateOpportunity"));
            await Integrations.CreateVersionAsync(integration.Id, v100, content, alice, ct).ConfigureAwait(false);
            await Integrations.SetNotesAsync(integration.Id, v100, "First public version.", alice, ct).ConfigureAwait(false);
            await Integrations.PromoteAsync(integration.Id, v100, alice, ct).ConfigureAwait(false);
            Say($"Created integration '{integration.Name}' ({integration.Id}) with team {alice}, {Bob}; version {v100} is Promoted.");

            Say($"Installing {Format.Count(installationCount)} installations of {v100} (Z10):");
            await InstallManyAsync(integration.Id, ct).ConfigureAwait(false);

            Section("Promotion checks (Z8)");
            await Integrations.CreateVersionAsync(integration.Id, v110, null, Bob, ct).ConfigureAwait(false);
            Say($"{Bob} created version {v110} empty and without notes, then tried to promote it:");
            await RefusedAsync(() => Integrations.PromoteAsync(integration.Id, v110, Bob, ct)).ConfigureAwait(false);
            var fixedContent = new WorkflowDefinition([.. content.Steps, new Step("Log activity", new ConnectorRef("Salesforce", "58.0"), "CreateTask")]);
            await Integrations.EditContentAsync(integration.Id, v110, fixedContent, Bob, ct).ConfigureAwait(false);
            await Integrations.SetNotesAsync(integration.Id, v110, "Logs an activity on every update.", Bob, ct).ConfigureAwait(false);
            var promotion = await Integrations.PromoteAsync(integration.Id, v110, Bob, ct).ConfigureAwait(false);
            Say($"With the steps restored (plus one) and notes added, the promotion passes: {v110} is Promoted and {promotion.Previous} is Available (Z7, Z9).");
            await ShowVersionsAsync(integration.Id, false, ct).ConfigureAwait(false);
            return integration.Id;
        }

        private async Task MigrationAsync(IntegrationId integration, CancellationToken ct)
        {
            Section("Migration: 50 % of the installations from 1.0.0 to 1.1.0 (M1–M5)");
            var job = await Migrations.StartMigrationAsync(integration, new VersionNumber(1, 0, 0), new VersionNumber(1, 1, 0), MigrationScope.Percentage(50), alice, Math.Clamp(installationCount / 20, 1, 1_000), ct).ConfigureAwait(false);
            job = await JobRunner.RunAsync(output, Migrations, alice, job, null, ct).ConfigureAwait(false);
            Render(c => MigrationView.Jobs(c, "Migration job", [job]));
            _summary["migration"] = MigrationView.JobJson(job);
            await ShowVersionsAsync(integration, false, ct).ConfigureAwait(false);
        }

        private async Task DeprecationAsync(IntegrationId integration, CancellationToken ct)
        {
            Section("Deprecation on a moving clock (Z11–Z14)");
            var v100 = new VersionNumber(1, 0, 0);
            await Integrations.MarkLegacyAsync(integration, v100, alice, ct).ConfigureAwait(false);
            var date = (clock.Now + Duration.FromDays(30)).InUtc().Date;
            var schedule = await Integrations.DeprecateAsync(integration, v100, date, DeprecationReason.Replaced, null, alice, ct).ConfigureAwait(false);
            Say($"Marked {v100} Legacy (no new installations), then deprecated it on {Format.Date(date)}: it is Deprecating until {Format.Instant(schedule.EffectiveAt)}.");
            await ShowVersionsAsync(integration, false, ct).ConfigureAwait(false);
            var onOldVersion = (await FirstInstallationOnAsync(integration, v100, ct).ConfigureAwait(false)).Id;
            await Installations.SetStatusAsync(onOldVersion, RunStatus.Running, alice, ct).ConfigureAwait(false);
            Say($"Installation {onOldVersion} (not in the migrated half) is set Running on {v100}.");

            var day = 0;
            foreach (var days in new[] { 10, 10, 11 })
            {
                clock.AdvanceDays(days);
                day += days;
                Say($"The clock moves {days} days on, to {Format.Instant(clock.Now)}.");
                var notices = await Integrations.ListNoticesDueAsync(alice, null, ct).ConfigureAwait(false);
                var now = clock.Now;
                Render(c => IntegrationView.Notices(c, now, notices));
                await ShowVersionsAsync(integration, true, ct).ConfigureAwait(false);
                var canRun = await Installations.CanRunAsync(onOldVersion, alice, null, ct).ConfigureAwait(false);
                Say($"A Running installation still on {v100} {(canRun ? "runs" : "no longer runs")} (I3, Z14).");
                _summary[string.Create(CultureInfo.InvariantCulture, $"canRunOnDay{day}")] = canRun;
            }
        }

        private async Task InstallManyAsync(IntegrationId integration, CancellationToken ct)
        {
            await ProgressDisplay.RunAsync(output, "Installing", installationCount, async report =>
            {
                for (var i = 0; i < installationCount; i++)
                {
                    await Integrations.InstallAsync(integration, OwnerRef.Account(string.Create(CultureInfo.InvariantCulture, $"account-{i:D5}")), alice, cancellationToken: ct).ConfigureAwait(false);
                    report(i + 1, $"Installing: {Format.Count(i + 1)} of {Format.Count(installationCount)}");
                }
            }).ConfigureAwait(false);
        }

        private async Task<Installation> FirstInstallationOnAsync(IntegrationId integration, VersionNumber version, CancellationToken ct)
        {
            var pinned = VersionKey.ForVersion(version);
            InstallationId? after = null;
            while (true)
            {
                var page = await Installations.ListAsync(ProductRef.Of(integration), alice, after, 1_000, ct).ConfigureAwait(false);
                if (page.FirstOrDefault(i => i.Pinned == pinned) is { } found)
                {
                    return found;
                }

                after = page.Count > 0 ? page[^1].Id : throw new InvalidOperationException($"No installation is left on {version}.");
            }
        }

        private async Task ShowReleasesAsync(TemplateId id, CancellationToken ct)
        {
            var template = await Templates.GetTemplateAsync(id, alice, ct).ConfigureAwait(false);
            Render(c => TemplateView.Releases(c, template));
        }

        private async Task ShowVersionsAsync(IntegrationId id, bool includeDeprecated, CancellationToken ct)
        {
            var now = clock.Now;
            var rows = await Integrations.ListVersionsAsync(id, alice, now, includeDeprecated, ct).ConfigureAwait(false);
            Render(c => IntegrationView.Listing(c, $"Versions at {Format.Instant(now)}", rows));
        }

        private async Task RefusedAsync<T>(Func<Task<T>> command)
        {
            try
            {
                await command().ConfigureAwait(false);
                throw new InvalidOperationException("The demo expected this command to be refused.");
            }
            catch (VersioningRuleException ex)
            {
                Say(CliApplication.RefusedMessage(ex));
                var refusals = _summary["refusals"] as JsonArray ?? [];
                refusals.Add(ex.RuleId);
                _summary["refusals"] = refusals;
            }
        }

        private void Section(string title)
        {
            if (!output.Json)
            {
                Console.WriteLine();
                Console.Write(new Rule(Markup.Escape($"{++_section}. {title}")).LeftJustified());
            }
        }

        private void Say(string text) => output.Line(text);

        private void Render(Action<IAnsiConsole> render)
        {
            if (!output.Json)
            {
                render(Console);
            }
        }

        private static WorkflowDefinition Workflow(params (string Name, string Connector, string Version, string Operation)[] steps)
            => new(steps.Select(s => new Step(s.Name, new ConnectorRef(s.Connector, s.Version), s.Operation)));
    }
}
