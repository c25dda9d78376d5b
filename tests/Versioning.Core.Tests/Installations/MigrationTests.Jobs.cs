using Versioning.Core.Auditing;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Installations;

/// <summary>M5: a migration is a resumable batch job with states, progress and events.</summary>
public sealed partial class MigrationTests
{
    /// <summary>1.0.0 (Available) with <paramref name="installations"/> users, 1.1.0 Promoted as the target.</summary>
    private static async Task<IntegrationId> ReadyToMigrateAsync(VersioningHarness h, int installations)
    {
        var app = await PopulatedAsync(h, installations);
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        return app;
    }

    private static async Task<Dictionary<string, int>> EventTypesAsync(VersioningHarness h, MigrationId job)
        => (await h.AllEventsAsync())
            .Where(e => e.AggregateKind == MigrationJob.Kind && e.AggregateId == job.ToString())
            .GroupBy(e => e.Type)
            .ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task RunAsync_BatchByBatch_GoesRequestedThenInProgressThenCompleted_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 25);

        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team, batchSize: 10);
        Assert.Equal((MigrationState.Requested, 0, 0L, 0L, 25L, 0.0), (job.State, job.Batches, job.Scanned, job.Moved, job.Total, job.Progress));
        Assert.Null(job.Checkpoint);
        Assert.Equal(K("1.0.0"), job.From);
        Assert.Equal(K("1.1.0"), job.To);

        job = await h.Migrations.RunAsync(job.Id, Team, maxBatches: 1);
        Assert.Equal((MigrationState.InProgress, 1, 10L, 10L), (job.State, job.Batches, job.Scanned, job.Moved));
        Assert.NotNull(job.Checkpoint);
        Assert.Equal(job, await h.Migrations.GetJobAsync(job.Id, VersioningHarness.Team));

        job = await h.Migrations.RunAsync(job.Id, Team, maxBatches: 1);
        Assert.Equal((MigrationState.InProgress, 2, 20L), (job.State, job.Batches, job.Moved));

        job = await h.Migrations.RunAsync(job.Id, Team);
        Assert.Equal((MigrationState.Completed, 3, 25L, 25L, 1.0), (job.State, job.Batches, job.Scanned, job.Moved, job.Progress));
        Assert.Equal(25, (await h.InstallationStore.CountAsync(ProductRef.Of(app), K("1.1.0"))).Total);
    }

    [Fact]
    public async Task RunAsync_Progress_ReportsEveryBatchWithScannedOfTotal_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 25);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team, batchSize: 10);
        var progress = new RecordingProgress<MigrationJob>();

        job = await h.Migrations.RunAsync(job.Id, Team, progress: progress);

        Assert.Equal([10L, 20L, 25L], progress.Reports.Select(j => j.Scanned));
        Assert.Equal([0.4, 0.8, 1.0], progress.Reports.Select(j => j.Progress));
        Assert.All(progress.Reports, j => Assert.Equal(25, j.Total));
        Assert.Equal([MigrationState.InProgress, MigrationState.InProgress, MigrationState.Completed], progress.Reports.Select(j => j.State));
        Assert.Equal(job, progress.Reports[^1]);
    }

    [Fact]
    public async Task RunAsync_EachBatchThatMoves_StoresOneInstallationsMovedEventPlusStartedAndCompleted_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 25);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team, batchSize: 10);
        Assert.Equal(new Dictionary<string, int> { ["MigrationStarted"] = 1 }, await EventTypesAsync(h, job.Id));

        await h.Migrations.RunAsync(job.Id, Team, maxBatches: 2);
        Assert.Equal(new Dictionary<string, int> { ["MigrationStarted"] = 1, ["InstallationsMoved"] = 2 }, await EventTypesAsync(h, job.Id));

        await h.Migrations.RunAsync(job.Id, Team);
        Assert.Equal(new Dictionary<string, int> { ["MigrationStarted"] = 1, ["InstallationsMoved"] = 3, ["MigrationCompleted"] = 1 }, await EventTypesAsync(h, job.Id));
        var events = await h.AllEventsAsync();
        Assert.Equal(events.Select((_, i) => (long)i + 1), events.Select(e => e.Position));
        Assert.Single(events, e => e.AggregateKind == "Integration" && e.Type == nameof(AuditAction.InstallationsUpgraded) && e.Subject == "1.1.0");
    }

    [Fact]
    public async Task RunAsync_PercentageScope_OneInstallationsMovedEventPerBatchThatMovedSomething_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 60);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.Percentage(20), Team, batchSize: 5);
        var progress = new RecordingProgress<MigrationJob>();

        job = await h.Migrations.RunAsync(job.Id, Team, progress: progress);

        var movingBatches = progress.Reports.Select((j, i) => j.Moved - (i == 0 ? 0 : progress.Reports[i - 1].Moved)).Count(d => d > 0);
        var types = await EventTypesAsync(h, job.Id);
        Assert.Equal(movingBatches, types.GetValueOrDefault("InstallationsMoved"));
        Assert.Equal(job.Batches, progress.Reports.Count);
        Assert.Equal(13, job.Batches);
        Assert.Equal(1, types["MigrationCompleted"]);
    }

    [Fact]
    public async Task RunAsync_CandidatesAnExactMultipleOfBatchSize_CompletesWithAnEmptyLastBatch_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 20);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team, batchSize: 10);

        job = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal((MigrationState.Completed, 3, 20L), (job.State, job.Batches, job.Moved));
        Assert.Equal(2, (await EventTypesAsync(h, job.Id))["InstallationsMoved"]);
    }

    [Fact]
    public async Task RunAsync_NoCandidates_CompletesInOneBatchWithProgressOne_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 0);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team);
        Assert.Equal(0, job.Progress);

        job = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal((MigrationState.Completed, 1, 0L, 1.0), (job.State, job.Batches, job.Moved, job.Progress));
    }

    [Fact]
    public async Task AbortAsync_InProgressJob_AbortsKeepsMovedAndFurtherRunsDoNothing_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 25);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team, batchSize: 10);
        await h.Migrations.RunAsync(job.Id, Team, maxBatches: 1);

        var aborted = await h.Migrations.AbortAsync(job.Id, Team);

        Assert.Equal(MigrationState.Aborted, aborted.State);
        Assert.Equal(10, aborted.Moved);
        Assert.Equal(1, (await EventTypesAsync(h, job.Id))["MigrationAborted"]);
        var before = await h.CaptureAsync(ProductRef.Of(app));
        var progress = new RecordingProgress<MigrationJob>();
        var rerun = await h.Migrations.RunAsync(job.Id, Team, progress: progress);
        Assert.Equal(aborted, rerun);
        Assert.Empty(progress.Reports);
        (await h.CaptureAsync(ProductRef.Of(app))).AssertSameAs(before);
        Assert.Equal(10, (await h.InstallationStore.CountAsync(ProductRef.Of(app), K("1.1.0"))).Total);
        Assert.DoesNotContain((await h.Integrations.GetIntegrationAsync(app, Team)).AuditTrail, e => e.Action == AuditAction.InstallationsUpgraded);
    }

    [Fact]
    public async Task AbortAsync_AlreadyAborted_RefusedM5AndNothingChanges_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 5);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team);
        await h.Migrations.AbortAsync(job.Id, Team);
        var before = await h.CaptureAsync(ProductRef.Of(app));

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.Migrations.AbortAsync(job.Id, Team));

        Assert.Equal("M5", refused.RuleId);
        Assert.Equal(MigrationJob.Kind, refused.AggregateKind);
        Assert.Equal(job.Id.ToString(), refused.AggregateId);
        Assert.Equal("Aborted", refused.State);
        (await h.CaptureAsync(ProductRef.Of(app))).AssertSameAs(before);
    }

    [Fact]
    public async Task AbortAsync_CompletedJob_RefusedM5_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 5);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team);
        await h.Migrations.RunAsync(job.Id, Team);

        var refused = await Assert.ThrowsAsync<VersioningRuleException>(() => h.Migrations.AbortAsync(job.Id, Team));

        Assert.Equal(("M5", "Completed"), (refused.RuleId, refused.State));
        Assert.Equal(MigrationState.Completed, (await h.Migrations.GetJobAsync(job.Id, VersioningHarness.Team)).State);
    }

    [Fact]
    public async Task AbortAsync_RequestedJob_AbortsBeforeAnyBatch_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 5);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team);

        var aborted = await h.Migrations.AbortAsync(job.Id, Team);

        Assert.Equal((MigrationState.Aborted, 0L), (aborted.State, aborted.Moved));
        Assert.Equal(5, (await h.InstallationStore.CountAsync(ProductRef.Of(app), K("1.0.0"))).Total);
    }

    [Fact]
    public async Task RunAsync_TargetMarkedLegacyMidMigration_FailsWithReasonAndKeepsWhatMoved_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 25);
        await h.AddVersionAsync(app, "1.2.0", promote: true);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team, batchSize: 10);
        await h.Migrations.RunAsync(job.Id, Team, maxBatches: 2);
        await h.Integrations.MarkLegacyAsync(app, V("1.1.0"), Team);

        var failed = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal(MigrationState.Failed, failed.State);
        Assert.Contains("(Z11)", failed.FailureReason, StringComparison.Ordinal);
        Assert.Equal((2, 20L), (failed.Batches, failed.Moved));
        Assert.Equal(20, (await h.InstallationStore.CountAsync(ProductRef.Of(app), K("1.1.0"))).Total);
        Assert.Equal(1, (await EventTypesAsync(h, job.Id))["MigrationFailed"]);
        var before = await h.CaptureAsync(ProductRef.Of(app));
        Assert.Equal(failed, await h.Migrations.RunAsync(job.Id, Team));
        Assert.Equal("M5", (await Assert.ThrowsAsync<VersioningRuleException>(() => h.Migrations.AbortAsync(job.Id, Team))).RuleId);
        (await h.CaptureAsync(ProductRef.Of(app))).AssertSameAs(before);
    }

    [Fact]
    public async Task RunAsync_TargetDeprecatedMidMigration_Fails_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 25);
        await h.AddVersionAsync(app, "1.2.0", promote: true);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team, batchSize: 10);
        await h.Migrations.RunAsync(job.Id, Team, maxBatches: 1);
        await h.Integrations.DeprecateAsync(app, V("1.1.0"), new LocalDate(2026, 2, 1), DeprecationReason.SecurityIssue, null, Team);

        var failed = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal(MigrationState.Failed, failed.State);
        Assert.Contains("(Z13", failed.FailureReason, StringComparison.Ordinal);
        Assert.Equal(10, failed.Moved);
    }

    [Fact]
    public async Task RunAsync_TargetReachesDeprecationDateBetweenBatches_FailsZ14_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 25);
        await h.AddVersionAsync(app, "1.2.0", promote: true);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team, batchSize: 10);
        await h.Migrations.RunAsync(job.Id, Team, maxBatches: 1);
        await h.Integrations.DeprecateAsync(app, V("1.1.0"), new LocalDate(2026, 2, 1), DeprecationReason.SecurityIssue, null, Team);
        h.Clock.Reset(Instant.FromUtc(2026, 2, 1, 0, 0));

        var failed = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal(MigrationState.Failed, failed.State);
        Assert.Contains("(Z14)", failed.FailureReason, StringComparison.Ordinal);
        Assert.Equal(h.Clock.GetCurrentInstant(), failed.UpdatedAt);
    }

    [Fact]
    public async Task RunAsync_ResumedByAnotherHostSharingTheStore_ContinuesFromTheStoredCheckpoint_M5()
    {
        using var first = new VersioningHarness();
        var app = await ReadyToMigrateAsync(first, 30);
        var job = await first.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.Percentage(100), Team, batchSize: 7);
        job = await first.Migrations.RunAsync(job.Id, Team, maxBatches: 2);

        using var second = new VersioningHarness(clock: first.Clock, store: first.Store);
        var resumed = await second.Migrations.RunAsync(job.Id, Team);

        Assert.Equal(MigrationState.Completed, resumed.State);
        Assert.Equal(30, resumed.Moved);
        Assert.Equal(30, resumed.Scanned);
        Assert.All((await second.AllInstallationsAsync(ProductRef.Of(app))).Values, i => Assert.Equal(2, i.Revision));
    }

    [Fact]
    public async Task RunAsync_CancelledBetweenBatches_StopsAndResumesWithoutLosingAny_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 30);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team, batchSize: 4);
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress<MigrationJob>(j =>
        {
            if (j.Batches == 3)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Migrations.RunAsync(job.Id, Team, progress: progress, cancellationToken: cts.Token));
        var stopped = await h.Migrations.GetJobAsync(job.Id, VersioningHarness.Team);
        Assert.Equal((MigrationState.InProgress, 3, 12L), (stopped.State, stopped.Batches, stopped.Moved));

        var done = await h.Migrations.RunAsync(job.Id, Team);
        Assert.Equal((MigrationState.Completed, 30L), (done.State, done.Moved));
        Assert.All((await h.AllInstallationsAsync(ProductRef.Of(app))).Values, i => Assert.Equal(2, i.Revision));
    }

    [Fact]
    public async Task RunAsync_CompletedJobRunAgainByASecondRunner_RecordsCompletionOnce_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 15);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team, batchSize: 10);
        var other = new VersioningHarness(clock: h.Clock, store: h.Store);
        await h.Integrations.AddTeamMemberAsync(app, new ActorId("host-a"), Team);
        await h.Integrations.AddTeamMemberAsync(app, new ActorId("host-b"), Team);
        // Runner B runs one batch; while it reports, runner A (another host) finishes the job.
        var progress = new RecordingProgress<MigrationJob>(j =>
        {
            if (j.Batches == 1)
            {
                other.Migrations.RunAsync(job.Id, new ActorId("host-a")).GetAwaiter().GetResult();
            }
        });

        var final = await h.Migrations.RunAsync(job.Id, new ActorId("host-b"), progress: progress);

        other.Dispose();
        Assert.Equal(MigrationState.Completed, final.State);
        var upgraded = (await h.Integrations.GetIntegrationAsync(app, Team)).AuditTrail.Count(e => e.Action == AuditAction.InstallationsUpgraded);
        Assert.Equal(1, upgraded);
        Assert.Equal(1, (await EventTypesAsync(h, job.Id))["MigrationCompleted"]);
    }

    [Fact]
    public async Task RunAsync_InvalidArguments_ThrowNamingTheParameter_M5()
    {
        using var h = new VersioningHarness();
        var app = await ReadyToMigrateAsync(h, 1);
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team);

        Assert.Equal("maxBatches", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => h.Migrations.RunAsync(job.Id, Team, maxBatches: 0))).ParamName);
        Assert.Equal("by", (await Assert.ThrowsAsync<ArgumentException>(() => h.Migrations.RunAsync(job.Id, default))).ParamName);
        Assert.Equal("batchSize", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.All, Team, batchSize: 0))).ParamName);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => h.Migrations.RunAsync(MigrationId.New(), Team));
        Assert.Equal(MigrationState.Requested, (await h.Migrations.GetJobAsync(job.Id, VersioningHarness.Team)).State);
    }
}
