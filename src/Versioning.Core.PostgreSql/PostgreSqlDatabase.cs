using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Versioning.Core.Auditing;
using Versioning.Core.Events;

namespace Versioning.Core.PostgreSql;

/// <summary>
/// One PostgreSQL schema shared by the PostgreSQL repositories, over a pooled <see cref="NpgsqlDataSource"/>. The schema
/// is created or migrated on first use (or by <see cref="EnsureSchemaAsync"/> at start-up): idempotent and versioned, in
/// one transaction that first takes a transaction-scoped advisory lock, so several host instances starting at once
/// migrate it exactly once. Every table name is qualified with the schema, so the store never depends on
/// <c>search_path</c> (which a transaction-pooling proxy may not keep).
/// </summary>
public sealed partial class PostgreSqlDatabase : IDisposable, IAsyncDisposable
{
    /// <summary>The schema used when none is given: <c>versioning</c>.</summary>
    public const string DefaultSchema = "versioning";

    // Advisory lock keys are (class, schema key) pairs: the class says what is locked, the key which schema, so two
    // stores in different schemas of one database never wait for each other. The classes spell "VER" + a digit.
    private const int MigrationLockClass = 0x56455231;
    private const int OutboxLockClass = 0x56455232;

    // {s} stands for the quoted schema name. Ids are uuid (ordered as Guid.CompareTo orders them), instants bigint unix
    // ticks, enums integers, record-like parts jsonb in the StoreJson format.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE {s}.templates (
            id uuid NOT NULL PRIMARY KEY,
            revision bigint NOT NULL,
            name text NOT NULL,
            published boolean NOT NULL,
            last_release_number integer NOT NULL,
            created_by text NOT NULL,
            created_at bigint NOT NULL);
        CREATE TABLE {s}.template_releases (
            template_id uuid NOT NULL REFERENCES {s}.templates (id),
            number integer NOT NULL,
            state text NOT NULL,
            data jsonb NOT NULL,
            PRIMARY KEY (template_id, number));
        CREATE UNIQUE INDEX ux_template_releases_one_live ON {s}.template_releases (template_id) WHERE state = 'Live';
        CREATE TABLE {s}.integrations (
            id uuid NOT NULL PRIMARY KEY,
            revision bigint NOT NULL,
            name text NOT NULL,
            data jsonb NOT NULL);
        CREATE TABLE {s}.integration_versions (
            integration_id uuid NOT NULL REFERENCES {s}.integrations (id),
            number text NOT NULL,
            state text NOT NULL,
            data jsonb NOT NULL,
            PRIMARY KEY (integration_id, number));
        CREATE UNIQUE INDEX ux_integration_versions_one_promoted ON {s}.integration_versions (integration_id) WHERE state = 'Promoted';
        CREATE TABLE {s}.audit_entries (
            aggregate_id uuid NOT NULL,
            seq integer NOT NULL,
            action text NOT NULL,
            actor text NOT NULL,
            at bigint NOT NULL,
            subject text NULL,
            details text NOT NULL,
            PRIMARY KEY (aggregate_id, seq));
        CREATE TABLE {s}.installations (
            id uuid NOT NULL PRIMARY KEY,
            product_kind integer NOT NULL,
            product_id uuid NOT NULL,
            owner_kind integer NOT NULL,
            owner_id text NOT NULL,
            pinned text NOT NULL,
            status integer NOT NULL,
            settings jsonb NOT NULL,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            revision bigint NOT NULL);
        CREATE INDEX ix_installations_product ON {s}.installations (product_kind, product_id, id);
        CREATE INDEX ix_installations_product_pinned ON {s}.installations (product_kind, product_id, pinned, id);
        CREATE TABLE {s}.migration_jobs (
            id uuid NOT NULL PRIMARY KEY,
            product_kind integer NOT NULL,
            product_id uuid NOT NULL,
            revision bigint NOT NULL,
            requested_at bigint NOT NULL,
            data jsonb NOT NULL);
        CREATE INDEX ix_migration_jobs_product ON {s}.migration_jobs (product_kind, product_id);
        CREATE TABLE {s}.events (
            position bigserial NOT NULL PRIMARY KEY,
            aggregate_kind text NOT NULL,
            aggregate_id text NOT NULL,
            aggregate_revision bigint NOT NULL,
            type text NOT NULL,
            subject text NULL,
            actor text NOT NULL,
            at bigint NOT NULL,
            details text NOT NULL);
        """,
    ];

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _schemaKey;
    private readonly Lock _schemaGate = new();
    private Task? _schema;

    /// <summary>Creates the database handle and its connection pool. Nothing is opened until the first call.</summary>
    /// <param name="connectionString">An Npgsql connection string, for example <c>Host=db;Database=app;Username=app;Password=…</c>.</param>
    /// <param name="schema">
    /// The schema holding the tables: a lowercase PostgreSQL identifier (letters a–z, digits, underscores; not starting
    /// with a digit or <c>pg_</c>; at most 63 characters). Created if missing.
    /// </param>
    /// <exception cref="ArgumentException">The connection string is blank, unparsable or names no host, or the schema name is invalid.</exception>
    public PostgreSqlDatabase(string connectionString, string schema = DefaultSchema)
    {
        var builder = CreateBuilder(connectionString, schema);
        _dataSource = builder.Build();
        Schema = schema;
        _schemaKey = StableKey(schema);
        var q = $"\"{schema}\"";
        QuotedSchema = q;
        Templates = q + ".templates";
        TemplateReleases = q + ".template_releases";
        Integrations = q + ".integrations";
        IntegrationVersions = q + ".integration_versions";
        AuditEntries = q + ".audit_entries";
        Installations = q + ".installations";
        MigrationJobs = q + ".migration_jobs";
        Events = q + ".events";
        SchemaVersionTable = q + ".schema_version";
    }

    /// <summary>The schema holding the tables.</summary>
    public string Schema { get; }

    /// <summary>The schema version this library writes.</summary>
    public static int SchemaVersion => Migrations.Length;

    internal string QuotedSchema { get; }

    internal string Templates { get; }

    internal string TemplateReleases { get; }

    internal string Integrations { get; }

    internal string IntegrationVersions { get; }

    internal string AuditEntries { get; }

    internal string Installations { get; }

    internal string MigrationJobs { get; }

    internal string Events { get; }

    internal string SchemaVersionTable { get; }

    /// <summary>
    /// Creates or migrates the schema if needed. Safe to call many times, from several threads and from several
    /// processes at once. Hosts may call it at start-up to fail fast; otherwise the first repository call does it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (the migration itself runs to completion).</param>
    /// <returns>A task.</returns>
    /// <exception cref="InvalidOperationException">The database's schema is newer than this library, or the database is not UTF8.</exception>
    /// <exception cref="NpgsqlException">The server could not be reached or refused the statements.</exception>
    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        Task schema;
        lock (_schemaGate)
        {
            if (_schema is null || _schema.IsFaulted || _schema.IsCanceled)
            {
                _schema = CreateSchemaAsync();
            }

            schema = _schema;
        }

        return schema.IsCompletedSuccessfully ? Task.CompletedTask : schema.WaitAsync(cancellationToken);
    }

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _dataSource.Dispose();

    /// <summary>Closes the connection pool.</summary>
    /// <returns>A task.</returns>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>Checks the arguments and builds the data source builder (pooling on, application name set).</summary>
    internal static NpgsqlDataSourceBuilder CreateBuilder(string connectionString, string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        CheckSchemaName(schema);
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"connectionString is not a valid Npgsql connection string: {ex.Message}", nameof(connectionString), ex);
        }

        var settings = builder.ConnectionStringBuilder;
        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            throw new ArgumentException("connectionString must name a server (Host=...).", nameof(connectionString));
        }

        settings.Pooling = true;
        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = "Versioning.Core";
        }

        return builder;
    }

    /// <summary>Checks a schema name: a lowercase identifier that needs no quoting and is not reserved.</summary>
    internal static void CheckSchemaName(string schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!SchemaName().IsMatch(schema) || schema.StartsWith("pg_", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"schema must be a lowercase PostgreSQL identifier: a–z, 0–9 and _, starting with a letter or _, at most 63 characters, not starting with pg_ (was '{schema}').",
                nameof(schema));
        }
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);

        // Serialises concurrent starts: the second instance waits here, then finds the schema current.
        await ExecuteAsync(connection, tx, "SELECT pg_advisory_xact_lock(@class, @key);", CancellationToken.None,
            Param("class", MigrationLockClass), Param("key", _schemaKey)).ConfigureAwait(false);
        var encoding = (string?)await ScalarAsync(connection, tx, "SHOW server_encoding;", CancellationToken.None).ConfigureAwait(false);
        if (!string.Equals(encoding, "UTF8", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The database's encoding is {encoding}; the Versioning.Core stores need a UTF8 database (CREATE DATABASE ... ENCODING 'UTF8').");
        }

        // Checked before creating, so a role without CREATE on the database can use a schema a DBA created for it.
        if (!(bool)(await ScalarAsync(connection, tx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema);", CancellationToken.None, Text("schema", Schema)).ConfigureAwait(false))!)
        {
            await ExecuteAsync(connection, tx, $"CREATE SCHEMA {QuotedSchema};", CancellationToken.None).ConfigureAwait(false);
        }

        if ((bool)(await ScalarAsync(connection, tx, "SELECT to_regclass(@table) IS NULL;", CancellationToken.None, Text("table", SchemaVersionTable)).ConfigureAwait(false))!)
        {
            await ExecuteAsync(connection, tx, $"CREATE TABLE {SchemaVersionTable} (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());", CancellationToken.None).ConfigureAwait(false);
        }

        var current = Convert.ToInt32(await ScalarAsync(connection, tx, $"SELECT COALESCE(MAX(version), 0) FROM {SchemaVersionTable};", CancellationToken.None).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException($"The database schema '{Schema}' is version {current}, newer than this library's {Migrations.Length}; upgrade Versioning.Core.PostgreSql.");
        }

        for (var v = current; v < Migrations.Length; v++)
        {
            await ExecuteAsync(connection, tx, Migrations[v].Replace("{s}", QuotedSchema, StringComparison.Ordinal), CancellationToken.None).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, $"INSERT INTO {SchemaVersionTable} (version) VALUES (@v);", CancellationToken.None, Param("v", v + 1)).ConfigureAwait(false);
        }

        await tx.CommitAsync().ConfigureAwait(false);
    }

    /// <summary>Opens a pooled connection, the schema ensured.</summary>
    internal async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A typed parameter.</summary>
    internal static NpgsqlParameter Param<T>(string name, T value) => new NpgsqlParameter<T>(name, value);

    /// <summary>A text parameter that may be null.</summary>
    internal static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = value is null ? DBNull.Value : value };

    /// <summary>A jsonb parameter from JSON text.</summary>
    internal static NpgsqlParameter Jsonb(string name, string json) => new(name, NpgsqlDbType.Jsonb) { Value = json };

    internal static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.AddRange(parameters);
        return command;
    }

    internal static NpgsqlBatchCommand BatchCommand(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    internal static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Runs a batch unless it is empty.</summary>
    internal static async Task ExecuteAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Adds the outbox rows for <paramref name="events"/> to the end of <paramref name="batch"/>, after a transaction-scoped
    /// advisory lock on this schema's outbox. Must be the last statements before the commit.
    /// </summary>
    /// <remarks>
    /// Why the lock: positions come from a sequence, and sequence values are handed out when rows are inserted, not when
    /// transactions commit. Without it, a transaction could take position 10, a second one position 11 and commit first;
    /// a reader paging by position would read 11, remember it, and never see 10 when it commits. With the lock, a writer
    /// takes a position only after every earlier writer has committed (PostgreSQL makes a commit visible before it
    /// releases the transaction's locks), so positions become visible in order and a reader never skips one. Only the
    /// tail of each write transaction (these inserts and the commit) is serialised; loads, revision checks and row
    /// writes still run in parallel.
    /// </remarks>
    internal void AddEvents(NpgsqlBatch batch, IEnumerable<(DomainEvent Event, long Revision)> events)
    {
        var locked = false;
        foreach (var (e, revision) in events)
        {
            if (!locked)
            {
                batch.BatchCommands.Add(BatchCommand("SELECT pg_advisory_xact_lock(@class, @key);", Param("class", OutboxLockClass), Param("key", _schemaKey)));
                locked = true;
            }

            batch.BatchCommands.Add(BatchCommand(
                $"INSERT INTO {Events} (aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details) VALUES (@kind, @id, @rev, @type, @subject, @actor, @at, @details);",
                Text("kind", e.AggregateKind), Text("id", e.AggregateId), Param("rev", revision), Text("type", e.Type), Text("subject", e.Subject),
                Text("actor", e.Actor.Value), Param("at", e.At.ToUnixTimeTicks()), Text("details", e.Details)));
        }
    }

    /// <summary>Adds the audit entries added since the last save (the last <c>PendingEvents.Count</c> entries) to <paramref name="batch"/>.</summary>
    internal void AddAudit(NpgsqlBatch batch, AggregateRoot aggregate, Guid id)
    {
        var trail = aggregate.AuditTrail;
        for (var i = trail.Count - aggregate.PendingEvents.Count; i < trail.Count; i++)
        {
            var e = trail[i];
            batch.BatchCommands.Add(BatchCommand(
                $"INSERT INTO {AuditEntries} (aggregate_id, seq, action, actor, at, subject, details) VALUES (@id, @seq, @action, @actor, @at, @subject, @details);",
                Param("id", id), Param("seq", i), Text("action", e.Action.ToString()), Text("actor", e.Actor.Value),
                Param("at", e.At.ToUnixTimeTicks()), Text("subject", e.Subject), Text("details", e.Details)));
        }
    }

    /// <summary>The statement reading an aggregate's audit trail, oldest first (read with <see cref="ReadAuditAsync"/>).</summary>
    internal NpgsqlBatchCommand ReadAuditCommand(Guid id)
        => BatchCommand($"SELECT action, actor, at, subject, details FROM {AuditEntries} WHERE aggregate_id = @id ORDER BY seq;", Param("id", id));

    /// <summary>Reads the rows of <see cref="ReadAuditCommand"/>.</summary>
    internal static async Task<List<AuditEntry>> ReadAuditAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(
                Enum.Parse<AuditAction>(reader.GetString(0)),
                new ActorId(reader.GetString(1)),
                Instant.FromUnixTimeTicks(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4)));
        }

        return entries;
    }

    /// <summary>
    /// True for the errors that mean another writer got there first: a unique violation (23505, for example a second
    /// Live release or an id inserted twice), a serialization failure (40001) or a deadlock (40P01).
    /// </summary>
    internal static bool IsConflict(PostgresException exception)
        => exception.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;

    /// <summary>Rolls back unless the transaction has already ended (a failed commit ends it).</summary>
    internal static async Task RollbackAsync(NpgsqlTransaction tx)
    {
        if (tx.Connection is not null)
        {
            await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The stored revision of a row, or −1 when there is none.</summary>
    internal static async Task<long> RevisionAsync(NpgsqlConnection connection, string table, Guid id, CancellationToken cancellationToken)
    {
        var stored = await ScalarAsync(connection, null, $"SELECT revision FROM {table} WHERE id = @id;", cancellationToken, Param("id", id)).ConfigureAwait(false);
        return stored is null ? -1 : (long)stored;
    }

    /// <summary>FNV-1a over the schema name: a key that is the same in every process.</summary>
    private static int StableKey(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
