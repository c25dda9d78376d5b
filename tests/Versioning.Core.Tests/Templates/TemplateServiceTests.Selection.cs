using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

/// <summary>
/// P8: every template command declares what it reads. A command on one release loads that release (with its content,
/// since it returns it whole) and the Live one; creating a draft and installing load no release but the Live one;
/// copying loads the copied release of the source and nothing of the destination; queries and the commands that return
/// the template load it whole.
/// </summary>
public partial class TemplateServiceTests
{
    private static ItemSelection Of(params int[] numbers) => ItemSelection.Of(numbers.Select(n => VersionKey.ForRelease(R(n))));

    private static (TemplateScenario Scenario, RecordingTemplateRepository Loads) Recorded()
    {
        RecordingTemplateRepository? loads = null;
        var scenario = new TemplateScenario(decorate: inner => loads = new RecordingTemplateRepository(inner));
        return (scenario, loads!);
    }

    [Fact]
    public async Task ReleaseCommands_LoadTheirReleaseAndTheLiveOne_AndReturnItWhole_T3_T4_T6_T9_T11_P8()
    {
        var (scenario, loads) = Recorded();
        var id = await scenario.NewLineageAsync();
        var service = scenario.Service;

        loads.Clear();
        var notes = await service.SetNotesAsync(id, R(1), "old one", Alice);
        var edited = await service.EditContentAsync(id, R(3), Workflows.CrmToSlack(), Alice);
        var swapped = await service.SwapConnectorAsync(id, R(3), "Slack", Workflows.HubSpot, Alice);
        var running = await service.RunAsync(id, R(3), Alice);
        var paused = await service.PauseAsync(id, R(3), Alice);
        var promoted = await service.PromoteAsync(id, R(3), Alice);

        Assert.Equal([Of(1), Of(3), Of(3), Of(3), Of(3), Of(3)], loads.Selections);
        Assert.All([notes, edited, swapped, running, paused, promoted], r => Assert.True(r.HasContent));
        Assert.Equal(Workflows.OneStep("V1"), notes.Content);
        var stored = await scenario.LoadAsync(id);
        Assert.Equal([Workflows.OneStep("V1"), Workflows.OneStep("V2")], stored.Releases.Take(2).Select(r => r.Content));
        Assert.Equal(swapped.Content, stored.GetRelease(R(3)).Content);
        Assert.Equal(ReleaseState.Deprecated, stored.GetRelease(R(2)).State);
    }

    [Fact]
    public async Task CreateDraftAndInstall_LoadNoReleaseButTheLiveOne_T2_T12_P8()
    {
        var (scenario, loads) = Recorded();
        var id = await scenario.NewLineageAsync();

        loads.Clear();
        var draft = await scenario.Service.CreateDraftAsync(id, Workflows.OneStep("V4"), Alice);
        var installation = await scenario.Service.InstallAsync(id, OwnerRef.Account("acme"), Alice);

        Assert.Equal([Of(), Of()], loads.Selections);
        Assert.Equal(R(4), draft.Number);
        Assert.Equal(VersionKey.ForRelease(R(2)), installation.Pinned);
    }

    [Fact]
    public async Task Copy_LoadsTheSourceReleaseAndNothingOfTheDestination_SavesBothTogether_T8_P8()
    {
        var (scenario, loads) = Recorded();
        var source = await scenario.NewLineageAsync();
        var destination = await scenario.NewLineageAsync();

        loads.Clear();
        var (to, copy) = await scenario.Service.CopyReleaseAsync(source, R(1), destination, Alice);
        var (fresh, first) = await scenario.Service.CopyReleaseToNewTemplateAsync(source, R(3), "Fresh", Alice);
        var (same, again) = await scenario.Service.CopyReleaseAsync(source, R(2), null, Alice);

        Assert.Equal([Of(1), Of(), Of(3), Of(2)], loads.Selections);
        Assert.Equal((destination, R(4), Workflows.OneStep("V1")), (to, copy.Number, copy.Content));
        Assert.Equal(Workflows.OneStep("V3"), (await scenario.LoadAsync(fresh)).GetRelease(first.Number).Content);
        Assert.Equal((source, R(4), Workflows.OneStep("V2")), (same, again.Number, again.Content));
        Assert.Equal([Workflows.OneStep("V1"), Workflows.OneStep("V2"), Workflows.OneStep("V3"), Workflows.OneStep("V1")],
            (await scenario.LoadAsync(destination)).Releases.Select(r => r.Content));
    }

