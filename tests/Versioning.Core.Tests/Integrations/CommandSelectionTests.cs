using Versioning.Core.Authorization;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Services;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations;

/// <summary>
/// P8: every command loads only what it reads (its <see cref="ItemSelection"/>), returns what it changed whole, and the
/// aggregate refuses to answer about what a command did not load.
/// </summary>
public sealed class CommandSelectionTests
{
    private static VersionKey K(string number) => VersionKey.ForVersion(V(number));

    private static ItemSelection Of(params string[] numbers) => ItemSelection.Of(numbers.Select(K));

    // 1.0.0 Promoted (CRM content), 1.1.0 Private with notes.
    private static async Task<(IntegrationHarness Harness, Recording Recorder, IntegrationService Service, IntegrationId Id)> SetUpAsync()
    {
        var h = new IntegrationHarness();
        var id = await h.NewIntegrationAsync();
        await h.Service.CreateVersionAsync(id, V("1.0.0"), CrmContent, Owner);
        await h.Service.SetNotesAsync(id, V("1.0.0"), "first", Owner);
        await h.Service.PromoteAsync(id, V("1.0.0"), Owner);
        await h.Service.CreateVersionAsync(id, V("1.1.0"), CrmContent, Owner);
        await h.Service.SetNotesAsync(id, V("1.1.0"), "second", Owner);
        var recorder = new Recording(h.Integrations);
        var service = new IntegrationService(recorder, h.Installations, [new ReleaseNotesPresentCheck(), new BreakingChangeNeedsMajorBumpCheck()], new DefaultAccessPolicy(), h.Clock, h.Options);
        return (h, recorder, service, id);
    }

    [Fact]
    public async Task VersionCommands_LoadTheVersionTheyTouch_AndReturnItWithItsContent()
    {
        var (_, recorder, service, id) = await SetUpAsync();

        var notes = await service.SetNotesAsync(id, V("1.1.0"), "changed", Owner);
        Assert.Equal(Of("1.1.0"), recorder.Last);
        Assert.Equal(CrmContent, notes.Content);

        var edited = await service.EditContentAsync(id, V("1.1.0"), Workflow(("Salesforce", "NewLead"), ("Gmail", "SendEmail"), ("Slack", "Post")), Owner);
        Assert.Equal(Of("1.1.0"), recorder.Last);
        Assert.Equal(3, edited.Content.Steps.Length);

        await service.MarkLegacyAsync(id, V("1.1.0"), Owner);
        Assert.Equal(Of("1.1.0"), recorder.Last);
    }

    [Fact]
    public async Task CreateAndClone_LoadTheUsedNumbers_Z1_Z2()
    {
        var (_, recorder, service, id) = await SetUpAsync();

        var created = await service.CreateVersionAsync(id, V("1.2.0"), CrmContent, Owner);
        Assert.Equal(Of("1.2.0").WithUsedNumbers(), recorder.Last);
        Assert.Equal(CrmContent, created.Content);

        var clone = await service.CloneVersionAsync(id, V("1.1.0"), V("1.3.0"), Owner);
        Assert.Equal(Of("1.1.0", "1.3.0").WithUsedNumbers(), recorder.Last);
        Assert.Equal(CrmContent, clone.Content);

        var reused = await Assert.ThrowsAsync<VersioningRuleException>(() => service.CreateVersionAsync(id, V("1.0.0"), null, Owner));
        Assert.Equal("Z1", reused.RuleId);
        var gap = await Assert.ThrowsAsync<VersioningRuleException>(() => service.CreateVersionAsync(id, V("1.5.0"), null, Owner));
        Assert.Equal("Z2", gap.RuleId);
    }

    [Fact]
    public async Task Promote_LoadsTheCandidateAndTheCurrentContent_ForTheBreakingChangeCheck_Z8()
    {
        var (h, recorder, service, id) = await SetUpAsync();
        await service.EditContentAsync(id, V("1.1.0"), Workflow(("Salesforce", "NewLead")), Owner);

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => service.PromoteAsync(id, V("1.1.0"), Owner));
        Assert.Equal("Z8", refused.RuleId);
        Assert.Equal(Of("1.1.0").WithCurrentContent(), recorder.Last);

        await service.EditContentAsync(id, V("1.1.0"), CrmContent, Owner);
        var result = await service.PromoteAsync(id, V("1.1.0"), Owner);
        Assert.Equal(V("1.0.0"), result.Previous);
        Assert.Equal(CrmContent, result.Version.Content);

