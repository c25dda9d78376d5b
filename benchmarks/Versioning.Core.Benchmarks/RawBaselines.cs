using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Services;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// The database's own limit, measured in the same run as the store (P12): raw SQL on an open connection with prepared
/// statements, no library code. Every durable benchmark class has a raw single-row transaction (its BenchmarkDotNet
/// baseline) and a raw transaction writing the same rows as the command it measures.
/// </summary>
internal static class RawBaselines
{
    /// <summary>The table of the raw single-row writes: one row per client, nothing else in it (created by the setup).</summary>
    public const string SingleRowTable = "raw_baseline";

    /// <summary>A 140-character audit/event text, about what a promote's entries carry.</summary>
    public const string Details = "Promoted version 1.0.8 of integration 0195f3a2-7c41-7d7e-9a0b-3c2d1e0f4a5b; version 1.0.9 is Available again (raw baseline row).";
}

/// <summary>
/// Raw SQLite writes on one open connection with the store's pragmas (WAL, synchronous=NORMAL) and prepared statements:
/// <see cref="SingleRow"/> is <c>BEGIN IMMEDIATE</c>, one UPDATE of one row, COMMIT; <see cref="PromoteRows"/> writes, in one
/// such transaction, the rows <c>IntegrationService.PromoteAsync</c> writes (the integration row, the demoted and the promoted
/// version rows, two audit entries, two outbox events); <see cref="MoveCohort"/> moves a 50 % cohort in one UPDATE.
/// </summary>
internal sealed class SqliteRawBaseline : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _single;
    private readonly SqliteCommand _integration;
    private readonly SqliteCommand _version;
    private readonly SqliteCommand _audit;
    private readonly SqliteCommand _event;
    private readonly string? _integrationId;
    private readonly string[] _numbers;
    private int _seq;
    private int _promoted;

    /// <summary>Opens the connection, creates the single-row table and prepares the statements.</summary>
    /// <param name="connectionString">The store's file.</param>
    /// <param name="integrationId">An integration of its own for <see cref="PromoteRows"/> (two versions swap Promoted/Available), or null.</param>
    /// <param name="available">Its Available version.</param>
    /// <param name="promoted">Its Promoted version.</param>
    public SqliteRawBaseline(string connectionString, IntegrationId? integrationId = null, VersionNumber available = default, VersionNumber promoted = default)
    {
        _connection = new SqliteConnection(connectionString + ";Pooling=False");
        _connection.Open();
        using (var setup = _connection.CreateCommand())
        {
            setup.CommandText = $"""
                PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;
                CREATE TABLE IF NOT EXISTS {RawBaselines.SingleRowTable} (id INTEGER NOT NULL PRIMARY KEY, n INTEGER NOT NULL);
                INSERT OR IGNORE INTO {RawBaselines.SingleRowTable} (id, n) VALUES (0, 0);
                """;
            setup.ExecuteNonQuery();
        }

        _begin = Prepare("BEGIN IMMEDIATE;");
        _commit = Prepare("COMMIT;");
        _single = Prepare($"UPDATE {RawBaselines.SingleRowTable} SET n = n + 1 WHERE id = 0;");
        _integrationId = integrationId?.ToString();
        _numbers = [available.ToString(), promoted.ToString()];
        _promoted = 1;
        _integration = Prepare("UPDATE integrations SET revision = revision + 1, name = name, data = data WHERE id = $id;", ("$id", _integrationId));
        _version = Prepare("UPDATE integration_versions SET state = $state, data = data WHERE integration_id = $id AND number = $n;", ("$id", _integrationId), ("$state", ""), ("$n", ""));
        // Both audit entries in one INSERT, both events in another, as the store writes them (positions: the table's max + 1).
        _audit = Prepare("INSERT INTO audit_entries (aggregate_id, seq, action, actor, at, subject, details) VALUES ($id, $seq, 'Demoted', 'raw', 0, $n1, $details), ($id, $seq + 1, 'Promoted', 'raw', 0, $n2, $details);",
            ("$id", _integrationId), ("$seq", 0), ("$n1", ""), ("$n2", ""), ("$details", RawBaselines.Details));
        _event = Prepare("INSERT INTO events (aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details) VALUES ('Integration', $id, 0, 'Demoted', $n1, 'raw', 0, $details), ('Integration', $id, 0, 'Promoted', $n2, 'raw', 0, $details);",
            ("$id", _integrationId), ("$n1", ""), ("$n2", ""), ("$details", RawBaselines.Details));
        if (_integrationId is not null)
        {
            using var max = _connection.CreateCommand();
            max.CommandText = "SELECT coalesce(max(seq), -1) + 1 FROM audit_entries WHERE aggregate_id = $id;";
            max.Parameters.AddWithValue("$id", _integrationId);
            _seq = Convert.ToInt32(max.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary><c>BEGIN IMMEDIATE</c>; one single-row UPDATE; COMMIT.</summary>
    /// <returns>Rows changed.</returns>
    public int SingleRow()
    {
        _begin.ExecuteNonQuery();
        var rows = _single.ExecuteNonQuery();
        _commit.ExecuteNonQuery();
        return rows;
    }

    /// <summary>The seven rows of a promote in one transaction: demote, promote, integration row, two audit entries (one INSERT), two events (one INSERT).</summary>
    /// <returns>Rows changed.</returns>
    public int PromoteRows()
    {
        var demoted = _numbers[_promoted];
        _promoted = 1 - _promoted;
        var promoted = _numbers[_promoted];
        _begin.ExecuteNonQuery();
        var rows = _integration.ExecuteNonQuery();
        rows += Version(demoted, "Available");
        rows += Version(promoted, "Promoted");
        rows += Append(_audit, demoted, promoted, _seq);
        _seq += 2;
        rows += Append(_event, demoted, promoted, null);
        _commit.ExecuteNonQuery();
        return rows;
    }

    /// <summary>One transaction with one UPDATE moving the cohort the migration moves (same rows, same predicate).</summary>
    /// <returns>Rows moved.</returns>
    public int MoveCohort(ProductRef product, VersionKey from, VersionKey to, int percent)
    {
        var cohort = Cohort.Predicate(from, to, percent);
        using var command = _connection.CreateCommand();
        command.CommandText = """
            UPDATE installations SET pinned = $to, revision = revision + 1, updated_at = 1
            WHERE product_kind = $pk AND product_id = $pid AND pinned = $from AND ((cohort_bucket * $m + $s) & 65535) < $t;
            """;
        command.Parameters.AddWithValue("$to", to.Value);
        command.Parameters.AddWithValue("$pk", (int)product.Kind);
        command.Parameters.AddWithValue("$pid", product.Id.ToString("D"));
        command.Parameters.AddWithValue("$from", from.Value);
        command.Parameters.AddWithValue("$m", cohort.Multiplier);
        command.Parameters.AddWithValue("$s", cohort.Offset);
        command.Parameters.AddWithValue("$t", cohort.Threshold);
        _begin.ExecuteNonQuery();
        var rows = command.ExecuteNonQuery();
        _commit.ExecuteNonQuery();
        return rows;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var command in new[] { _begin, _commit, _single, _integration, _version, _audit, _event })
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private int Version(string number, string state)
    {
        _version.Parameters["$state"].Value = state;
        _version.Parameters["$n"].Value = number;
        return _version.ExecuteNonQuery();
    }

    private static int Append(SqliteCommand command, string first, string second, int? seq)
    {
        command.Parameters["$n1"].Value = first;
        command.Parameters["$n2"].Value = second;
        if (seq is { } s)
        {
            command.Parameters["$seq"].Value = s;
        }

        return command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}

/// <summary>
/// Raw PostgreSQL writes with Npgsql, prepared statements, no library code: a single-row autocommit UPDATE per client
/// (its own row of <see cref="RawBaselines.SingleRowTable"/>), the rows of a promote in one round trip (one implicit
/// transaction, as the store's save), and a 50 % cohort moved by one UPDATE.
/// </summary>
internal static class PostgresRawBaseline
{
    /// <summary>Creates the single-row table with <paramref name="rows"/> rows in <paramref name="schema"/>.</summary>
    public static Task CreateAsync(string connectionString, string schema, int rows)
        => DurableStoreSupport.ExecutePostgresAsync(connectionString, $"""
            CREATE TABLE IF NOT EXISTS "{schema}".{RawBaselines.SingleRowTable} (id integer NOT NULL PRIMARY KEY, n bigint NOT NULL);
            INSERT INTO "{schema}".{RawBaselines.SingleRowTable} (id, n) SELECT g, 0 FROM generate_series(0, {rows - 1}) AS g ON CONFLICT DO NOTHING;
            """);

    /// <summary><paramref name="count"/> single-row autocommit UPDATEs of row <paramref name="row"/>, one prepared statement, one connection.</summary>
    public static async Task SingleRowsAsync(NpgsqlDataSource dataSource, string schema, int row, int count)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"UPDATE \"{schema}\".{RawBaselines.SingleRowTable} SET n = n + 1 WHERE id = @id;", connection);
        command.Parameters.Add(new NpgsqlParameter<int>("id", row));
        await command.PrepareAsync();
        for (var i = 0; i < count; i++)
        {
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// <paramref name="count"/> times the rows of a promote on <paramref name="integration"/> (two versions swap Promoted and
    /// Available; the integration row; two audit entries; two events), each time one batch = one round trip, one transaction.
    /// </summary>
    public static async Task PromoteRowsAsync(NpgsqlDataSource dataSource, string schema, IntegrationId integration, VersionNumber available, VersionNumber promoted, int count)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var q = $"\"{schema}\"";
        int seq;
        await using (var max = new NpgsqlCommand($"SELECT coalesce(max(seq), -1) + 1 FROM {q}.audit_entries WHERE aggregate_id = @id;", connection))
        {
            max.Parameters.Add(new NpgsqlParameter<Guid>("id", integration.Value));
            seq = Convert.ToInt32(await max.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var numbers = new[] { available.ToString(), promoted.ToString() };
        var current = 1;
        for (var i = 0; i < count; i++)
        {
            var demoted = numbers[current];
            current = 1 - current;
            var now = numbers[current];
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(Command($"UPDATE {q}.integrations SET revision = revision + 1, data = data WHERE id = $1;", integration.Value));
            batch.BatchCommands.Add(Command($"UPDATE {q}.integration_versions SET state = 'Available', data = data WHERE integration_id = $1 AND number = $2;", integration.Value, demoted));
            batch.BatchCommands.Add(Command($"UPDATE {q}.integration_versions SET state = 'Promoted', data = data WHERE integration_id = $1 AND number = $2;", integration.Value, now));
            batch.BatchCommands.Add(Command($"INSERT INTO {q}.audit_entries (aggregate_id, seq, action, actor, at, subject, details) SELECT $1, s, 'Promoted', 'raw', 0, n, $2 FROM unnest($3::integer[], $4::text[]) AS u (s, n);",
                integration.Value, RawBaselines.Details, new[] { seq, seq + 1 }, new[] { demoted, now }));
            batch.BatchCommands.Add(Command($"INSERT INTO {q}.events (aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details) SELECT 'Integration', $1, 0, 'VersionPromoted', n, 'raw', 0, $2 FROM unnest($3::text[]) AS u (n);",
                integration.Value.ToString(), RawBaselines.Details, new[] { demoted, now }));
            seq += 2;
            await batch.ExecuteNonQueryAsync();
        }
    }

    /// <summary>One autocommit UPDATE moving the cohort the migration moves (same rows, same predicate).</summary>
    /// <returns>Rows moved.</returns>
    public static async Task<int> MoveCohortAsync(string connectionString, string schema, ProductRef product, VersionKey from, VersionKey to, int percent)
    {
        var cohort = Cohort.Predicate(from, to, percent);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            UPDATE "{schema}".installations SET pinned = $1, revision = revision + 1, updated_at = 1
            WHERE product_kind = $2 AND product_id = $3 AND pinned = $4 AND ((cohort_bucket * $5 + $6) & 65535) < $7;
            """, connection) { CommandTimeout = 600 };
        foreach (var value in new object[] { to.Value, (int)product.Kind, product.Id, from.Value, cohort.Multiplier, cohort.Offset, cohort.Threshold })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value is string s ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = s } : new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
