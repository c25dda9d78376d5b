using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Testing.Contention;
using Versioning.Core.Tests.Shared;
using Versioning.Core.Services;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// X10 contention figures (not a BenchmarkDotNet suite: the figure is a rate of escaped conflicts, not a time). Runs
/// <see cref="ContentionProbe"/> with 2 hosts (separate service providers) on one SQLite file and on one PostgreSQL
/// schema, with default options, at 16, 32 and 64 writers per host, several rounds each, and prints one line per
/// round. PostgreSQL hosts use a pool of at most 20 connections each (see below). Command: <c>dotnet run -c Release --project benchmarks/Versioning.Core.Benchmarks -- contention [rounds] [--immediate]</c>
/// (<c>--immediate</c>: the retry options before X10, for comparison).
/// </summary>
internal static class ContentionMeasurement
{
    public static async Task RunAsync(int rounds, bool immediate)
    {
        // --immediate: the options before X10 (3 retries, no wait between them), for comparison.
        Action<VersioningOptions> options = immediate
            ? o => (o.MaxConflictRetries, o.ConflictRetryBaseDelay, o.ConflictRetryMaxDelay) = (3, TimeSpan.Zero, TimeSpan.Zero)
            : _ => { };
        Console.WriteLine($"// X10 contention, {(immediate ? "immediate retries (MaxConflictRetries 3, no backoff)" : "default options")}, 2 hosts, 4 SetNotes per writer, {rounds} round(s) per size, {Environment.ProcessorCount} cores");
        foreach (var writers in new[] { 16, 32, 64 })
        {
            for (var round = 0; round < rounds; round++)
            {
                var cs = DurableStoreSupport.NewSqliteFile("contention", out var path);
                try
                {
                    Console.WriteLine("SQLite     " + await MeasureAsync(services => services.AddVersioning(options).UseSqlite(cs), writers));
                }
                finally
                {
                    DurableStoreSupport.DeleteSqliteFile(path);
                }

                if (DurableStoreSupport.PostgresConnectionString is { } server)
                {
                    // Each host's pool is capped at 20 connections: 2 hosts × 64 writers would otherwise open 128,
                    // past the server's default max_connections (100), and fail with 53300 instead of measuring conflicts.
                    var pg = new Npgsql.NpgsqlConnectionStringBuilder(server) { MaxPoolSize = 20 }.ConnectionString;
                    var schema = DurableStoreSupport.NewSchemaName();
                    try
                    {
                        Console.WriteLine("PostgreSQL " + await MeasureAsync(services => services.AddVersioning(options).UsePostgreSql(pg, schema), writers));
                    }
                    finally
                    {
                        await DurableStoreSupport.ExecutePostgresAsync(pg, $"DROP SCHEMA IF EXISTS {schema} CASCADE;");
                    }
                }
                else
                {
                    Console.WriteLine(DurableStoreSupport.PostgresSkipReason("PostgreSQL contention"));
                }
            }
        }
    }

    private static Task<ContentionResult> MeasureAsync(Action<IServiceCollection> configure, int writersPerHost)
        => ContentionHosts.RunAsync(configure, writersPerHost, commandsPerWriter: 4);
}
