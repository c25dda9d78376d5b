using BenchmarkDotNet.Attributes;
using NodaTime.Testing;
using Npgsql;
using Versioning.Core.Authorization;
using Versioning.Core.Content;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.PostgreSql;
using Versioning.Core.Services;
using Versioning.Core.Sqlite;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P8: commands touch what they change. <see cref="IntegrationService.PromoteAsync"/> and
/// <see cref="IntegrationService.SetNotesAsync"/> end to end (load for the command, policy, change, save, commit) on an
/// integration of 10 and of 10 000 versions (target: within 2×), and with 10 MB of content in another version and in the
/// Promoted one instead of none (target: the same cost as with 1 KB), in memory, on SQLite and on PostgreSQL. The
/// set-notes target holds 1 KB of content, which the command returns and so reads.
/// </summary>
/// <remarks>
/// The service runs the built-in <see cref="ReleaseNotesPresentCheck"/>, which does not read the Promoted version's
/// content, so a promotion loads the candidate with its content and the Promoted version without. P12: the raw row is
/// the store's floor for one write (memory: a dictionary write under a lock; SQLite: <c>BEGIN IMMEDIATE</c>, one
/// single-row UPDATE, COMMIT; PostgreSQL: one prepared single-row autocommit UPDATE); compare each figure with the raw
/// row of the same run. The history grows through the run; commands load without it, so that does not matter.
/// </remarks>
[MemoryDiagnoser]
public class CommandScaleBenchmarks
{
    private const int TargetIndex = 1;

    private readonly Dictionary<int, long> _rawMemory = [];
    private IIntegrationRepository _integrations = null!;
    private IntegrationService _service = null!;
    private IntegrationId _id;
    private VersionNumber _available;
    private VersionNumber _current;
    private int _notes;
    private SqliteDatabase? _sqlite;
    private string? _sqlitePath;
    private SqliteRawBaseline? _sqliteRaw;
    private PostgreSqlDatabase? _postgres;
    private string? _postgresConnectionString;
    private string? _schema;
    private NpgsqlConnection? _postgresRawConnection;
    private NpgsqlCommand? _postgresRaw;

    /// <summary>The store: Memory, Sqlite or PostgreSql (all three unless the environment variable P8_STORES lists some, comma-separated).</summary>
    [ParamsSource(nameof(Stores))]
    public string Store { get; set; } = "Memory";

    /// <summary>The stores to measure.</summary>
    public static IEnumerable<string> Stores
        => Environment.GetEnvironmentVariable("P8_STORES") is { Length: > 0 } list ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : ["Memory", "Sqlite", "PostgreSql"];

    /// <summary>The integration: 10 or 10 000 versions of empty content, or 10 versions two of which (one of them the Promoted one) hold 10 MB.</summary>
    [Params("10 versions", "10000 versions", "10 versions, 10 MB")]
    public string Shape { get; set; } = "10 versions";

    /// <summary>Builds the store and the integration.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var versions = Shape.StartsWith("10000", StringComparison.Ordinal) ? 10_000 : 10;
        var large = Shape.EndsWith("10 MB", StringComparison.Ordinal);
        var integration = Integration.Create(IntegrationId.New(), $"P8 {Shape}", BenchmarkData.Owner, BenchmarkData.At);
        for (var i = 0; i < versions; i++)
        {
            var content = i == TargetIndex ? Content(1, 1_000) : large && (i == 0 || i == versions - 1) ? Content(1_000, 10_000) : null;
            integration.CreateVersion(BenchmarkData.Number(i), content, null, sequentialNumbering: false, BenchmarkData.Owner, BenchmarkData.At);
        }

        integration.SetNotes(BenchmarkData.Number(versions - 2), "notes", BenchmarkData.Owner, BenchmarkData.At);
        integration.SetNotes(BenchmarkData.Number(versions - 1), "notes", BenchmarkData.Owner, BenchmarkData.At);
        integration.Promote(BenchmarkData.Number(versions - 2), [], BenchmarkData.Owner, BenchmarkData.At);
        integration.Promote(BenchmarkData.Number(versions - 1), [], BenchmarkData.Owner, BenchmarkData.At);
        _available = BenchmarkData.Number(versions - 2);
        _current = BenchmarkData.Number(versions - 1);
        _id = integration.Id;

