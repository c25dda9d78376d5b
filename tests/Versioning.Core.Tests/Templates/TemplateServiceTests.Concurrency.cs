using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Services;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateServiceTests
{
    [Fact]
    public async Task SaveAsync_StaleCopy_ThrowsConflictWithRevisionsAndWritesNothing_X3()
    {
        var id = await _scenario.NewLineageAsync();
        var first = await _scenario.Repository.FindAsync(id);
        var second = await _scenario.Repository.FindAsync(id);
        var loaded = first!.Revision;
        first.SetNotes(R(3), "From the first copy", Alice, _scenario.Clock.GetCurrentInstant());
        second!.Promote(R(3), Bob, _scenario.Clock.GetCurrentInstant());
        await _scenario.Repository.SaveAsync(first);
        var afterFirst = await _scenario.CaptureAsync(id);

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _scenario.Repository.SaveAsync(second));

        Assert.Equal(("Template", id.ToString(), loaded, loaded + 1), (ex.AggregateKind, ex.AggregateId, ex.ExpectedRevision, ex.ActualRevision));
        Assert.Contains("Nothing was saved", ex.Message, StringComparison.Ordinal);
        TemplateAssert.Unchanged(afterFirst, await _scenario.CaptureAsync(id));
        Assert.Equal(ReleaseState.Draft, (await _scenario.LoadAsync(id)).GetRelease(R(3)).State);
        Assert.Equal(loaded, second.Revision);
        Assert.NotEmpty(second.PendingEvents);
    }

    [Fact]
    public async Task SaveAsync_TwoTemplatesOneStale_WritesNeither_X3()
    {
        var source = await _scenario.NewLineageAsync();
        var destination = await _scenario.NewTemplateAsync("Destination");
        var staleDestination = await _scenario.Repository.FindAsync(destination);
        await Service.CreateDraftAsync(destination, null, Alice);
        var sourceCopy = await _scenario.Repository.FindAsync(source);
        sourceCopy!.CopyRelease(R(2), staleDestination!, Bob, _scenario.Clock.GetCurrentInstant());
        var sourceBefore = await _scenario.CaptureAsync(source);
        var destinationBefore = await _scenario.CaptureAsync(destination);

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _scenario.Repository.SaveAllAsync([sourceCopy, staleDestination!]));

        Assert.Equal(destination.ToString(), ex.AggregateId);
        TemplateAssert.Unchanged(sourceBefore, await _scenario.CaptureAsync(source));
        TemplateAssert.Unchanged(destinationBefore, await _scenario.CaptureAsync(destination));
    }

    [Fact]
    public async Task SaveAsync_NewTemplateWhoseIdExists_ThrowsConflict_X3()
    {
        var id = await _scenario.NewTemplateAsync();
        var before = await _scenario.CaptureAsync(id);
        var duplicate = Template.Create(id, "Duplicate", Bob, _scenario.Clock.GetCurrentInstant());

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _scenario.Repository.SaveAsync(duplicate));

        Assert.Equal((0L, 1L), (ex.ExpectedRevision, ex.ActualRevision));
        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
    }

    [Fact]
    public async Task CreateDraftAsync_ParallelCallsOnOneTemplate_AllSucceedWithDistinctNumbers_X3()
    {
        const int Callers = 24;
        GatedTemplateRepository? repository = null;
        var scenario = new TemplateScenario(new VersioningOptions { MaxConflictRetries = 50 }, inner => repository = new GatedTemplateRepository(inner));
        var id = await scenario.NewTemplateAsync();
        repository!.HoldLoadsUntil(Callers);

        var calls = Enumerable.Range(0, Callers)
            .Select(i => Task.Run(() => scenario.Service.CreateDraftAsync(id, Workflows.OneStep($"Caller {i}"), i % 2 == 0 ? Actors.Alice : Actors.Bob)))
            .ToArray();
        var releases = await Task.WhenAll(calls);

        // Every caller loaded revision 1 before any saved, so all but one met a conflict and retried.
        Assert.True(repository.Conflicts >= Callers - 1, $"only {repository.Conflicts} conflicts");
        Assert.Equal(Enumerable.Range(1, Callers).Select(R), releases.Select(r => r.Number).Order());
        var stored = await scenario.LoadAsync(id);
        Assert.Equal(Enumerable.Range(1, Callers).Select(R), stored.Releases.Select(r => r.Number));
        Assert.Equal(Callers, stored.LastReleaseNumber);
        Assert.Equal(1 + Callers, stored.Revision);
        Assert.Equal(1 + Callers, stored.AuditTrail.Count);
        Assert.Equal(1 + Callers, scenario.Store.EventCount);
        foreach (var release in releases)
        {
            Assert.Equal(release, stored.GetRelease(release.Number));
        }
    }

    [Fact]
    public async Task CreateDraftAsync_ConflictOnSave_RetriedOnReloadedTemplate_X3()
    {
        InterleavingTemplateRepository? repository = null;
        var scenario = new TemplateScenario(decorate: inner => repository = new InterleavingTemplateRepository(inner));
        var id = await scenario.NewTemplateAsync();
        repository!.AfterNextLoad(() => scenario.Rival.CreateDraftAsync(id, Workflows.OneStep("Rival"), Bob));
        var loads = repository.Loads;

        var mine = await scenario.Service.CreateDraftAsync(id, Workflows.OneStep("Mine"), Alice);

        Assert.Equal(R(2), mine.Number);
        Assert.Equal(2, repository.Loads - loads);
        var stored = await scenario.LoadAsync(id);
        Assert.Equal([Workflows.OneStep("Rival"), Workflows.OneStep("Mine")], stored.Releases.Select(r => r.Content));
        Assert.Equal(3, stored.Revision);
    }

    [Fact]
    public async Task PromoteAsync_ConflictOnSave_ReloadsAndRechecksRules_X3()
    {
        InterleavingTemplateRepository? repository = null;
        var scenario = new TemplateScenario(decorate: inner => repository = new InterleavingTemplateRepository(inner));
        var id = await scenario.NewLineageAsync();
        repository!.AfterNextLoad(() => scenario.Rival.PromoteAsync(id, R(3), Bob));
        var afterRival = default(StoredState);
        repository.AfterNextLoad(async () => afterRival = await scenario.CaptureAsync(id));

        var ex = await TemplateAssert.RefusedAsync("T5", () => scenario.Service.PromoteAsync(id, R(3), Alice));

        Assert.Equal("Live", ex.State);
        TemplateAssert.Unchanged(afterRival!, await scenario.CaptureAsync(id));
        Assert.Equal(Bob, (await scenario.LoadAsync(id)).GetRelease(R(3)).PromotedBy);
    }

    [Fact]
    public async Task Command_ConflictOnEveryAttempt_ThrowsAfterRetryLimitAndWritesNothingOfItsOwn_X3()
    {
        InterleavingTemplateRepository? repository = null;
        var scenario = new TemplateScenario(new VersioningOptions { MaxConflictRetries = 2 }, inner => repository = new InterleavingTemplateRepository(inner));
        var id = await scenario.NewLineageAsync();
        var rivalNotes = 0;
        for (var i = 0; i < 3; i++)
        {
            repository!.AfterNextLoad(() => scenario.Rival.SetNotesAsync(id, R(3), $"Rival {++rivalNotes}", Bob));
        }

        var loads = repository!.Loads;

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => scenario.Service.SetNotesAsync(id, R(2), "Mine", Alice));

        Assert.Equal(3, repository.Loads - loads);
        Assert.Equal(ex.ExpectedRevision + 1, ex.ActualRevision);
        var stored = await scenario.LoadAsync(id);
        Assert.Equal(string.Empty, stored.GetRelease(R(2)).Notes);
        Assert.Equal("Rival 3", stored.GetRelease(R(3)).Notes);
        Assert.DoesNotContain(stored.AuditTrail, e => e.Actor == Alice && e.Subject == "release 2" && e.Action == Versioning.Core.Auditing.AuditAction.NotesChanged);
    }

    /// <summary>Delegates to a real repository and lets a test run a concurrent change right after a load.</summary>
    private sealed class InterleavingTemplateRepository(ITemplateRepository inner) : ITemplateRepository
    {
        private readonly Queue<Func<Task>> _afterLoad = new();

        public int Loads { get; private set; }

        public void AfterNextLoad(Func<Task> concurrentChange) => _afterLoad.Enqueue(concurrentChange);

        public async Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default)
        {
            var template = await inner.FindAsync(id, cancellationToken);
            Loads++;
            if (_afterLoad.TryDequeue(out var change))
            {
                await change();
            }

            return template;
        }

        public Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default) => inner.SaveAllAsync(templates, cancellationToken);

        public Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }

    /// <summary>
    /// Delegates to a real repository; holds the next N loads until all N have happened (so N callers start from the
    /// same revision) and counts the conflicts saves meet.
    /// </summary>
    private sealed class GatedTemplateRepository(ITemplateRepository inner) : ITemplateRepository
    {
        private readonly Lock _gate = new();
        private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;
        private int _conflicts;

        public int Conflicts => Volatile.Read(ref _conflicts);

        public void HoldLoadsUntil(int loads)
        {
            lock (_gate)
            {
                _held = loads;
                _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public async Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default)
        {
            var template = await inner.FindAsync(id, cancellationToken);
            Task wait;
            lock (_gate)
            {
                if (_held == 0)
                {
                    return template;
                }

                if (--_held == 0)
                {
                    _released.SetResult();
                }

                wait = _released.Task;
            }

            await wait.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return template;
        }

        public async Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default)
        {
            try
            {
                await inner.SaveAllAsync(templates, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                Interlocked.Increment(ref _conflicts);
                throw;
            }
        }

        public Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
