using NodaTime.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Versioning.Core.Authorization;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Sqlite;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P6 (SQLite): migrate 1 000 000 installations of an integration from version A to version B at 50 % with
/// <see cref="MigrationService"/> on the SQLite store (start the job, run it batch by batch to completion; each batch is
/// one <c>BEGIN IMMEDIATE</c> transaction: keyset SELECT, one set-based UPDATE, job checkpoint and events). Target ≤ 5 s,
/// peak memory bounded by the batch size.
/// </summary>
/// <remarks>
/// The installations are seeded once per process with raw SQL (one transaction, one prepared INSERT). Before each
/// iteration, outside the measurement, one UPDATE pins every installation back to A, so each iteration migrates the
/// same cohort from the same state. <see cref="HeapProbe"/> samples the managed heap after every batch; GlobalCleanup
/// prints its peaks with the process's peak working set, which is how "bounded by the batch size" is checked.
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class SqliteMigrationBenchmarks
{
    private static readonly VersionNumber A = new(1, 0, 0);
    private static readonly VersionNumber B = new(1, 1, 0);

    private readonly HeapProbe _probe = new();
    private string _path = null!;
    private string _connectionString = null!;
    private SqliteDatabase _database = null!;
    private MigrationService _service = null!;
    private IntegrationId _id;
    private SqliteRawBaseline _raw = null!;

    /// <summary>How many installations the integration has.</summary>
    [Params(1_000_000)]
    public int Installations { get; set; }

    /// <summary>Installations scanned per batch (one transaction each).</summary>
    [Params(1_000, 10_000)]
    public int BatchSize { get; set; }

    /// <summary>Creates the file and schema, the integration (A Available, B Promoted), and seeds the installations on A.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _connectionString = DurableStoreSupport.NewSqliteFile("p6-sqlite", out _path);
        var database = _database = new SqliteDatabase(_connectionString);
        database.EnsureSchemaAsync().GetAwaiter().GetResult();
        var integrations = new SqliteIntegrationRepository(database);
        _id = DurableStoreSupport.SaveMigrationIntegration(integrations, A, B);
        var started = System.Diagnostics.Stopwatch.StartNew();
        DurableStoreSupport.SeedSqlite(_connectionString, ProductRef.Of(_id), VersionKey.ForVersion(A), Installations);
        Console.WriteLine($"// SqliteMigrationBenchmarks: seeded {Installations} installations in {started.Elapsed.TotalSeconds:F1} s ({new FileInfo(_path).Length / 1_048_576} MiB file).");
        _raw = new SqliteRawBaseline(_connectionString);
        _service = new MigrationService(
            integrations,
            new SqliteTemplateRepository(database),
            new SqliteInstallationRepository(database),
            new SqliteMigrationRepository(database),
            new DefaultAccessPolicy(),
            new FakeClock(BenchmarkData.At),
            new VersioningOptions());
    }

    /// <summary>Pins every installation back to A (not measured) and takes the heap baseline.</summary>
    [IterationSetup]
    public void PinEveryInstallationToA()
    {
        DurableStoreSupport.ExecuteSqlite(_connectionString,
            $"UPDATE installations SET pinned = '{VersionKey.ForVersion(A).Value}' WHERE product_id = '{_id}' AND pinned <> '{VersionKey.ForVersion(A).Value}'; DELETE FROM events; PRAGMA wal_checkpoint(TRUNCATE);");
        _probe.Reset();
    }

    /// <summary>Prints the memory figures and deletes the file.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _probe.Print(nameof(SqliteMigrationBenchmarks), BatchSize, Installations);
        _raw.Dispose();
        _database.Dispose();
        DurableStoreSupport.DeleteSqliteFile(_path);
    }

    /// <summary>Start and run a 50 % migration from A to B to completion.</summary>
    /// <returns>The completed job.</returns>
    [Benchmark]
    public async Task<MigrationJob> Migrate50Percent()
    {
        var job = await _service.StartMigrationAsync(_id, A, B, MigrationScope.Percentage(50), BenchmarkData.Owner, BatchSize);
        job = await _service.RunAsync(job.Id, BenchmarkData.Owner, progress: _probe);
        if (job.State != MigrationState.Completed || job.Scanned != Installations)
        {
            throw new InvalidOperationException($"The migration did not complete as expected: {job.State}, {job.Scanned} scanned, {job.Moved} moved.");
        }

        return job;
    }

    /// <summary>P12 baseline (ratio 1.00): a raw single-row transaction on the same file (<c>BEGIN IMMEDIATE</c>, UPDATE, COMMIT).</summary>
    /// <returns>Rows changed.</returns>
    [Benchmark(Baseline = true)]
    public int RawSingleRowTransaction() => _raw.SingleRow();

    /// <summary>P12: the same rows the migration moves (the same 50 % cohort, same predicate), one raw UPDATE in one transaction.</summary>
    /// <returns>Rows moved.</returns>
    [Benchmark]
    public int RawMoveSameRows()
    {
        var moved = _raw.MoveCohort(ProductRef.Of(_id), VersionKey.ForVersion(A), VersionKey.ForVersion(B), 50);
        return moved > Installations / 3 ? moved : throw new InvalidOperationException($"The raw UPDATE moved {moved} rows.");
    }
}
