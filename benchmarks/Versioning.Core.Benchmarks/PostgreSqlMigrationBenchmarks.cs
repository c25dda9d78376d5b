using Npgsql;
using NodaTime.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Versioning.Core.Authorization;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.PostgreSql;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P6 (PostgreSQL): migrate 1 000 000 installations of an integration from version A to version B at 50 % with
/// <see cref="MigrationService"/> on the PostgreSQL store (each batch one transaction: job row locked, keyset SELECT,
/// one UPDATE … FROM unnest, job row and events). Target ≤ 10 s, peak memory bounded by the batch size. Needs
/// <c>VERSIONING_TEST_POSTGRES</c>; without it the setup prints why and the benchmark returns immediately.
/// </summary>
/// <remarks>
/// Each process works in a schema of its own (dropped in GlobalCleanup), seeded once with one binary COPY into the
/// store's <c>installations</c> table after <see cref="PostgreSqlDatabase.EnsureSchemaAsync"/>. Before each iteration,
/// outside the measurement, one UPDATE pins every installation back to A and VACUUM ANALYZE removes the dead row
/// versions, so each iteration migrates the same cohort from the same state.
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class PostgreSqlMigrationBenchmarks
{
    private static readonly VersionNumber A = new(1, 0, 0);
    private static readonly VersionNumber B = new(1, 1, 0);

    private readonly HeapProbe _probe = new();
    private string? _connectionString;
    private string _schema = null!;
    private PostgreSqlDatabase _database = null!;
    private MigrationService _service = null!;
    private IntegrationId _id;
    private NpgsqlDataSource _rawSource = null!;

    /// <summary>How many installations the integration has.</summary>
    [Params(1_000_000)]
    public int Installations { get; set; }

    /// <summary>Installations scanned per batch (one transaction each).</summary>
    [Params(1_000, 10_000)]
    public int BatchSize { get; set; }

    /// <summary>Creates the schema, the integration (A Available, B Promoted), and seeds the installations on A.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _connectionString = DurableStoreSupport.PostgresConnectionString;
        if (_connectionString is null)
        {
            Console.WriteLine(DurableStoreSupport.PostgresSkipReason(nameof(PostgreSqlMigrationBenchmarks)));
            return;
        }

        _schema = DurableStoreSupport.NewSchemaName();
        _database = new PostgreSqlDatabase(_connectionString, _schema);
        _database.EnsureSchemaAsync().GetAwaiter().GetResult();
        var integrations = new PostgreSqlIntegrationRepository(_database);
        _id = DurableStoreSupport.SaveMigrationIntegration(integrations, A, B);
        var started = System.Diagnostics.Stopwatch.StartNew();
        DurableStoreSupport.SeedPostgresAsync(_connectionString, _schema, ProductRef.Of(_id), VersionKey.ForVersion(A), Installations).GetAwaiter().GetResult();
        Console.WriteLine($"// PostgreSqlMigrationBenchmarks: seeded {Installations} installations into schema {_schema} in {started.Elapsed.TotalSeconds:F1} s.");
        PostgresRawBaseline.CreateAsync(_connectionString, _schema, 1).GetAwaiter().GetResult();
        _rawSource = NpgsqlDataSource.Create(_connectionString);
        _service = new MigrationService(
            integrations,
            new PostgreSqlTemplateRepository(_database),
            new PostgreSqlInstallationRepository(_database),
            new PostgreSqlMigrationRepository(_database),
            new DefaultAccessPolicy(),
            new FakeClock(BenchmarkData.At),
            new VersioningOptions());
    }

    /// <summary>Pins every installation back to A and vacuums (not measured), and takes the heap baseline.</summary>
    [IterationSetup]
    public void PinEveryInstallationToA()
    {
        if (_connectionString is null)
        {
            return;
        }

        var a = VersionKey.ForVersion(A).Value;
        DurableStoreSupport.ExecutePostgresAsync(_connectionString,
            $"UPDATE \"{_schema}\".installations SET pinned = '{a}' WHERE product_id = '{_id}' AND pinned <> '{a}'; DELETE FROM \"{_schema}\".events;").GetAwaiter().GetResult();
        DurableStoreSupport.ExecutePostgresAsync(_connectionString, $"VACUUM ANALYZE \"{_schema}\".installations;").GetAwaiter().GetResult();
        _probe.Reset();
    }

    /// <summary>Prints the memory figures and drops the schema.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        if (_connectionString is null)
        {
            return;
        }

        _probe.Print(nameof(PostgreSqlMigrationBenchmarks), BatchSize, Installations);
        _rawSource.Dispose();
        _database.Dispose();
        DurableStoreSupport.ExecutePostgresAsync(_connectionString, $"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE;").GetAwaiter().GetResult();
    }

    /// <summary>Start and run a 50 % migration from A to B to completion.</summary>
    /// <returns>The completed job, or null when skipped.</returns>
    [Benchmark]
    public async Task<MigrationJob?> Migrate50Percent()
    {
        if (_connectionString is null)
        {
            return null;
        }

        var job = await _service.StartMigrationAsync(_id, A, B, MigrationScope.Percentage(50), BenchmarkData.Owner, BatchSize);
        job = await _service.RunAsync(job.Id, BenchmarkData.Owner, progress: _probe);
        if (job.State != MigrationState.Completed || job.Scanned != Installations)
        {
            throw new InvalidOperationException($"The migration did not complete as expected: {job.State}, {job.Scanned} scanned, {job.Moved} moved.");
        }

        return job;
    }

    /// <summary>P12 baseline (ratio 1.00): one raw single-row autocommit UPDATE (prepared) in the same database.</summary>
    /// <returns>A task.</returns>
    [Benchmark(Baseline = true)]
    public Task RawSingleRowTransaction()
        => _connectionString is null ? Task.CompletedTask : PostgresRawBaseline.SingleRowsAsync(_rawSource, _schema, 0, 1);

    /// <summary>P12: the same rows the migration moves (the same 50 % cohort, same predicate), one raw autocommit UPDATE.</summary>
    /// <returns>Rows moved.</returns>
    [Benchmark]
    public async Task<int> RawMoveSameRows()
    {
        if (_connectionString is null)
        {
            return 0;
        }

        var moved = await PostgresRawBaseline.MoveCohortAsync(_connectionString, _schema, ProductRef.Of(_id), VersionKey.ForVersion(A), VersionKey.ForVersion(B), 50);
        return moved > Installations / 3 ? moved : throw new InvalidOperationException($"The raw UPDATE moved {moved} rows.");
    }
}
