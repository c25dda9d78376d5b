using System.Security.Cryptography;
using Npgsql;

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>
/// The server the tests run against: the Npgsql connection string in VERSIONING_TEST_POSTGRES. Without it the tests are
/// skipped with <see cref="SkipReason"/>, except when CI=true, where they run and fail with a message saying what to set.
/// </summary>
internal static class PostgresServer
{
    public const string Variable = "VERSIONING_TEST_POSTGRES";

    private static readonly string? Configured = Environment.GetEnvironmentVariable(Variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static readonly Lazy<NpgsqlDataSource> Admin = new(() => NpgsqlDataSource.Create(ConnectionString));

    /// <summary>True when VERSIONING_TEST_POSTGRES is set.</summary>
    public static bool IsConfigured => Configured is not null;

    /// <summary>True when the run is CI (CI=true), where a missing server must fail the run.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the tests are skipped, or null when they run (a server is configured, or this is CI).</summary>
    public static string? SkipReason => Configured is null && !InCi
        ? $"{Variable} is not set, so there is no PostgreSQL server to test against. Run `source .ci/postgres.sh` (installs and starts a local server and sets it) or set {Variable} to an Npgsql connection string."
        : null;

    /// <summary>The configured connection string.</summary>
    /// <exception cref="InvalidOperationException">None is configured (only reached when CI=true; otherwise the tests are skipped).</exception>
    public static string ConnectionString => Configured ?? throw new InvalidOperationException(
        $"{Variable} is not set and CI=true: the PostgreSQL store tests need a server and must not be skipped in CI. .ci/run sources .ci/postgres.sh, " +
        $"which installs and starts one and exports {Variable}; check its output above. By hand: {Variable}=\"Host=127.0.0.1;Port=5432;Database=versioning_test;Username=versioning;Password=versioning\".");

    /// <summary>A fresh schema name for one test.</summary>
    public static string NewSchemaName() => "t_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Runs a scalar query on the admin connection.</summary>
    public static async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Admin.Value.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Opens a connection of the admin pool (for a transaction the test controls).</summary>
    public static ValueTask<NpgsqlConnection> OpenAsync() => Admin.Value.OpenConnectionAsync();

    /// <summary>Runs a statement on the admin connection.</summary>
    public static async Task ExecuteAsync(string sql)
    {
        await using var command = Admin.Value.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
