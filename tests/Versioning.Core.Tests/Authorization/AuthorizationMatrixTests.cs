using System.Reflection;
using NodaTime;
using Versioning.Core.Authorization;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Versioning.Core.Tests.Installations;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Authorization;

/// <summary>
/// The authorization matrix (X7): every public mutating method of every service, run by the product's team (or the
/// installation's owner) and by an outsider, on a fresh in-memory world. Allowed calls must succeed; denied calls must
/// throw <see cref="VersioningAccessDeniedException"/> and change nothing. Reflection lists the services' public
/// methods, so a new command without a row here (or in <see cref="Reads"/>) fails the test.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    internal static readonly ActorId Team = VersioningHarness.Team;
    internal static readonly ActorId Owen = new("owen");
    internal static readonly ActorId Mallory = new("mallory");
    internal static readonly ActorId Tess = new("tess");

    private static readonly Type[] Services = [typeof(TemplateService), typeof(IntegrationService), typeof(InstallationService), typeof(MigrationService)];

    /// <summary>The read-only methods: the visibility matrix covers the ones that take a viewer.</summary>
    internal static readonly string[] Reads =
    [
        "TemplateService.GetTemplateAsync", "TemplateService.ListTemplatesAsync", "TemplateService.GetReportAsync", "TemplateService.GetActionsAsync",
        "IntegrationService.GetIntegrationAsync", "IntegrationService.GetVersionAsync", "IntegrationService.ListIntegrationsAsync",
        "IntegrationService.ListVersionsAsync", "IntegrationService.ListNoticesDueAsync", "IntegrationService.GetActionsAsync",
        "IntegrationService.ListCanariesAsync", "IntegrationService.ListEndedCanariesAsync",
        "InstallationService.GetAsync", "InstallationService.CanRunAsync", "InstallationService.ListAsync", "InstallationService.ListByVersionAsync",
        "MigrationService.GetJobAsync", "MigrationService.ListJobsAsync",
    ];

    /// <summary>
    /// The reads that take no viewer: catalog summaries (name, counts, the promoted version). Every other read takes an
    /// <see cref="ActorId"/> viewer (X8); a new read without one fails <see cref="EveryRead_ButTheCatalogSummaries_TakesAViewer_X8"/>.
    /// </summary>
    internal static readonly string[] ReadsWithoutViewer = ["TemplateService.ListTemplatesAsync", "IntegrationService.ListIntegrationsAsync"];

    /// <summary>Who may run each command by default (besides: creating a template or integration is open to anyone).</summary>
    internal enum Allowed
    {
        /// <summary>The product's team only.</summary>
        Team,

        /// <summary>The product's team, or the (user) owner of the installation.</summary>
        TeamOrOwner,

        /// <summary>Anyone: creates a new product, whose team the caller starts.</summary>
        Anyone,
    }

    internal sealed record Row(string Method, Allowed Allowed, Func<World, ActorId, Task> Call)
    {
        public override string ToString() => Method;
    }

    internal static readonly Row[] Rows =
    [
        new("TemplateService.CreateTemplateAsync", Allowed.Anyone, (w, a) => w.H.Templates.CreateTemplateAsync("Mine", a)),
        new("TemplateService.AddTeamMemberAsync", Allowed.Team, (w, a) => w.H.Templates.AddTeamMemberAsync(w.Template, new ActorId("newbie"), a)),
        new("TemplateService.RemoveTeamMemberAsync", Allowed.Team, (w, a) => w.H.Templates.RemoveTeamMemberAsync(w.Template, Tess, a)),
        new("TemplateService.RenameAsync", Allowed.Team, (w, a) => w.H.Templates.RenameAsync(w.Template, "Renamed", a)),
        new("TemplateService.SetPublishedAsync", Allowed.Team, (w, a) => w.H.Templates.SetPublishedAsync(w.Template, false, a)),
        new("TemplateService.CreateDraftAsync", Allowed.Team, (w, a) => w.H.Templates.CreateDraftAsync(w.Template, null, a)),
        new("TemplateService.EditContentAsync", Allowed.Team, (w, a) => w.H.Templates.EditContentAsync(w.Template, R(2), VersioningHarness.ContentWithoutMail, a)),
        new("TemplateService.SwapConnectorAsync", Allowed.Team, (w, a) => w.H.Templates.SwapConnectorAsync(w.Template, R(2), "Crm", new ConnectorRef("Crm", "2"), a)),
        new("TemplateService.SetNotesAsync", Allowed.Team, (w, a) => w.H.Templates.SetNotesAsync(w.Template, R(1), "Rewritten.", a)),
        new("TemplateService.PromoteAsync", Allowed.Team, (w, a) => w.H.Templates.PromoteAsync(w.Template, R(2), a)),
        new("TemplateService.CopyReleaseAsync", Allowed.Team, (w, a) => w.H.Templates.CopyReleaseAsync(w.Template, R(2), null, a)),
        new("TemplateService.CopyReleaseToNewTemplateAsync", Allowed.Team, (w, a) => w.H.Templates.CopyReleaseToNewTemplateAsync(w.Template, R(2), "Copied", a)),
        new("TemplateService.DeleteReleaseAsync", Allowed.Team, (w, a) => w.H.Templates.DeleteReleaseAsync(w.Template, R(2), a)),
        new("TemplateService.RunAsync", Allowed.Team, (w, a) => w.H.Templates.RunAsync(w.Template, R(1), a)),
        new("TemplateService.PauseAsync", Allowed.Team, (w, a) => w.H.Templates.PauseAsync(w.Template, R(1), a)),
        new("TemplateService.InstallAsync", Allowed.TeamOrOwner, (w, a) => w.H.Templates.InstallAsync(w.Template, OwnerRef.User(Owen.Value), a)),
        new("IntegrationService.CreateIntegrationAsync", Allowed.Anyone, (w, a) => w.H.Integrations.CreateIntegrationAsync("Mine", a)),
        new("IntegrationService.AddTeamMemberAsync", Allowed.Team, (w, a) => w.H.Integrations.AddTeamMemberAsync(w.App, new ActorId("newbie"), a)),
        new("IntegrationService.RemoveTeamMemberAsync", Allowed.Team, (w, a) => w.H.Integrations.RemoveTeamMemberAsync(w.App, Tess, a)),
        new("IntegrationService.CreateVersionAsync", Allowed.Team, (w, a) => w.H.Integrations.CreateVersionAsync(w.App, V("1.3.0"), null, a)),
        new("IntegrationService.CloneVersionAsync", Allowed.Team, (w, a) => w.H.Integrations.CloneVersionAsync(w.App, V("1.0.0"), V("1.3.0"), a)),
        new("IntegrationService.EditContentAsync", Allowed.Team, (w, a) => w.H.Integrations.EditContentAsync(w.App, V("1.2.0"), VersioningHarness.Content, a)),
        new("IntegrationService.SetNotesAsync", Allowed.Team, (w, a) => w.H.Integrations.SetNotesAsync(w.App, V("1.2.0"), "Rewritten.", a)),
        new("IntegrationService.ShareAsync", Allowed.Team, (w, a) => w.H.Integrations.ShareAsync(w.App, V("1.2.0"), new ActorId("sam"), a)),
        new("IntegrationService.ShareWithAsync", Allowed.Team, (w, a) => w.H.Integrations.ShareWithAsync(w.App, V("1.2.0"), OwnerRef.Account("acme"), a)),
        new("IntegrationService.UnshareAsync", Allowed.Team, (w, a) => w.H.Integrations.UnshareAsync(w.App, V("1.2.0"), Owen, a)),
        new("IntegrationService.UnshareWithAsync", Allowed.Team, (w, a) => w.H.Integrations.UnshareWithAsync(w.App, V("1.2.0"), OwnerRef.User(Owen.Value), a)),
        new("IntegrationService.PromoteAsync", Allowed.Team, (w, a) => w.H.Integrations.PromoteAsync(w.App, V("1.2.0"), a)),
        new("IntegrationService.MarkLegacyAsync", Allowed.Team, (w, a) => w.H.Integrations.MarkLegacyAsync(w.App, V("1.2.0"), a)),
        new("IntegrationService.DeprecateAsync", Allowed.Team, (w, a) => w.H.Integrations.DeprecateAsync(w.App, V("1.2.0"), new LocalDate(2026, 6, 1), DeprecationReason.Replaced, null, a)),
        new("IntegrationService.DeleteVersionAsync", Allowed.Team, (w, a) => w.H.Integrations.DeleteVersionAsync(w.App, V("1.2.0"), a)),
        new("IntegrationService.StartCanaryAsync", Allowed.Team, (w, a) =>
        {
            w.H.Clock.Advance(Duration.FromMinutes(1)); // the world's canary has ended: another may start (K1)
            return w.H.Integrations.StartCanaryAsync(w.App, V("1.0.0"), V("1.1.0"), 10, Duration.FromHours(1), CanaryScope.All, a);
        }),
        new("IntegrationService.DeleteCanaryAsync", Allowed.Team, (w, a) => w.H.Integrations.DeleteCanaryAsync(w.App, w.Canary, a)),
        new("IntegrationService.RecordCanaryExpiredAsync", Allowed.Team, (w, a) =>
        {
            w.H.Clock.Advance(Duration.FromMinutes(1));
            return w.H.Integrations.RecordCanaryExpiredAsync(w.App, w.Canary, a);
        }),
        new("IntegrationService.InstallAsync", Allowed.TeamOrOwner, (w, a) => w.H.Integrations.InstallAsync(w.App, OwnerRef.User(Owen.Value), a)),
        new("InstallationService.InstallAsync", Allowed.TeamOrOwner, (w, a) => w.H.Installations.InstallAsync(ProductRef.Of(w.App), OwnerRef.User(Owen.Value), a)),
        new("InstallationService.SetStatusAsync", Allowed.TeamOrOwner, (w, a) => w.H.Installations.SetStatusAsync(w.OwensInstallation, RunStatus.Running, a)),
        new("InstallationService.SetSettingsAsync", Allowed.TeamOrOwner, (w, a) => w.H.Installations.SetSettingsAsync(w.OwensInstallation, [new("webhook", "https://elsewhere.example")], a)),
        new("MigrationService.StartMigrationAsync", Allowed.Team, (w, a) => w.H.Migrations.StartMigrationAsync(w.App, V("1.0.0"), V("1.1.0"), MigrationScope.All, a)),
        new("MigrationService.StartUpgradeAsync", Allowed.Team, (w, a) => w.H.Migrations.StartUpgradeAsync(w.Template, MigrationScope.All, a)),
        new("MigrationService.StartAsync", Allowed.Team, (w, a) => w.H.Migrations.StartAsync(ProductRef.Of(w.Template), null, null, MigrationScope.All, a)),
        new("MigrationService.RunAsync", Allowed.Team, (w, a) => w.H.Migrations.RunAsync(w.Migration, a)),
        new("MigrationService.AbortAsync", Allowed.Team, (w, a) => w.H.Migrations.AbortAsync(w.Migration, a)),
    ];

    public static TheoryData<string> Commands() => [.. Rows.Select(r => r.Method)];

    [Fact]
    public void EveryPublicServiceMethod_HasARowInTheMatrixOrIsARead_X7()
    {
        var methods = Services
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => $"{t.Name}.{m.Name}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        var covered = Rows.Select(r => r.Method).Concat(Reads).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(methods, covered);
        Assert.Equal(Rows.Length, Rows.Select(r => r.Method).Distinct().Count());
    }

    [Fact]
    public void EveryRead_ButTheCatalogSummaries_TakesAViewer_X8()
    {
        var withoutViewer = Services
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => (Name: $"{t.Name}.{m.Name}", Method: m)))
            .Where(m => Reads.Contains(m.Name) && !m.Method.GetParameters().Any(p => p.ParameterType == typeof(ActorId) && p.Name == "viewer"))
            .Select(m => m.Name)
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal(ReadsWithoutViewer.Order(StringComparer.Ordinal), withoutViewer);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Command_ByTeamOrOwner_IsAllowed_X7(string method)
    {
        var row = Rows.Single(r => r.Method == method);
        using var world = await World.CreateAsync();
        await row.Call(world, Team);

        if (row.Allowed == Allowed.TeamOrOwner)
        {
            using var second = await World.CreateAsync();
            await row.Call(second, Owen);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Command_ByOutsider_IsDeniedAndChangesNothing_X7(string method)
    {
        var row = Rows.Single(r => r.Method == method);
        using var world = await World.CreateAsync();
        var before = await world.CaptureAsync();

        if (row.Allowed == Allowed.Anyone)
        {
            await row.Call(world, Mallory);
            Assert.Equal(before.Events + 1, (await world.CaptureAsync()).Events);
            return;
        }

        var denied = await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => row.Call(world, Mallory));
        Assert.Equal(Mallory, denied.Actor);
        Assert.Contains("X7", denied.Message, StringComparison.Ordinal);
        Assert.Equal(before, await world.CaptureAsync());
    }

    private static VersionNumber V(string text) => VersionNumber.Parse(text);

    /// <summary>
    /// One fresh world: a published template (release 1 Live, 2 Draft) and an integration (1.0.0 Available, 1.1.0
    /// Promoted, 1.2.0 Private shared with Owen; a 30-second canary 1.0.0 → 1.1.0), both of <see cref="Team"/> with Tess as second member; Owen's own
    /// installation of 1.0.0; Acme's account installation; a migration job 1.0.0 → 1.1.0.
    /// </summary>
    internal sealed class World : IDisposable
    {
        private World(VersioningHarness h) => H = h;

        public VersioningHarness H { get; }

        public TemplateId Template { get; private set; }

        public IntegrationId App { get; private set; }

        public InstallationId OwensInstallation { get; private set; }

        public InstallationId AcmesInstallation { get; private set; }

        public MigrationId Migration { get; private set; }

        public CanaryId Canary { get; private set; }

        public static async Task<World> CreateAsync()
        {
            var w = new World(new VersioningHarness());
            var h = w.H;
            var template = await h.Templates.CreateTemplateAsync("Tpl", Team);
            w.Template = template.Id;
            await h.Templates.AddTeamMemberAsync(w.Template, Tess, Team);
            await h.Templates.CreateDraftAsync(w.Template, VersioningHarness.Content, Team);
            await h.Templates.CreateDraftAsync(w.Template, VersioningHarness.Content, Team);
            await h.Templates.PromoteAsync(w.Template, R(1), Team);
            await h.Templates.SetPublishedAsync(w.Template, true, Team);

            w.App = await h.NewIntegrationAsync();
            await h.Integrations.AddTeamMemberAsync(w.App, Tess, Team);
            w.OwensInstallation = (await h.Integrations.InstallAsync(w.App, OwnerRef.User(Owen.Value), Owen, [new("webhook", "https://owen.example")])).Id;
            w.AcmesInstallation = (await h.Integrations.InstallAsync(w.App, OwnerRef.Account("acme"), Team)).Id;
            await h.AddVersionAsync(w.App, "1.1.0", promote: true);
            await h.AddVersionAsync(w.App, "1.2.0");
            await h.Integrations.ShareAsync(w.App, V("1.2.0"), Owen, Team);
            w.Migration = (await h.Migrations.StartMigrationAsync(w.App, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team)).Id;
            w.Canary = (await h.Integrations.StartCanaryAsync(w.App, V("1.0.0"), V("1.1.0"), 10, Duration.FromSeconds(30), CanaryScope.All, Team)).Id;
            return w;
        }

        /// <summary>Everything a denied command must leave as it was (X1, X7).</summary>
        public async Task<Picture> CaptureAsync()
        {
            var app = await H.CaptureAsync(ProductRef.Of(App));
            var template = await H.CaptureAsync(ProductRef.Of(Template));
            var owens = await H.Installations.GetAsync(OwensInstallation, VersioningHarness.Team);
            var acmes = await H.Installations.GetAsync(AcmesInstallation, VersioningHarness.Team);
            return new Picture(
                string.Join(";", app.Counts) + "|" + string.Join(";", app.Jobs) + "|" + string.Join(";", template.Jobs),
                app.AggregateRevision,
                template.AggregateRevision,
                $"{owens.Revision}:{owens.Status}:{string.Join(",", owens.Settings)}|{acmes.Revision}:{acmes.Status}",
                H.Store.EventCount);
        }

        public void Dispose() => H.Dispose();
    }

    internal sealed record Picture(string CountsAndJobs, long AppRevision, long TemplateRevision, string Installations, long Events);
}
