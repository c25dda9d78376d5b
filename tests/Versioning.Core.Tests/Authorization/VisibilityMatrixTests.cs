using NodaTime;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Tests.Installations;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Authorization;

/// <summary>
/// The visibility matrix (X8): every read that names a version × {team, shared user, outsider} × every version state,
/// against a table written by hand (not derived from the code under test). A version that was never public stays
/// visible only to the team and the users it was shared with, whatever its state now; an account share is not a share
/// with a user of the same id. A second table covers the reads of installations, migration jobs and ended canaries:
/// what the access policy would not let the viewer change, they do not see.
/// </summary>
public sealed class VisibilityMatrixTests
{
    private static readonly ActorId Team = VersioningHarness.Team;
    private static readonly ActorId Sam = new("sam");
    private static readonly ActorId Outsider = new("olivia");

    /// <summary>Number, state now, who besides the team sees it ("all", "sam" or "").</summary>
    private static readonly (string Number, VersionState State, string SeenBy)[] Table =
    [
        ("1.0.0", VersionState.Available, "all"),
        ("1.1.0", VersionState.Promoted, "all"),
        ("1.2.0", VersionState.Private, "sam"),
        ("1.3.0", VersionState.Private, ""),
        ("1.4.0", VersionState.Legacy, "sam"),
        ("1.5.0", VersionState.Legacy, ""),
        ("1.6.0", VersionState.Deprecating, ""),
        ("1.7.0", VersionState.Deprecated, "sam"),
        ("1.8.0", VersionState.Deprecated, ""),
        ("1.9.0", VersionState.Deprecating, "all"),
        ("1.10.0", VersionState.Private, ""),
        ("1.11.0", VersionState.Legacy, "all"),
        ("1.12.0", VersionState.Deprecating, "sam"),
        ("1.13.0", VersionState.Available, "all"),
        ("2.0.0-beta", VersionState.Private, ""),
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (number, _, _) in Table)
        {
            foreach (var viewer in new[] { "team", "sam", "olivia" })
            {
                data.Add(number, viewer);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryRead_EveryViewer_EveryState_ShowsOnlyWhatTheViewerMaySee_X8(string number, string viewerName)
    {
        using var h = new VersioningHarness();
        var app = await BuildAsync(h);
        var (_, state, seenBy) = Table.Single(r => r.Number == number);
        var viewer = new ActorId(viewerName);
        var expected = viewer == Team || seenBy == "all" || seenBy == viewerName;
        var v = VersionNumber.Parse(number);

        Assert.Equal(state, (await h.Integrations.GetVersionAsync(app, v, Team)).StateAt(h.Clock.GetCurrentInstant()));
        Assert.Equal(expected, await Visible(() => h.Integrations.GetVersionAsync(app, v, viewer)));
        Assert.Equal(expected, await Visible(() => h.Integrations.GetActionsAsync(app, v, viewer)));
        Assert.Equal(expected, (await h.Integrations.ListVersionsAsync(app, viewer, includeDeprecated: true)).Any(l => l.Number == v));
        var seen = await h.Integrations.GetIntegrationAsync(app, viewer);
        Assert.Equal(expected, seen.FindVersion(v) is not null);
        Assert.Equal(expected, seen.AuditTrail.Any(e => e.Subject == number));
        if (viewer != Team)
        {
            var hidden = Table.Where(r => !(r.SeenBy == "all" || r.SeenBy == viewerName)).Select(r => r.Number).ToList();
            Assert.All(seen.AuditTrail, e => Assert.DoesNotContain(hidden, n => System.Text.RegularExpressions.Regex.IsMatch(e.Details, $@"(?<![\w.-]){System.Text.RegularExpressions.Regex.Escape(n)}(?![\w-]|\.\d)")));
            Assert.All(seen.Versions, x => Assert.True(x.ClonedFrom is null || !hidden.Contains(x.ClonedFrom.ToString()!)));
            Assert.All(seen.Versions, x => Assert.Empty(x.SharedWith));
            Assert.DoesNotContain(seen.AuditTrail, e => e.Subject is null || e.Action is Versioning.Core.Auditing.AuditAction.Shared or Versioning.Core.Auditing.AuditAction.Unshared);
        }
    }

    [Theory]
    [InlineData("team", new[] { "1.6.0", "1.9.0", "1.12.0" })]
    [InlineData("sam", new[] { "1.9.0", "1.12.0" })]
    [InlineData("olivia", new[] { "1.9.0" })]
    public async Task ListNoticesDue_OnlyForVersionsTheViewerMaySee_X8(string viewer, string[] expected)
    {
        using var h = new VersioningHarness();
        var app = await BuildAsync(h);
        var notices = await h.Integrations.ListNoticesDueAsync(new ActorId(viewer), h.Clock.GetCurrentInstant() + Duration.FromDays(50));

        Assert.Equal(expected, notices.Where(n => n.IntegrationId == app).Select(n => n.Version.ToString()));
        // Per integration: the same notices, by the same rule.
        var ofApp = await h.Integrations.ListNoticesDueAsync(app, new ActorId(viewer), h.Clock.GetCurrentInstant() + Duration.FromDays(50));
        Assert.Equal(expected, ofApp.Select(n => n.Version.ToString()));
    }

    /// <summary>
    /// The reads of installations, jobs and ended canaries × {team, second team member, user owner, user named like the
    /// account, outsider} on <see cref="AuthorizationMatrixTests.World"/>: Owen's own installation ("owen"), Acme's account
    /// installation ("acme"), the team's migration job ("job") and its ended canary ("canary"). Written by hand.
    /// </summary>
    private static readonly (string Read, string Viewer, string Sees)[] PrivateReads =
    [
        ("InstallationService.GetAsync", "team", "acme,owen"),
        ("InstallationService.GetAsync", "tess", "acme,owen"),
        ("InstallationService.GetAsync", "owen", "owen"),
        ("InstallationService.GetAsync", "acme", ""),
        ("InstallationService.GetAsync", "mallory", ""),
        ("InstallationService.CanRunAsync", "team", "acme,owen"),
        ("InstallationService.CanRunAsync", "tess", "acme,owen"),
        ("InstallationService.CanRunAsync", "owen", "owen"),
        ("InstallationService.CanRunAsync", "acme", ""),
        ("InstallationService.CanRunAsync", "mallory", ""),
        ("InstallationService.ListAsync", "team", "acme,owen"),
        ("InstallationService.ListAsync", "tess", "acme,owen"),
        ("InstallationService.ListAsync", "owen", "owen"),
        ("InstallationService.ListAsync", "acme", ""),
        ("InstallationService.ListAsync", "mallory", ""),
        ("InstallationService.ListByVersionAsync", "team", "acme,owen"),
        ("InstallationService.ListByVersionAsync", "tess", "acme,owen"),
        ("InstallationService.ListByVersionAsync", "owen", "owen"),
        ("InstallationService.ListByVersionAsync", "acme", ""),
        ("InstallationService.ListByVersionAsync", "mallory", ""),
        ("MigrationService.GetJobAsync", "team", "job"),
        ("MigrationService.GetJobAsync", "tess", "job"),
        ("MigrationService.GetJobAsync", "owen", ""),
        ("MigrationService.GetJobAsync", "acme", ""),
        ("MigrationService.GetJobAsync", "mallory", ""),
        ("MigrationService.ListJobsAsync", "team", "job"),
        ("MigrationService.ListJobsAsync", "tess", "job"),
        ("MigrationService.ListJobsAsync", "owen", ""),
        ("MigrationService.ListJobsAsync", "acme", ""),
        ("MigrationService.ListJobsAsync", "mallory", ""),
        ("IntegrationService.ListEndedCanariesAsync", "team", "canary"),
        ("IntegrationService.ListEndedCanariesAsync", "tess", "canary"),
        ("IntegrationService.ListEndedCanariesAsync", "owen", ""),
        ("IntegrationService.ListEndedCanariesAsync", "acme", ""),
        ("IntegrationService.ListEndedCanariesAsync", "mallory", ""),
    ];

    /// <summary>The reads of <see cref="PrivateReads"/>: what each shows the viewer, as the table's names.</summary>
    private static readonly Dictionary<string, Func<AuthorizationMatrixTests.World, ActorId, Task<IEnumerable<string>>>> PrivateReadCalls = new()
    {
        ["InstallationService.GetAsync"] = (w, v) => EachInstallation(w, id => w.H.Installations.GetAsync(id, v)),
        ["InstallationService.CanRunAsync"] = (w, v) => EachInstallation(w, id => w.H.Installations.CanRunAsync(id, v)),
        ["InstallationService.ListAsync"] = async (w, v) =>
        {
            // One installation a page, so the scan past hidden installations is part of the read under test.
            var seen = new List<InstallationId>();
            for (IReadOnlyList<Installation> page; (page = await w.H.Installations.ListAsync(ProductRef.Of(w.App), v, seen.Count > 0 ? seen[^1] : null, 1)).Count > 0;)
            {
                seen.AddRange(page.Select(i => i.Id));
            }

            return seen.Select(id => NameOf(w, id));
        },
        ["InstallationService.ListByVersionAsync"] = async (w, v) =>
        {
            // Every version an installation of the world is on, one installation a page (the scan past hidden ones is tested).
            var seen = new List<InstallationId>();
            var pins = new HashSet<VersionKey>();
            foreach (var id in new[] { w.OwensInstallation, w.AcmesInstallation })
            {
                pins.Add((await w.H.InstallationStore.FindAsync(id))!.Pinned);
            }

            foreach (var pinned in pins)
            {
                var before = seen.Count;
                for (IReadOnlyList<Installation> page; (page = await w.H.Installations.ListByVersionAsync(ProductRef.Of(w.App), pinned, v, seen.Count > before ? seen[^1] : null, 1)).Count > 0;)
                {
                    seen.AddRange(page.Select(i => i.Id));
                }
            }

            return seen.Select(id => NameOf(w, id));
        },
        ["MigrationService.GetJobAsync"] = async (w, v) => await Visible(() => w.H.Migrations.GetJobAsync(w.Migration, v)) ? ["job"] : [],
        ["MigrationService.ListJobsAsync"] = async (w, v) => (await w.H.Migrations.ListJobsAsync(ProductRef.Of(w.App), v)).Select(j => j.Id == w.Migration ? "job" : j.Id.ToString()),
        ["IntegrationService.ListEndedCanariesAsync"] = async (w, v) => (await w.H.Integrations.ListEndedCanariesAsync(v, w.H.Clock.GetCurrentInstant() + Duration.FromMinutes(1)))
            .Select(e => e.IntegrationId == w.App && e.Canary.Id == w.Canary ? "canary" : e.Canary.Id.ToString()),
    };

    public static TheoryData<string, string, string> PrivateReadCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (read, viewer, sees) in PrivateReads)
        {
            data.Add(read, viewer, sees);
        }

        return data;
    }

