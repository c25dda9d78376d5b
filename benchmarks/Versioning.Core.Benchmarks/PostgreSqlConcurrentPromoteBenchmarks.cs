using Npgsql;
using NodaTime.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Versioning.Core.Authorization;
using Versioning.Core.Integrations;
using Versioning.Core.PostgreSql;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P7 and P11: PostgreSQL, <see cref="Clients"/> concurrent clients (Tasks, 1 or 8) promoting on different integrations
/// through <see cref="IntegrationService.PromoteAsync"/>, sharing one <see cref="PostgreSqlDatabase"/> (one pooled data
/// source, as the services of one host do). One invocation is <see cref="Operations"/> promotions shared by the
/// clients, and BenchmarkDotNet divides by them (OperationsPerInvoke), so Mean is the wall-clock time per promotion
/// across all clients and throughput = 1 / Mean. P7: ≥ 2 000 per second with 8 clients (Mean ≤ 500 µs). P12: in the same
/// run the same clients run raw SQL (the baseline: one single-row autocommit UPDATE each time; and the rows of a promote
/// in one round trip); P11: a promote within 2× of the baseline. Needs <c>VERSIONING_TEST_POSTGRES</c>; without it the
/// setup prints why and the benchmark returns immediately.
/// </summary>
/// <remarks>
/// Each client owns <see cref="IntegrationsPerClient"/> integrations of 10 versions and promotes
/// <see cref="PromotionsPerClient"/> / <see cref="IntegrationsPerClient"/> times (an even number) on each in turn, so
/// every aggregate's history stays between 12 and 12 + 2 × that many entries within an iteration; before each
/// iteration (not measured) the audit entries written since the setup and the outbox rows are deleted, so every
/// iteration starts from the same histories. Each process works in a schema of its own, dropped in GlobalCleanup.
/// Thirty warm-up iterations (about 15 s): on two saturated cores tiered compilation needs 10–15 s to finish optimising
/// this code, and the figure that matters for a host is the steady state (docs/benchmarks.md, round of 2026-11-28).
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 30, iterationCount: 10)]
public class PostgreSqlConcurrentPromoteBenchmarks
{
    /// <summary>Promotions (or raw writes) per invocation, shared evenly by the clients.</summary>
    public const int Operations = 1_024;

    /// <summary>Integrations each client promotes on, one after the other.</summary>
    public const int IntegrationsPerClient = 4;


    private const int Versions = 10;

    private string? _connectionString;
    private string _schema = null!;
    private PostgreSqlDatabase _database = null!;
    private IntegrationService _service = null!;
    private IntegrationId[][] _integrations = null!;
    private int _historyBase;
    private IntegrationId[] _raw = null!;
    private NpgsqlDataSource _rawSource = null!;

    /// <summary>Concurrent clients.</summary>
    [Params(1, 8)]
    public int Clients { get; set; }

    private int PromotionsPerClient => Operations / Clients;

    /// <summary>Creates the schema and the integrations.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _connectionString = DurableStoreSupport.PostgresConnectionString;
        if (_connectionString is null)
        {
            Console.WriteLine(DurableStoreSupport.PostgresSkipReason(nameof(PostgreSqlConcurrentPromoteBenchmarks)));
            return;
        }

        _schema = DurableStoreSupport.NewSchemaName();
        _database = new PostgreSqlDatabase(_connectionString, _schema);
        _database.EnsureSchemaAsync().GetAwaiter().GetResult();
        var repository = new PostgreSqlIntegrationRepository(_database);
        _integrations = new IntegrationId[Clients][];
        for (var c = 0; c < Clients; c++)
        {
            _integrations[c] = new IntegrationId[IntegrationsPerClient];
            for (var k = 0; k < IntegrationsPerClient; k++)
            {
                var integration = BenchmarkData.IntegrationWithVersions(Versions);
                repository.SaveAsync(integration).GetAwaiter().GetResult();
                _integrations[c][k] = integration.Id;
                _historyBase = integration.AuditTrail.Count;
            }
        }

