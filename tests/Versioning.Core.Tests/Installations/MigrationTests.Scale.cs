using System.Diagnostics;
using Versioning.Core.Installations;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Installations;

/// <summary>Correctness at scale (not a benchmark: P6 is measured with BenchmarkDotNet).</summary>
public sealed partial class MigrationTests
{
    [Fact]
    public async Task RunAsync_HundredThousandInstallationsAtFiftyPercent_MovesExactlyThePredictedCohort_M4()
    {
        const int Count = 100_000;
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var product = ProductRef.Of(app);
        var installed = await h.SeedAsync(product, K("1.0.0"), Count, new Random(2026));
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        var predicted = installed.Where(i => Cohort.IsSelected(i.Id, K("1.0.0"), K("1.1.0"), 50)).Select(i => i.Id).ToHashSet();
        var progress = new RecordingProgress<MigrationJob>();
        var watch = Stopwatch.StartNew();

        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.Percentage(50), Team);
        job = await h.Migrations.RunAsync(job.Id, Team, progress: progress);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Equal(MigrationState.Completed, job.State);
        Assert.Equal((long)Count, job.Total);
        Assert.Equal((long)Count, job.Scanned);
        Assert.Equal(predicted.Count, job.Moved);
        Assert.InRange(predicted.Count, 49_000, 51_000);
        Assert.Equal(Count / 1_000 + 1, job.Batches);
        var after = await h.AllInstallationsAsync(product);
        var moved = after.Values.Where(i => i.Pinned == K("1.1.0")).Select(i => i.Id).ToHashSet();
        Assert.Equal(predicted.Count, moved.Count);
        Assert.True(predicted.SetEquals(moved));
        var counts = await h.InstallationStore.CountByVersionAsync(product);
        Assert.Equal(predicted.Count, counts[K("1.1.0")].Total);
        Assert.Equal(Count - predicted.Count, counts[K("1.0.0")].Total);
        var movedEvents = (await h.AllEventsAsync()).Count(e => e.AggregateId == job.Id.ToString() && e.Type == "InstallationsMoved");
        var batchesThatMoved = progress.Reports.Select((r, i) => r.Moved - (i == 0 ? 0 : progress.Reports[i - 1].Moved)).Count(d => d > 0);
        Assert.Equal(job.Batches, progress.Reports.Count);
        Assert.Equal(batchesThatMoved, movedEvents);
        Assert.Equal(Count / 1_000, movedEvents);
    }
}