    [Fact]
    public void PrivateReadTable_CoversEveryReadOfInstallationsJobsAndEndedCanaries_ForEveryViewer_X8()
    {
        var reads = AuthorizationMatrixTests.Reads.Where(r => r.StartsWith("InstallationService.", StringComparison.Ordinal) || r.StartsWith("MigrationService.", StringComparison.Ordinal) || r == "IntegrationService.ListEndedCanariesAsync");

        Assert.Equal(reads.Order(StringComparer.Ordinal), PrivateReadCalls.Keys.Order(StringComparer.Ordinal));
        Assert.All(PrivateReadCalls.Keys, read => Assert.Equal(5, PrivateReads.Count(r => r.Read == read)));
    }

    [Theory]
    [MemberData(nameof(PrivateReadCases))]
    public async Task PrivateReads_EveryViewer_SeeOnlyWhatThePolicyLetsThemChange_X8(string read, string viewer, string sees)
    {
        using var w = await AuthorizationMatrixTests.World.CreateAsync();

        var seen = await PrivateReadCalls[read](w, new ActorId(viewer));

        Assert.Equal(sees, string.Join(",", seen.Order(StringComparer.Ordinal)));
    }

    private static async Task<IEnumerable<string>> EachInstallation<T>(AuthorizationMatrixTests.World w, Func<InstallationId, Task<T>> read)
    {
        var seen = new List<string>();
        foreach (var id in new[] { w.OwensInstallation, w.AcmesInstallation })
        {
            if (await Visible(() => read(id)))
            {
                seen.Add(NameOf(w, id));
            }
        }

        return seen;
    }