        IInstallationRepository installations;
        switch (Store)
        {
            case "Memory":
                var store = new InMemoryStore();
                _integrations = new InMemoryIntegrationRepository(store);
                installations = new InMemoryInstallationRepository(store);
                break;
            case "Sqlite":
                var connectionString = DurableStoreSupport.NewSqliteFile("p8", out var path);
                _sqlitePath = path;
                _sqlite = new SqliteDatabase(connectionString);
                _sqlite.EnsureSchemaAsync().GetAwaiter().GetResult();
                _integrations = new SqliteIntegrationRepository(_sqlite);
                installations = new SqliteInstallationRepository(_sqlite);
                _sqliteRaw = new SqliteRawBaseline(connectionString);
                break;
            default:
                _postgresConnectionString = DurableStoreSupport.PostgresConnectionString
                    ?? throw new InvalidOperationException(DurableStoreSupport.PostgresSkipReason(nameof(CommandScaleBenchmarks)));
                _schema = DurableStoreSupport.NewSchemaName();
                _postgres = new PostgreSqlDatabase(_postgresConnectionString, _schema);
                _postgres.EnsureSchemaAsync().GetAwaiter().GetResult();
                _integrations = new PostgreSqlIntegrationRepository(_postgres);
                installations = new PostgreSqlInstallationRepository(_postgres);
                PostgresRawBaseline.CreateAsync(_postgresConnectionString, _schema, 1).GetAwaiter().GetResult();
                _postgresRawConnection = new NpgsqlConnection(_postgresConnectionString);
                _postgresRawConnection.Open();
                _postgresRaw = new NpgsqlCommand($"UPDATE \"{_schema}\".{RawBaselines.SingleRowTable} SET n = n + 1 WHERE id = 0;", _postgresRawConnection);
                _postgresRaw.Prepare();
                break;
        }

        _integrations.SaveAsync(integration).GetAwaiter().GetResult();
        _service = new IntegrationService(_integrations, installations, [new ReleaseNotesPresentCheck()], new DefaultAccessPolicy(), new FakeClock(BenchmarkData.At), new VersioningOptions());
        Console.WriteLine($"// CommandScaleBenchmarks: {Store}, {Shape}: {versions} versions, set-notes target {BenchmarkData.Number(TargetIndex)} with 1 KB{(large ? $", 10 MB in {BenchmarkData.Number(0)} and in the Promoted {_current}" : string.Empty)}.");
    }

    /// <summary>Closes and deletes what the setup made.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _sqliteRaw?.Dispose();
        _sqlite?.Dispose();
        if (_sqlitePath is not null)
        {
            DurableStoreSupport.DeleteSqliteFile(_sqlitePath);
        }

        _postgresRaw?.Dispose();
        _postgresRawConnection?.Dispose();
        _postgres?.Dispose();
        if (_postgresConnectionString is not null)
        {
            DurableStoreSupport.ExecutePostgresAsync(_postgresConnectionString, $"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE;").GetAwaiter().GetResult();
        }
    }

    /// <summary>Promote the Available one of the last two versions (the other is demoted), through the service.</summary>
    /// <returns>The result.</returns>
    [Benchmark]
    public Task<PromotionResult> Promote()
    {
        (_available, _current) = (_current, _available);
        return _service.PromoteAsync(_id, _current, BenchmarkData.Owner);
    }

    /// <summary>Set the notes of version 0.1.0 (1 KB of content), alternating two texts so every call writes.</summary>
    /// <returns>The changed version.</returns>
    [Benchmark]
    public Task<IntegrationVersion> SetNotes()
        => _service.SetNotesAsync(_id, BenchmarkData.Number(TargetIndex), (++_notes & 1) == 0 ? "even notes" : "odd notes", BenchmarkData.Owner);

    /// <summary>P12: the store's floor for one write (see the class remarks).</summary>
    /// <returns>Rows changed.</returns>
    [Benchmark(Baseline = true)]
    public long RawSingleRow()
    {
        switch (Store)
        {
            case "Memory":
                lock (_rawMemory)
                {
                    _rawMemory[0] = _rawMemory.GetValueOrDefault(0) + 1;
                    return 1;
                }

            case "Sqlite":
                return _sqliteRaw!.SingleRow();
            default:
                return _postgresRaw!.ExecuteNonQuery();
        }
    }

    // steps × one setting of valueLength characters: 1 × 1 000 is about 1 KB, 1 000 × 10 000 about 10 MB.
    private static WorkflowDefinition Content(int steps, int valueLength)
        => new(Enumerable.Range(0, steps).Select(i => new Step($"step {i}", new ConnectorRef("Crm", "1.0"), "Create", [new("payload", new string((char)('a' + (i % 26)), valueLength))])));
}
