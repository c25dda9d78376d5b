using NodaTime.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Versioning.Core.Authorization;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P6 (in memory): migrate 1 000 000 installations of an integration from version A to version B at 50 % with
/// <see cref="MigrationService"/> (start the job, run it batch by batch to completion). Target ≤ 0.5 s.
/// </summary>
/// <remarks>
/// One operation takes long enough to time alone, so this suite runs its own job (Monitoring: one invocation per
/// iteration, three iterations) and, before each iteration, pins every installation back to A outside the measurement
/// (<c>[IterationSetup]</c>), so each iteration migrates exactly the same cohort. Allocated is per migration.
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class MigrationBenchmarks
{
    private static readonly VersionNumber A = new(1, 0, 0);
    private static readonly VersionNumber B = new(1, 1, 0);

    private InMemoryStore _store = null!;
    private MigrationService _service = null!;
    private IntegrationId _id;
    private ProductRef _product;

    /// <summary>How many installations the integration has.</summary>
    [Params(1_000_000)]
    public int Installations { get; set; }

    /// <summary>Builds the integration (A Available, B Promoted) and seeds the installations, all pinned to A.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _store = new InMemoryStore();
        var integrations = new InMemoryIntegrationRepository(_store);
        var integration = Integration.Create(IntegrationId.New(), "Benchmark migration", BenchmarkData.Owner, BenchmarkData.At);
        integration.CreateVersion(A, null, null, sequentialNumbering: false, BenchmarkData.Owner, BenchmarkData.At);
        integration.CreateVersion(B, null, null, sequentialNumbering: false, BenchmarkData.Owner, BenchmarkData.At);
        integration.Promote(A, [], BenchmarkData.Owner, BenchmarkData.At);
        integration.Promote(B, [], BenchmarkData.Owner, BenchmarkData.At);
        integrations.SaveAsync(integration).GetAwaiter().GetResult();
        _id = integration.Id;
        _product = ProductRef.Of(_id);

        // Seeded straight into the store: saving a million installations one by one would also store a million
        // "Installed" events, which the migration never reads.
        var pinned = VersionKey.ForVersion(A);
        lock (_store.Gate)
        {
            for (var i = 0; i < Installations; i++)
            {
                _store.Put(new Installation
                {
                    Id = InstallationId.New(),
                    Product = _product,
                    Owner = OwnerRef.Account($"account-{i % 10_000}"),
                    Pinned = pinned,
                    Status = i % 10 == 0 ? RunStatus.Paused : RunStatus.Running,
                    CreatedAt = BenchmarkData.At,
                    UpdatedAt = BenchmarkData.At,
                });
            }
        }

        _service = new MigrationService(
            integrations,
            new InMemoryTemplateRepository(_store),
            new InMemoryInstallationRepository(_store),
            new InMemoryMigrationRepository(_store),
            new DefaultAccessPolicy(),
            new FakeClock(BenchmarkData.At),
            new VersioningOptions());
    }

    /// <summary>Pins every installation back to A (not measured) and forgets the previous iteration's jobs and events.</summary>
    [IterationSetup]
    public void PinEveryInstallationToA()
    {
        var a = VersionKey.ForVersion(A);
        lock (_store.Gate)
        {
            foreach (var installation in _store.AllInstallations().Where(i => i.Pinned != a).ToList())
            {
                _store.Put(installation with { Pinned = a });
            }

            _store.Jobs.Clear();
            _store.Events.Clear();
        }
    }

    /// <summary>Start and run a 50 % migration from A to B to completion.</summary>
    /// <returns>The completed job.</returns>
    [Benchmark]
    public async Task<MigrationJob> Migrate50Percent()
    {
        var job = await _service.StartMigrationAsync(_id, A, B, MigrationScope.Percentage(50), BenchmarkData.Owner);
        job = await _service.RunAsync(job.Id, BenchmarkData.Owner);
        if (job.State != MigrationState.Completed || job.Scanned != Installations)
        {
            throw new InvalidOperationException($"The migration did not complete as expected: {job.State}, {job.Scanned} scanned, {job.Moved} moved.");
        }

        return job;
    }
}
