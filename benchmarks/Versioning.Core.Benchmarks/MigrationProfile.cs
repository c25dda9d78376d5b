using System.Diagnostics;
using System.Globalization;
using NodaTime;
using NodaTime.Testing;
using Versioning.Core.Authorization;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Services;
using Versioning.Core.Sqlite;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P10 profile outside BenchmarkDotNet: one process seeds once (as the benchmark classes do) and then alternates the
/// migration and the raw UPDATE of the same rows, printing wall-clock and this process's CPU time for each. On SQLite all
/// the work runs in this process, so its CPU time is the cost of a migration independently of how loaded the machine is.
/// <c>p10 sqlite|postgres [installations] [batch] [rounds]</c>.
/// </summary>
internal static class MigrationProfile
{
    /// <summary>Runs the profile.</summary>
    public static void Run(string[] args)
    {
        var store = args.Length > 1 ? args[1] : "sqlite";
        var installations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
        var batch = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10_000;
        var rounds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 3;
        if (store == "sqlite-split")
        {
            SplitSqlite(installations, batch, rounds);
            return;
        }

        if (store == "postgres")
        {
            var b = new PostgreSqlMigrationBenchmarks { Installations = installations, BatchSize = batch };
            b.Setup();
            try
            {
                Alternate(rounds, b.PinEveryInstallationToA, () => b.Migrate50Percent().GetAwaiter().GetResult(), () => b.RawMoveSameRows().GetAwaiter().GetResult());
            }
            finally
            {
                b.Cleanup();
            }
        }
        else
        {
            var b = new SqliteMigrationBenchmarks { Installations = installations, BatchSize = batch };
            b.Setup();
            try
            {
                Alternate(rounds, b.PinEveryInstallationToA, () => b.Migrate50Percent().GetAwaiter().GetResult(), () => b.RawMoveSameRows());
            }
            finally
            {
                b.Cleanup();
            }
        }
    }

    private static void Alternate(int rounds, Action reset, Action migrate, Action raw)
    {
        for (var i = 0; i < rounds; i++)
        {
            Measure("migration", reset, migrate);
            Measure("raw UPDATE", reset, raw);
        }
    }

    private static void Measure(string what, Action reset, Action run)
    {
        reset();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        run();
        watch.Stop();
        process.Refresh();
        Console.WriteLine(FormattableString.Invariant(
            $"// p10 {what}: {watch.Elapsed.TotalSeconds:F2} s wall, {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s CPU of this process, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
    }

    /// <summary>
    /// Where a SQLite migration's time goes: the service's calls into the migration repository are timed (the job
    /// loads, the batches), the rest of the service's loop (the product re-check before each batch) is the difference.
    /// </summary>
    private static void SplitSqlite(int installations, int batch, int rounds)
    {
        var a = new VersionNumber(1, 0, 0);
        var b = new VersionNumber(1, 1, 0);
        var cs = DurableStoreSupport.NewSqliteFile("p10-split", out var path);
        try
        {
            using var database = new SqliteDatabase(cs);
            database.EnsureSchemaAsync().GetAwaiter().GetResult();
            var integrations = new SqliteIntegrationRepository(database);
            var id = DurableStoreSupport.SaveMigrationIntegration(integrations, a, b);
            DurableStoreSupport.SeedSqlite(cs, ProductRef.Of(id), VersionKey.ForVersion(a), installations);
            var timed = new TimedMigrations(new SqliteMigrationRepository(database));
            var service = new MigrationService(integrations, new SqliteTemplateRepository(database), new SqliteInstallationRepository(database), timed,
                new DefaultAccessPolicy(), new FakeClock(BenchmarkData.At), new VersioningOptions());
            for (var i = 0; i < rounds; i++)
            {
                DurableStoreSupport.ExecuteSqlite(cs, $"UPDATE installations SET pinned = '{VersionKey.ForVersion(a).Value}' WHERE pinned <> '{VersionKey.ForVersion(a).Value}'; DELETE FROM events; PRAGMA wal_checkpoint(TRUNCATE);");
                timed.Reset();
                var watch = Stopwatch.StartNew();
                var job = service.StartMigrationAsync(id, a, b, MigrationScope.Percentage(50), BenchmarkData.Owner, batch).GetAwaiter().GetResult();
                job = service.RunAsync(job.Id, BenchmarkData.Owner).GetAwaiter().GetResult();
                watch.Stop();
                Console.WriteLine(FormattableString.Invariant(
                    $"// p10 split (batch {batch}, {job.Batches} batches, {job.Moved} moved): total {watch.Elapsed.TotalSeconds:F2} s; RunBatchAsync {timed.Batch.TotalSeconds:F2} s; job loads (FindAsync) {timed.Find.TotalSeconds:F2} s; other repository calls {timed.Other.TotalSeconds:F2} s; rest of the service (product re-check, loop) {(watch.Elapsed - timed.Batch - timed.Find - timed.Other).TotalSeconds:F2} s; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            }
        }
        finally
        {
            DurableStoreSupport.DeleteSqliteFile(path);
        }
    }

    /// <summary>Times the calls into a migration repository.</summary>
    private sealed class TimedMigrations(IMigrationRepository inner) : IMigrationRepository
    {
        public TimeSpan Find { get; private set; }

        public TimeSpan Batch { get; private set; }

        public TimeSpan Other { get; private set; }

        public void Reset() => (Find, Batch, Other) = (TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

        public async Task<MigrationJob?> FindAsync(MigrationId id, CancellationToken cancellationToken = default)
        {
            var started = Stopwatch.GetTimestamp();
            var job = await inner.FindAsync(id, cancellationToken);
            Find += Stopwatch.GetElapsedTime(started);
            return job;
        }

        public async Task<MigrationJob> RunBatchAsync(MigrationJob job, ActorId by, Instant at, CancellationToken cancellationToken = default)
        {
            var started = Stopwatch.GetTimestamp();
            var next = await inner.RunBatchAsync(job, by, at, cancellationToken);
            Batch += Stopwatch.GetElapsedTime(started);
            return next;
        }

        public async Task<MigrationJob> SaveAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
        {
            var started = Stopwatch.GetTimestamp();
            var saved = await inner.SaveAsync(job, events, cancellationToken);
            Other += Stopwatch.GetElapsedTime(started);
            return saved;
        }

        public async Task<MigrationJob> SaveWithIntegrationAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, Integration integration, CancellationToken cancellationToken = default)
        {
            var started = Stopwatch.GetTimestamp();
            var saved = await inner.SaveWithIntegrationAsync(job, events, integration, cancellationToken);
            Other += Stopwatch.GetElapsedTime(started);
            return saved;
        }

        public Task<IReadOnlyList<MigrationJob>> ListAsync(ProductRef product, CancellationToken cancellationToken = default) => inner.ListAsync(product, cancellationToken);
    }
}