    private static string NameOf(AuthorizationMatrixTests.World w, InstallationId id)
        => id == w.OwensInstallation ? "owen" : id == w.AcmesInstallation ? "acme" : id.ToString();

    /// <summary>
    /// Builds the table's integration: public versions, versions shared with Sam (the user) or with an account named
    /// "sam" (1.10.0, which the user Sam must not see), moved through every state, then the clock moved past the
    /// 30-day deprecations so they are Deprecated while the 90-day ones are still Deprecating.
    /// </summary>
    private static async Task<IntegrationId> BuildAsync(VersioningHarness h)
    {
        var app = (await h.Integrations.CreateIntegrationAsync("Matrix", Team)).Id;
        foreach (var (number, _, _) in Table.Where(r => r.Number != "1.13.0"))
        {
            await h.AddVersionAsync(app, number);
        }

        // A public version cloned from a never-public one: the clone must not name its hidden source to outsiders.
        await h.Integrations.CloneVersionAsync(app, VersionNumber.Parse("1.3.0"), VersionNumber.Parse("1.13.0"), Team);

        async Task Promote(string n) => await h.Integrations.PromoteAsync(app, VersionNumber.Parse(n), Team);
        async Task Share(string n) => await h.Integrations.ShareAsync(app, VersionNumber.Parse(n), Sam, Team);
        async Task Legacy(string n) => await h.Integrations.MarkLegacyAsync(app, VersionNumber.Parse(n), Team);
        async Task Deprecate(string n, int days) => await h.Integrations.DeprecateAsync(app, VersionNumber.Parse(n), h.Clock.GetCurrentInstant().InUtc().Date.PlusDays(days), DeprecationReason.Replaced, null, Team);

        await Promote("1.0.0");
        await Promote("1.9.0");
        await Promote("1.11.0");
        await Promote("1.13.0");
        await Promote("1.1.0");
        await Legacy("1.11.0");
        await Deprecate("1.9.0", 90);
        foreach (var n in new[] { "1.2.0", "1.4.0", "1.7.0", "1.12.0" })
        {
            await Share(n);
        }

        await h.Integrations.ShareWithAsync(app, VersionNumber.Parse("1.10.0"), OwnerRef.Account(Sam.Value), Team);
        await Legacy("1.4.0");
        await Legacy("1.5.0");
        await Deprecate("1.6.0", 90);
        await Deprecate("1.12.0", 90);
        await Deprecate("1.7.0", 30);
        await Deprecate("1.8.0", 30);
        h.Clock.AdvanceDays(31);
        return app;
    }

    private static async Task<bool> Visible(Func<Task> read)
    {
        try
        {
            await read();
            return true;
        }
        catch (EntityNotFoundException)
        {
            return false;
        }
    }
}
