using NodaTime.Testing;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Versioning.Core.Authorization;
using Versioning.Core.Integrations;
using Versioning.Core.Sqlite;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P5: the SQLite store on a temporary database file in WAL mode (the store's own pragmas: WAL, synchronous=NORMAL,
/// pooled connections, <c>BEGIN IMMEDIATE</c> writes). <see cref="PromoteRoundTrip"/> is one
/// <see cref="IntegrationService.PromoteAsync"/> end to end (load, policy, promote, save with revision check, audit rows
/// and outbox rows, commit); target ≥ 5 000 per second, that is a mean ≤ 200 µs. <see cref="Load1000Versions"/> is
/// <see cref="SqliteIntegrationRepository.FindAsync"/> of an integration with 1 000 versions and about 1 000 audit
/// entries; target ≤ 5 ms.
/// </summary>
/// <remarks>
/// Each promotion appends two audit entries and two outbox rows, and nothing is ever deleted: the history of the promoted
/// integration grows through the whole run (to hundreds of thousands of entries). The service loads it for the command
/// without its audit trail (<see cref="SqliteIntegrationRepository.FindWithoutAuditTrailAsync"/>), so the figure does not
/// depend on how long the history has grown. (Before that load existed, every load read the whole trail and the benchmark deleted the new
/// entries every 64 promotions, inside the measurement.)
/// </remarks>
[MemoryDiagnoser]
public class SqliteBenchmarks
{

    private const int PromotedVersions = 10;

    private string _path = null!;
    private string _connectionString = null!;
    private SqliteDatabase _database = null!;
    private SqliteIntegrationRepository _integrations = null!;
    private IntegrationService _service = null!;
    private IntegrationId _promoted;
    private int _historyBase;
    private IntegrationId _large;
    private VersionNumber _available;
    private VersionNumber _current;
    private SqliteRawBaseline _raw = null!;

    /// <summary>Creates the file, the schema, an integration with 10 versions to promote and one with 1 000 to load.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _connectionString = DurableStoreSupport.NewSqliteFile("p5-sqlite", out _path);
        var database = _database = new SqliteDatabase(_connectionString);
        database.EnsureSchemaAsync().GetAwaiter().GetResult();
        _integrations = new SqliteIntegrationRepository(database);

        var promoted = BenchmarkData.IntegrationWithVersions(PromotedVersions);
        _integrations.SaveAsync(promoted).GetAwaiter().GetResult();
        _promoted = promoted.Id;
        _historyBase = promoted.AuditTrail.Count;
        _available = BenchmarkData.Number(PromotedVersions - 2);
        _current = BenchmarkData.Number(PromotedVersions - 1);

        var large = BenchmarkData.IntegrationWithVersions(1_000);
        _integrations.SaveAsync(large).GetAwaiter().GetResult();
        _large = large.Id;

        var raw = BenchmarkData.IntegrationWithVersions(PromotedVersions);
        _integrations.SaveAsync(raw).GetAwaiter().GetResult();
        _raw = new SqliteRawBaseline(_connectionString, raw.Id, BenchmarkData.Number(PromotedVersions - 2), BenchmarkData.Number(PromotedVersions - 1));

        _service = new IntegrationService(
            _integrations,
            new SqliteInstallationRepository(database),
            [],
            new DefaultAccessPolicy(),
            new FakeClock(BenchmarkData.At),
            new VersioningOptions());
        // P9 profile: the pages each kind of commit writes (WAL frames), before anything is measured.
        Console.WriteLine("// SqliteBenchmarks WAL profile, raw single row: " + SqliteWalProfile.Measure(_connectionString, _path, 50, () => _raw.SingleRow()));
        Console.WriteLine("// SqliteBenchmarks WAL profile, raw promote rows: " + SqliteWalProfile.Measure(_connectionString, _path, 50, () => _raw.PromoteRows()));
        Console.WriteLine("// SqliteBenchmarks WAL profile, promote: " + SqliteWalProfile.Measure(_connectionString, _path, 50, () => PromoteRoundTrip().GetAwaiter().GetResult()));
        Console.WriteLine($"// SqliteBenchmarks: database {_path}; promoted integration 10 versions, {_historyBase} audit entries at start; loaded integration {large.Versions.Count} versions, {large.AuditTrail.Count} audit entries.");
    }

    /// <summary>Closes the database's connections and deletes the file.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _database.Dispose();
        DurableStoreSupport.DeleteSqliteFile(_path);
    }

    /// <summary>Load, promote (Available → Promoted, Promoted → Available), save and commit, through the service.</summary>
    /// <returns>The promotion result.</returns>
    [Benchmark]
    public async Task<PromotionResult> PromoteRoundTrip()
    {
        var next = _available;
        _available = _current;
        _current = next;
        return await _service.PromoteAsync(_promoted, next, BenchmarkData.Owner);
    }

    /// <summary>
    /// P12 baseline (the ratio column's 1.00): the floor of a write on this file, raw SQL on an open connection with the
    /// store's pragmas and a prepared statement: <c>BEGIN IMMEDIATE</c>, one single-row UPDATE, COMMIT. P9: a promote
    /// within 4× of it.
    /// </summary>
    /// <returns>Rows changed.</returns>
    [Benchmark(Baseline = true)]
    public int RawSingleRowTransaction() => _raw.SingleRow();

    /// <summary>
    /// P12: the rows a promote writes (integration row, the demoted and the promoted version rows, two audit entries,
    /// two outbox events), raw SQL, prepared, in one <c>BEGIN IMMEDIATE</c> transaction, on an integration of its own.
    /// </summary>
    /// <returns>Rows changed.</returns>
    [Benchmark]
    public int RawPromoteRows() => _raw.PromoteRows();

    /// <summary>
    /// Baseline for <see cref="Load1000Versions"/> (not a target): the same three queries on the same rows, each text
    /// column read as a string, but nothing parsed (no JSON, no enum, no aggregate rebuilt): what SQLite itself costs.
    /// </summary>
    /// <returns>Characters read.</returns>
    [Benchmark]
    public long Load1000VersionsRawRows()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var tx = connection.BeginTransaction(deferred: true);
        long chars = 0;
        foreach (var sql in new[]
        {
            $"SELECT name, data FROM integrations WHERE id = '{_large}';",
            $"SELECT number, data FROM integration_versions WHERE integration_id = '{_large}';",
            $"SELECT action, details FROM audit_entries WHERE aggregate_id = '{_large}' ORDER BY seq;",
        })
        {
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                chars += reader.GetString(0).Length + reader.GetString(1).Length;
            }
        }

        return chars;
    }

    /// <summary>Loads the integration with 1 000 versions (header, version rows, audit trail) in one read transaction.</summary>
    /// <returns>The integration.</returns>
    [Benchmark]
    public async Task<Integration?> Load1000Versions() => await _integrations.FindAsync(_large);
}