        _raw = new IntegrationId[Clients];
        for (var c = 0; c < Clients; c++)
        {
            var integration = BenchmarkData.IntegrationWithVersions(Versions);
            repository.SaveAsync(integration).GetAwaiter().GetResult();
            _raw[c] = integration.Id;
        }

        PostgresRawBaseline.CreateAsync(_connectionString, _schema, Clients).GetAwaiter().GetResult();
        // The store's own connection defaults (automatic preparation, no reset on close), so the raw rows run as it does.
        _rawSource = new NpgsqlDataSourceBuilder(_connectionString)
        {
            ConnectionStringBuilder = { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2, NoResetOnClose = true },
        }.Build();
        _service = new IntegrationService(
            repository,
            new PostgreSqlInstallationRepository(_database),
            [],
            new DefaultAccessPolicy(),
            new FakeClock(BenchmarkData.At),
            new VersioningOptions());
        Console.WriteLine($"// PostgreSqlConcurrentPromoteBenchmarks: schema {_schema}, {Clients} clients × {IntegrationsPerClient} integrations of {Versions} versions ({_historyBase} audit entries each at start).");
    }

    /// <summary>Deletes the audit entries written since the setup and the outbox rows (not measured).</summary>
    [IterationSetup]
    public void ResetHistories()
    {
        if (_connectionString is null)
        {
            return;
        }

        DurableStoreSupport.ExecutePostgresAsync(_connectionString,
            $"DELETE FROM \"{_schema}\".audit_entries WHERE seq >= {_historyBase}; DELETE FROM \"{_schema}\".events;").GetAwaiter().GetResult();
        DurableStoreSupport.ExecutePostgresAsync(_connectionString, $"VACUUM ANALYZE \"{_schema}\".audit_entries, \"{_schema}\".events, \"{_schema}\".integrations, \"{_schema}\".integration_versions;").GetAwaiter().GetResult();
    }

    /// <summary>Drops the schema.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        if (_connectionString is null)
        {
            return;
        }

        _rawSource.Dispose();
        _database.Dispose();
        DurableStoreSupport.ExecutePostgresAsync(_connectionString, $"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE;").GetAwaiter().GetResult();
    }

    /// <summary>The clients promote concurrently, <see cref="Operations"/> promotions in all; Mean is per promotion.</summary>
    /// <returns>A task.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task Promote() => RunClients(c => PromoteLoopAsync(_integrations[c]));

    /// <summary>
    /// P12 baseline (ratio 1.00): the same clients each run their share of single-row autocommit UPDATEs of a row of their
    /// own (one prepared statement, one connection each); Mean is per UPDATE.
    /// </summary>
    /// <returns>A task.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public Task RawSingleRowAutocommitUpdate() => RunClients(c => PostgresRawBaseline.SingleRowsAsync(_rawSource, _schema, c, PromotionsPerClient));

    /// <summary>
    /// P12: the same clients each write, their share of times, the rows of a promote (integration row, two version rows,
    /// two audit entries, two events) in one round trip (one implicit transaction, as the store's save); Mean is per promote.
    /// </summary>
    /// <returns>A task.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task RawPromoteRows() => RunClients(c => PostgresRawBaseline.PromoteRowsAsync(
        _rawSource, _schema, _raw[c], BenchmarkData.Number(Versions - 2), BenchmarkData.Number(Versions - 1), PromotionsPerClient));

    private Task RunClients(Func<int, Task> client)
    {
        if (_connectionString is null)
        {
            return Task.CompletedTask;
        }

        var clients = new Task[Clients];
        for (var c = 0; c < Clients; c++)
        {
            var mine = c;
            clients[c] = Task.Run(() => client(mine));
        }

        return Task.WhenAll(clients);
    }

    private async Task PromoteLoopAsync(IntegrationId[] integrations)
    {
        var perIntegration = PromotionsPerClient / IntegrationsPerClient;
        foreach (var id in integrations)
        {
            var available = BenchmarkData.Number(Versions - 2);
            var promoted = BenchmarkData.Number(Versions - 1);
            for (var i = 0; i < perIntegration; i++)
            {
                await _service.PromoteAsync(id, available, BenchmarkData.Owner);
                (available, promoted) = (promoted, available);
            }
        }
    }
}