    [Fact]
    public async Task QueriesAndCommandsReturningTheTemplate_LoadItWhole_X8_T10_T16_P8()
    {
        var (scenario, loads) = Recorded();
        var id = await scenario.NewLineageAsync();

        loads.Clear();
        var view = await scenario.Service.GetTemplateAsync(id, Alice);
        await scenario.Service.GetReportAsync(id, R(3), Alice);
        await scenario.Service.GetActionsAsync(id, R(3), Alice);
        var renamed = await scenario.Service.RenameAsync(id, "Renamed", Alice);
        var deleted = await scenario.Service.DeleteReleaseAsync(id, R(1), Alice);

        Assert.All(loads.Selections, s => Assert.Equal(ItemSelection.All, s));
        Assert.Equal(5, loads.Selections.Count);
        Assert.All([view, renamed], t => Assert.Equal(3, t.Releases.Count));
        Assert.All(view.Releases.Concat(renamed.Releases).Concat(deleted.Releases), r => Assert.True(r.HasContent));
        Assert.Equal(TemplateSummary.Of(deleted), (await scenario.Service.ListTemplatesAsync()).Single());
    }

    /// <summary>A store without FindForCommandAsync (the default: a whole copy) serves every command the same way.</summary>
    [Fact]
    public async Task StoreWithoutFindForCommand_ServesEveryCommandWithWholeCopies_P8()
    {
        var scenario = new TemplateScenario(decorate: inner => new WholeOnlyTemplateRepository(inner));
        var id = await scenario.NewLineageAsync();

        await scenario.Service.SetNotesAsync(id, R(1), "n", Alice);
        await scenario.Service.PromoteAsync(id, R(3), Alice);
        var (_, copy) = await scenario.Service.CopyReleaseAsync(id, R(1), null, Alice);

        var stored = await scenario.LoadAsync(id);
        Assert.Equal((R(3), "n", Workflows.OneStep("V1")), (stored.LiveRelease!.Number, stored.GetRelease(R(1)).Notes, stored.GetRelease(copy.Number).Content));
    }

    /// <summary>Delegates to a real repository and records the selection of every load (All for whole loads).</summary>
    private sealed class RecordingTemplateRepository(ITemplateRepository inner) : ITemplateRepository
    {
        private readonly List<ItemSelection> _selections = [];

        public IReadOnlyList<ItemSelection> Selections => _selections;

        public void Clear() => _selections.Clear();

        public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default)
        {
            _selections.Add(ItemSelection.All);
            return inner.FindAsync(id, cancellationToken);
        }

        public Task<Template?> FindWithoutAuditTrailAsync(TemplateId id, CancellationToken cancellationToken = default)
        {
            _selections.Add(ItemSelection.All);
            return inner.FindWithoutAuditTrailAsync(id, cancellationToken);
        }

        public Task<Template?> FindForCommandAsync(TemplateId id, ItemSelection selection, CancellationToken cancellationToken = default)
        {
            _selections.Add(selection);
            return inner.FindForCommandAsync(id, selection, cancellationToken);
        }

        public Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default) => inner.SaveAllAsync(templates, cancellationToken);

        public Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }

    /// <summary>A store written before P8: only FindAsync and the save; every other load is the interface's default.</summary>
    private sealed class WholeOnlyTemplateRepository(ITemplateRepository inner) : ITemplateRepository
    {
        public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

        public Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default) => inner.SaveAllAsync(templates, cancellationToken);

        public Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
