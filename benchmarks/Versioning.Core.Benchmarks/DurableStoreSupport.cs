using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// What the durable-store suites (P5, P6 SQLite/PostgreSQL, P7) share: temporary SQLite files, PostgreSQL schemas of
/// their own, fast raw-SQL seeding of installations, and a probe of the memory used while a migration runs.
/// </summary>
internal static class DurableStoreSupport
{
    /// <summary>The environment variable holding the PostgreSQL connection string (the same one the store tests use).</summary>
    public const string PostgresVariable = "VERSIONING_TEST_POSTGRES";

    /// <summary>The PostgreSQL connection string, or null when <see cref="PostgresVariable"/> is unset.</summary>
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs ? cs : null;

    /// <summary>The message printed by a PostgreSQL suite that skips its measurement.</summary>
    public static string PostgresSkipReason(string suite)
        => $"// {suite}: SKIPPED, {PostgresVariable} is unset (run `source .ci/postgres.sh` first); the benchmark only returns immediately, its figure means nothing.";

    /// <summary>A new SQLite database file in the temporary directory (its connection string); nothing is created yet.</summary>
    public static string NewSqliteFile(string prefix, out string path)
    {
        path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.db");
        return $"Data Source={path}";
    }

    /// <summary>Closes the pooled connections and deletes a SQLite file with its WAL and shared-memory files.</summary>
    public static void DeleteSqliteFile(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>A fresh schema name for one benchmark process ("bench_" + random hex).</summary>
    public static string NewSchemaName() => "bench_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Runs one statement outside any transaction on a separate connection.</summary>
    public static async Task ExecutePostgresAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs one statement on a SQLite file (its own connection, no pooling).</summary>
    public static void ExecuteSqlite(string connectionString, string sql)
    {
        using var connection = new SqliteConnection(connectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout=30000; " + sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// An integration with versions A (Available) and B (Promoted), saved through <paramref name="integrations"/>:
    /// the shape a 50 % migration from A to B needs.
    /// </summary>
    public static IntegrationId SaveMigrationIntegration(IIntegrationRepository integrations, VersionNumber a, VersionNumber b)
    {
        var integration = Integration.Create(IntegrationId.New(), "Benchmark migration", BenchmarkData.Owner, BenchmarkData.At);
        integration.CreateVersion(a, null, null, sequentialNumbering: false, BenchmarkData.Owner, BenchmarkData.At);
        integration.CreateVersion(b, null, null, sequentialNumbering: false, BenchmarkData.Owner, BenchmarkData.At);
        integration.Promote(a, [], BenchmarkData.Owner, BenchmarkData.At);
        integration.Promote(b, [], BenchmarkData.Owner, BenchmarkData.At);
        integrations.SaveAsync(integration).GetAwaiter().GetResult();
        return integration.Id;
    }

    /// <summary>
    /// Seeds <paramref name="count"/> installations of <paramref name="product"/>, all pinned to <paramref name="pinned"/>,
    /// straight into the SQLite store's <c>installations</c> table: one transaction, one prepared INSERT (the idea of
    /// ProcessKillTests). Saving them through the repository would also store a million "Installed" events.
    /// </summary>
    public static void SeedSqlite(string connectionString, ProductRef product, VersionKey pinned, int count)
    {
        using var connection = new SqliteConnection(connectionString + ";Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }

        using var tx = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO installations (id, product_kind, product_id, owner_kind, owner_id, pinned, status, settings, created_at, updated_at, revision)
            VALUES ($id, $pk, $pid, $ok, $owner, $pinned, $status, '{}', $at, $at, 1);
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var owner = command.Parameters.Add("$owner", SqliteType.Text);
        var status = command.Parameters.Add("$status", SqliteType.Integer);
        command.Parameters.AddWithValue("$pk", (int)product.Kind);
        command.Parameters.AddWithValue("$pid", product.Id.ToString("D"));
        command.Parameters.AddWithValue("$ok", (int)OwnerKind.Account);
        command.Parameters.AddWithValue("$pinned", pinned.Value);
        command.Parameters.AddWithValue("$at", BenchmarkData.At.ToUnixTimeTicks());
        command.Prepare();
        for (var i = 0; i < count; i++)
        {
            id.Value = InstallationId.New().ToString();
            owner.Value = $"account-{i % 10_000}";
            status.Value = i % 10 == 0 ? (int)RunStatus.Paused : (int)RunStatus.Running;
            command.ExecuteNonQuery();
        }

        tx.Commit();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE;";
        analyze.ExecuteNonQuery();
    }

    /// <summary>
    /// Seeds <paramref name="count"/> installations into the PostgreSQL store's <c>installations</c> table (schema already
    /// ensured) with one binary COPY, in the column order of the schema (PostgreSqlDatabase migration 1), then ANALYZE.
    /// Ids come from <see cref="InstallationId.New"/>, as a host creating installations one after the other makes them.
    /// </summary>
    public static async Task SeedPostgresAsync(string connectionString, string schema, ProductRef product, VersionKey pinned, int count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var at = BenchmarkData.At.ToUnixTimeTicks();
        await using (var import = await connection.BeginBinaryImportAsync(
            $"COPY \"{schema}\".installations (id, product_kind, product_id, owner_kind, owner_id, pinned, status, settings, created_at, updated_at, revision) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                await import.StartRowAsync();
                await import.WriteAsync(InstallationId.New().Value, NpgsqlDbType.Uuid);
                await import.WriteAsync((int)product.Kind, NpgsqlDbType.Integer);
                await import.WriteAsync(product.Id, NpgsqlDbType.Uuid);
                await import.WriteAsync((int)OwnerKind.Account, NpgsqlDbType.Integer);
                await import.WriteAsync($"account-{i % 10_000}", NpgsqlDbType.Text);
                await import.WriteAsync(pinned.Value, NpgsqlDbType.Text);
                await import.WriteAsync(i % 10 == 0 ? (int)RunStatus.Paused : (int)RunStatus.Running, NpgsqlDbType.Integer);
                await import.WriteAsync("{}", NpgsqlDbType.Jsonb);
                await import.WriteAsync(at, NpgsqlDbType.Bigint);
                await import.WriteAsync(at, NpgsqlDbType.Bigint);
                await import.WriteAsync(1L, NpgsqlDbType.Bigint);
            }

            await import.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand($"VACUUM ANALYZE \"{schema}\".installations;", connection) { CommandTimeout = 600 };
        await analyze.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// Receives the job after every migration batch and samples the managed heap (<see cref="GC.GetTotalMemory(bool)"/>,
/// no collection forced), so a run can show that the memory it holds is bounded by the batch size, not by the number
/// of installations. Synchronous (unlike <see cref="Progress{T}"/>), and cheap enough to stay inside the measurement.
/// </summary>
internal sealed class HeapProbe : IProgress<MigrationJob>
{
    private long _baseline;

    /// <summary>Largest managed heap seen after a batch, in bytes.</summary>
    public long PeakHeap { get; private set; }

    /// <summary>Largest growth of the managed heap over the baseline taken by <see cref="Reset"/>, in bytes.</summary>
    public long PeakGrowth { get; private set; }

    /// <summary>Batches seen.</summary>
    public long Batches { get; private set; }

    /// <summary>Takes the baseline (after a full collection) before a migration; the peaks are kept across calls.</summary>
    public void Reset() => _baseline = GC.GetTotalMemory(forceFullCollection: true);

    /// <inheritdoc />
    public void Report(MigrationJob value)
    {
        Batches++;
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        PeakHeap = Math.Max(PeakHeap, heap);
        PeakGrowth = Math.Max(PeakGrowth, heap - _baseline);
    }

    /// <summary>Prints the peaks with the process's peak working set and total allocations (read in GlobalCleanup).</summary>
    public void Print(string suite, int batchSize, int installations)
    {
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(
            $"// {suite} memory (batch {batchSize}, {installations} installations): peak managed heap after a batch {PeakHeap / 1_048_576.0:F1} MiB, " +
            $"peak growth over the pre-migration heap {PeakGrowth / 1_048_576.0:F1} MiB, process peak working set {process.PeakWorkingSet64 / 1_048_576.0:F1} MiB, " +
            $"total allocated by the process {GC.GetTotalAllocatedBytes() / 1_048_576.0:F0} MiB, {Batches} batches observed.");
    }
}