        // The demoted version, loaded for the command, kept its content in the store.
        Assert.Equal(CrmContent, (await h.VersionAsync(id, "1.0.0")).Content);
        Assert.Equal(VersionState.Available, (await h.VersionAsync(id, "1.0.0")).StoredState);
    }

    [Fact]
    public async Task Promote_WithChecksThatDoNotReadTheCurrentContent_LeavesItUnloaded_Z7_Z8()
    {
        var (h, recorder, _, id) = await SetUpAsync();
        var service = new IntegrationService(recorder, h.Installations, [new ReleaseNotesPresentCheck()], new DefaultAccessPolicy(), h.Clock, h.Options);

        var result = await service.PromoteAsync(id, V("1.1.0"), Owner);

        Assert.Equal(Of("1.1.0"), recorder.Last);
        Assert.Equal(CrmContent, result.Version.Content);
        Assert.Equal(CrmContent, (await h.VersionAsync(id, "1.0.0")).Content);
        await h.Service.SetNotesAsync(id, V("1.0.0"), string.Empty, Owner);
        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => service.PromoteAsync(id, V("1.0.0"), Owner));
        Assert.Equal("Z8", refused.RuleId);
        Assert.False(new ReleaseNotesPresentCheck().ReadsCurrentContent);
        Assert.True(((IPromotionCheck)new BreakingChangeNeedsMajorBumpCheck()).ReadsCurrentContent);
    }

    [Fact]
    public async Task Canaries_Deprecation_AndInstalls_LoadOnlyTheVersionsTheyName_K1_Z10_Z12()
    {
        var (h, recorder, service, id) = await SetUpAsync();
        await service.PromoteAsync(id, V("1.1.0"), Owner);

        var canary = await service.StartCanaryAsync(id, V("1.0.0"), V("1.1.0"), 10, NodaTime.Duration.FromMinutes(5), CanaryScope.All, Owner);
        Assert.Equal(Of("1.0.0", "1.1.0"), recorder.Last);
        await service.DeleteCanaryAsync(id, canary.Id, Owner);
        Assert.Equal(ItemSelection.Of(), recorder.Last);

        await service.DeprecateAsync(id, V("1.0.0"), h.Today.PlusDays(30), DeprecationReason.Other, "old", Owner);
        Assert.Equal(Of("1.0.0"), recorder.Last);

        var installation = await service.InstallAsync(id, OwnerRef.Account("acme"), Owner);
        Assert.Equal(ItemSelection.Of(), recorder.Last);
        Assert.Equal(K("1.1.0"), installation.Pinned);

        var installations = new InstallationService(h.Installations, new InMemoryTemplateRepository(h.Store), recorder, new DefaultAccessPolicy(), h.Clock, h.Options);
        await installations.InstallAsync(ProductRef.Of(id), OwnerRef.Account("acme"), Owner, version: K("1.1.0"));
        Assert.Equal(Of("1.1.0"), recorder.Last);
    }

    [Fact]
    public async Task MigrationStart_LoadsItsSourceAndTarget_M1()
    {
        var (h, recorder, _, id) = await SetUpAsync();
        var migrations = new MigrationService(recorder, new InMemoryTemplateRepository(h.Store), h.Installations, new InMemoryMigrationRepository(h.Store), new DefaultAccessPolicy(), h.Clock, h.Options);

        await migrations.StartMigrationAsync(id, V("1.0.0"), V("1.1.0"), MigrationScope.ForAccount("acme"), Owner);

        Assert.Contains(Of("1.0.0", "1.1.0"), recorder.All);
        var self = await Assert.ThrowsAsync<VersioningRuleException>(() => migrations.StartMigrationAsync(id, V("1.1.0"), V("1.1.0"), MigrationScope.ForAccount("acme"), Owner));
        Assert.Equal("M1", self.RuleId);
    }

    [Fact]
    public async Task CommandsReturningTheIntegration_AndQueries_LoadItWhole()
    {
        var (_, recorder, service, id) = await SetUpAsync();

        var changed = await service.AddTeamMemberAsync(id, Teammate, Owner);
        Assert.Null(recorder.Last);
        Assert.Equal(ItemSelection.All, changed.Loaded);
        Assert.Equal(2, changed.Versions.Count);
        Assert.Equal(2, (await service.ListVersionsAsync(id, Owner)).Count);
        Assert.Null(recorder.Last);
    }

    [Fact]
    public async Task PartialCopy_RefusesWholeIntegrationQuestions_AndVersionsItDidNotLoad()
    {
        var (h, _, _, id) = await SetUpAsync();
        var copy = (await h.Integrations.FindForCommandAsync(id, Of("1.1.0")))!;

        Assert.Throws<InvalidOperationException>(() => copy.ListVersions(h.Now, true, new Dictionary<VersionNumber, long>()));
        Assert.Throws<InvalidOperationException>(() => copy.NoticesDue(h.Now, 7, NodaTime.DateTimeZone.Utc));
        Assert.Throws<InvalidOperationException>(() => copy.ViewFor(Outsider));
        Assert.Same(copy, copy.ViewFor(Owner));
        Assert.Throws<InvalidOperationException>(() => copy.CanAccess(V("1.2.0"), Outsider));
        Assert.Throws<InvalidOperationException>(() => copy.RunsInstallationsOn(K("1.2.0"), h.Now));
        Assert.Throws<InvalidOperationException>(() => copy.SetNotes(V("1.2.0"), "x", Owner, h.Now));
        Assert.Empty(copy.PendingEvents);
        Assert.True(copy.RunsInstallationsOn(K("1.0.0"), h.Now));
    }

    [Fact]
    public async Task PromotionCheckReadingContentNotLoaded_IsAProgrammingError_NotARuleRefusal_Z8()
    {
        var (h, _, _, id) = await SetUpAsync();
        var copy = (await h.Integrations.FindForCommandAsync(id, Of("1.1.0")))!;

        Assert.Throws<InvalidOperationException>(() => copy.Promote(V("1.1.0"), [new BreakingChangeNeedsMajorBumpCheck()], Owner, h.Now));
        Assert.Empty(copy.PendingEvents);

        // A check that does not read content runs on the same copy, and the save keeps the demoted version's content.
        copy.Promote(V("1.1.0"), [new ReleaseNotesPresentCheck()], Owner, h.Now);
        await h.Integrations.SaveAsync(copy);
        Assert.Equal(CrmContent, (await h.VersionAsync(id, "1.0.0")).Content);
    }

    [Fact]
    public void VersionWithoutContent_ContentThrows_ButItPrintsAndCopies()
    {
        var version = new IntegrationVersion { Number = V("1.0.0"), StoredState = VersionState.Private, Content = CrmContent, CreatedBy = Owner, CreatedAt = Start, UpdatedAt = Start };
        var without = version.WithoutContent();

        Assert.True(version.HasContent);
        Assert.False(without.HasContent);
        Assert.Contains("1.0.0", Assert.Throws<InvalidOperationException>(() => without.Content).Message, StringComparison.Ordinal);
        Assert.Contains("HasContent = False", without.ToString(), StringComparison.Ordinal);
        Assert.Same(without, without.WithoutContent());
        Assert.Equal(CrmContent, (without with { Content = CrmContent }).Content);
        Assert.Throws<ArgumentNullException>(() => without with { Content = null! });
        Assert.DoesNotContain("steps", StoreJson.Write(without), StringComparison.Ordinal);
        Assert.False(StoreJson.ReadVersion(StoreJson.Write(without)).HasContent);
        Assert.Equal(CrmContent, StoreJson.ReadContent(StoreJson.WriteContent(CrmContent)));
    }

    [Fact]
    public async Task InMemoryStore_RefusesAPartialCopyThatWouldHoldTwoPromotedVersions_Z9()
    {
        var (h, _, _, id) = await SetUpAsync();
        var first = (await h.Integrations.FindForCommandAsync(id, Of("1.1.0")))!;
        var snapshot = first.ToSnapshot();
        // A copy that claims 1.1.0 is Promoted and hides the stored Promoted 1.0.0 (which it leaves unchanged).
        var forged = Integration.FromSnapshot(snapshot with { Versions = [snapshot.Versions[1] with { StoredState = VersionState.Promoted }] });
        forged.SetNotes(V("1.1.0"), "forged", Owner, h.Now);

        Assert.Throws<InvalidOperationException>(() => { h.Integrations.SaveAsync(forged).GetAwaiter().GetResult(); });
        Assert.Equal("second", (await h.VersionAsync(id, "1.1.0")).Notes);
    }

    /// <summary>Records the selection of each command load (null for a whole load).</summary>
    private sealed class Recording(IIntegrationRepository inner) : IIntegrationRepository
    {
        public ItemSelection? Last { get; private set; }

        public List<ItemSelection> All { get; } = [];

        public Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default)
        {
            Last = null;
            return inner.FindAsync(id, cancellationToken);
        }

        public Task<Integration?> FindWithoutAuditTrailAsync(IntegrationId id, CancellationToken cancellationToken = default)
        {
            Last = null;
            return inner.FindWithoutAuditTrailAsync(id, cancellationToken);
        }

        public Task<Integration?> FindForCommandAsync(IntegrationId id, ItemSelection selection, CancellationToken cancellationToken = default)
        {
            Last = selection;
            All.Add(selection);
            return inner.FindForCommandAsync(id, selection, cancellationToken);
        }

        public Task SaveAsync(Integration integration, CancellationToken cancellationToken = default) => inner.SaveAsync(integration, cancellationToken);

        public Task<IReadOnlyList<IntegrationSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
