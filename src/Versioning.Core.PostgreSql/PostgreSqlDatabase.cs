using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Versioning.Core.Auditing;
using Versioning.Core.Events;
using Versioning.Core.Aggregates;
using Versioning.Core.Installations;

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

    /// <summary>
    /// Statements prepared automatically per connection when the connection string does not say (Max Auto Prepare): room
    /// for every distinct statement the stores send (about 70, and each narrow-load variant is one more), so a command's
    /// statements stay prepared instead of evicting each other.
    /// </summary>
    internal const int DefaultMaxAutoPrepare = 128;

    /// <summary>The SQLSTATE <c>check_saved</c> raises when a revision check wrote no row (a stale save).</summary>
    internal const string StaleSqlState = "VR409";

    // {s} stands for the quoted schema name. Ids are uuid (ordered as Guid.CompareTo orders them), instants bigint unix
    // ticks, enums integers, record-like parts jsonb in the StoreJson format.
    internal static readonly string[] Migrations =
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

        // v2: outbox positions are assigned by readers, in commit order, instead of by writers under a global lock (see
        // AddEvents and StampEventsAsync). Existing rows keep their positions; seq (insertion order) becomes the key;
        // the position sequence stays (owned by the column) and numbers the rows stamped from now on. check_saved lets
        // a batch abort itself when a revision check found no row, so a save needs no round trip of its own for it.
        """
        ALTER TABLE {s}.events DROP CONSTRAINT events_pkey;
        ALTER TABLE {s}.events ALTER COLUMN position DROP DEFAULT, ALTER COLUMN position DROP NOT NULL;
        ALTER TABLE {s}.events ADD COLUMN seq bigserial NOT NULL;
        ALTER TABLE {s}.events ADD CONSTRAINT events_pkey PRIMARY KEY (seq);
        CREATE UNIQUE INDEX ux_events_position ON {s}.events (position) WHERE position IS NOT NULL;
        CREATE INDEX ix_events_unstamped ON {s}.events (seq) WHERE position IS NULL;
        CREATE FUNCTION {s}.check_saved(written bigint) RETURNS bigint LANGUAGE plpgsql AS $$
        BEGIN
            IF written <> 1 THEN
                RAISE EXCEPTION 'Versioning.Core: the stored revision is not the expected one' USING ERRCODE = 'VR409';
            END IF;
            RETURN written;
        END
        $$;
        """,

        // v3: templates have an owner team (X7), a JSON array of user ids. Templates stored before get their creator as
        // the only member (a documented choice); the upgrade runs once, recorded in schema_version like every step.
        """
        ALTER TABLE {s}.templates ADD COLUMN team jsonb NOT NULL DEFAULT '[]';
        UPDATE {s}.templates SET team = jsonb_build_array(created_by);
        """,

        WorkerStateSchemaStep(),
        InstallationCohortBucketStep(),
        IntegrationContentApartStep(),
        TemplateReleaseContentStep(),
        InstallationPinsUnindexedStep(),
    ];

    /// <summary>The schema version whose step keeps template content apart from the release rows (P8).</summary>
    internal static readonly int TemplateContentSchemaVersion = Array.IndexOf(Migrations, TemplateReleaseContentStep()) + 1;

    /// <summary>
    /// Schema step 6, "integration content apart" (P8): a command loads only the versions it touches, and never the
    /// content of a version it does not read. Each version's content moves out of its row's jsonb into
    /// <c>integration_version_content</c> (read and written only when a command reads or sets it), and the numbers ever
    /// used (Z1) move out of the integration's header, which every save rewrites, into <c>integration_used_numbers</c>
    /// (read only by the commands that create a version). Existing rows are moved in place. Idempotent (IF NOT EXISTS,
    /// rows moved only while they hold what moves).
    /// </summary>
    /// <returns>The SQL of the step ({s} stands for the quoted schema).</returns>
    private static string IntegrationContentApartStep() => """
        CREATE TABLE IF NOT EXISTS {s}.integration_version_content (
            integration_id uuid NOT NULL REFERENCES {s}.integrations (id),
            number text NOT NULL,
            data jsonb NOT NULL,
            PRIMARY KEY (integration_id, number));
        INSERT INTO {s}.integration_version_content (integration_id, number, data)
            SELECT integration_id, number, jsonb_build_object('steps', data -> 'steps') FROM {s}.integration_versions WHERE data ? 'steps'
            ON CONFLICT (integration_id, number) DO UPDATE SET data = EXCLUDED.data;
        UPDATE {s}.integration_versions SET data = data - 'steps' WHERE data ? 'steps';
        CREATE TABLE IF NOT EXISTS {s}.integration_used_numbers (
            integration_id uuid NOT NULL REFERENCES {s}.integrations (id),
            number text NOT NULL,
            PRIMARY KEY (integration_id, number));
        INSERT INTO {s}.integration_used_numbers (integration_id, number)
            SELECT i.id, u.number FROM {s}.integrations AS i CROSS JOIN LATERAL jsonb_array_elements_text(i.data -> 'usedNumbers') AS u (number)
            WHERE i.data ? 'usedNumbers'
            UNION SELECT integration_id, number FROM {s}.integration_versions
            ON CONFLICT DO NOTHING;
        UPDATE {s}.integrations SET data = data - 'usedNumbers' WHERE data ? 'usedNumbers';
        """;

    /// <summary>
    /// Schema step "template content apart" (P8): a release's content (its steps) moves out of the release row's jsonb
    /// into <c>template_release_contents</c>, one row per release, so a command that does not read content never reads
    /// its bytes (nor its TOAST pages), and rewriting a release row never rewrites its content. Existing rows are moved in
    /// place. Idempotent (IF NOT EXISTS, ON CONFLICT DO NOTHING, only rows that still hold steps).
    /// </summary>
    /// <returns>The SQL of the step ({s} stands for the quoted schema).</returns>
    private static string TemplateReleaseContentStep() => """
        CREATE TABLE IF NOT EXISTS {s}.template_release_contents (
            template_id uuid NOT NULL,
            number integer NOT NULL,
            content jsonb NOT NULL,
            PRIMARY KEY (template_id, number));
        INSERT INTO {s}.template_release_contents (template_id, number, content)
            SELECT template_id, number, jsonb_build_object('steps', data -> 'steps') FROM {s}.template_releases WHERE data -> 'steps' IS NOT NULL
            ON CONFLICT (template_id, number) DO NOTHING;
        UPDATE {s}.template_releases SET data = data - 'steps' WHERE data -> 'steps' IS NOT NULL;
        """;

    /// <summary>The SQLSTATE <c>check_lease</c> raises when a write fenced by a worker lease found the lease lost.</summary>
    internal const string LeaseLostSqlState = "VR410";

    /// <summary>
    /// Schema step "installation cohort buckets" (P10): every installation gets its stable cohort bucket
    /// (<see cref="Cohort.InstallationBucket"/>, computed by <c>installation_cohort_bucket(uuid)</c> from the id's bytes) in
    /// a <c>cohort_bucket</c> column, filled for existing rows here and by a BEFORE INSERT trigger for new ones (so rows
    /// written by COPY or any client get it), and the index a percentage migration walks, (product, pinned, id), carries
    /// it, so a batch selects its cohort from the index. Idempotent (OR REPLACE, IF EXISTS, IF NOT EXISTS).
    /// </summary>
    /// <returns>The SQL of the step ({s} stands for the quoted schema).</returns>
    private static string InstallationCohortBucketStep() => """
        CREATE OR REPLACE FUNCTION {s}.installation_cohort_bucket(id uuid) RETURNS integer LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            b bytea := uuid_send(id);
            h bigint := 0;
        BEGIN
            FOR i IN 0..15 LOOP
                h := (h * 16777619 + get_byte(b, i)) % 2147483647;
            END LOOP;
            RETURN (h & 65535)::integer;
        END
        $$;
        CREATE OR REPLACE FUNCTION {s}.installations_set_cohort_bucket() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.cohort_bucket := {s}.installation_cohort_bucket(NEW.id);
            RETURN NEW;
        END
        $$;
        ALTER TABLE {s}.installations ADD COLUMN IF NOT EXISTS cohort_bucket integer NULL;
        UPDATE {s}.installations SET cohort_bucket = {s}.installation_cohort_bucket(id) WHERE cohort_bucket IS NULL;
        ALTER TABLE {s}.installations ALTER COLUMN cohort_bucket SET NOT NULL;
        DROP TRIGGER IF EXISTS tr_installations_cohort_bucket ON {s}.installations;
        CREATE TRIGGER tr_installations_cohort_bucket BEFORE INSERT OR UPDATE OF id ON {s}.installations
            FOR EACH ROW EXECUTE FUNCTION {s}.installations_set_cohort_bucket();
        DROP INDEX IF EXISTS {s}.ix_installations_product_pinned;
        CREATE INDEX IF NOT EXISTS ix_installations_product_pinned ON {s}.installations (product_kind, product_id, pinned, id) INCLUDE (cohort_bucket);
        """;

    /// <summary>
    /// How full PostgreSQL packs a page of installations (percent): the rest is room for HOT updates. A 50 % migration
    /// rewrites half the rows of every page in one transaction; at 70 % about nine moved rows in ten stayed on their page
    /// (a fresh table of 1 000 000), at 100 % none did; at 50 % all did, for a table 40 % larger.
    /// </summary>
    internal const int InstallationsFillFactor = 70;

    /// <summary>
    /// Schema step "installation pins out of the indexes" (P10): the pinned version is no longer a key of any index, so
    /// the UPDATE that moves an installation changes no indexed column and PostgreSQL can make it a HOT update (the new
    /// row version on the same page, no index entry written) whenever the page has room; new pages of the table are filled
    /// to <see cref="InstallationsFillFactor"/> % and keep the rest for that (pages written before the step fill up as
    /// they are rewritten: a full page's moved rows go to new pages, as before). Before, each moved installation wrote a new entry in each of its three indexes. The two
    /// per-product indexes become one, (product, id) including cohort_bucket, which a migration walks. A count or page
    /// of the installations on one version reads the product's installations instead of one version's range. Idempotent.
    /// </summary>
    /// <returns>The SQL of the step ({s} stands for the quoted schema).</returns>
    private static string InstallationPinsUnindexedStep() => $$"""
        DROP INDEX IF EXISTS {s}.ix_installations_product_pinned;
        DROP INDEX IF EXISTS {s}.ix_installations_product;
        CREATE INDEX IF NOT EXISTS ix_installations_product_cohort ON {s}.installations (product_kind, product_id, id) INCLUDE (cohort_bucket);
        ALTER TABLE {s}.installations SET (fillfactor = {{InstallationsFillFactor}});
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly ILogger _logger;
    private readonly string _host;
    private readonly string _database;
    private readonly int _schemaKey;
    private readonly Lock _schemaGate = new();
    private readonly ConcurrentDictionary<string, string> _statements = new(StringComparer.Ordinal);
    private Task? _schema;

    /// <summary>Creates the database handle and its connection pool. Nothing is opened until the first call.</summary>
    /// <param name="connectionString">An Npgsql connection string, for example <c>Host=db;Database=app;Username=app;Password=…</c>.</param>
    /// <param name="schema">
    /// The schema holding the tables: a lowercase PostgreSQL identifier (letters a–z, digits, underscores; not starting
    /// with a digit or <c>pg_</c>; at most 63 characters). Created if missing.
    /// </param>
    /// <param name="logger">Receives schema creation and upgrades and connection problems (host, database and schema; never the connection string); null logs nothing.</param>
    /// <exception cref="ArgumentException">The connection string is blank, unparsable or names no host, or the schema name is invalid.</exception>
    public PostgreSqlDatabase(string connectionString, string schema = DefaultSchema, ILogger<PostgreSqlDatabase>? logger = null)
        : this(CreateBuilder(connectionString, schema).Build(), ownsDataSource: true, schema, logger)
    {
    }

    /// <summary>
    /// Creates the database handle over a data source the caller built and owns (for example with its own logging,
    /// authentication callbacks or type mappings). Disposing this handle leaves the data source open. The statement
    /// preparation and reset settings the string overload applies are the caller's choice here.
    /// </summary>
    /// <param name="dataSource">The data source; it must point at a UTF8 database.</param>
    /// <param name="schema">The schema holding the tables, as for the other constructor.</param>
    /// <param name="logger">Receives schema creation and upgrades and connection problems; null logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> or <paramref name="schema"/> is null.</exception>
    /// <exception cref="ArgumentException">The schema name is invalid.</exception>
    public PostgreSqlDatabase(NpgsqlDataSource dataSource, string schema = DefaultSchema, ILogger<PostgreSqlDatabase>? logger = null)
        : this(dataSource ?? throw new ArgumentNullException(nameof(dataSource)), ownsDataSource: false, CheckedSchema(schema), logger)
    {
    }

    private PostgreSqlDatabase(NpgsqlDataSource dataSource, bool ownsDataSource, string schema, ILogger? logger)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _logger = logger ?? NullLogger.Instance;
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        _host = settings.Host ?? "?";
        _database = settings.Database ?? settings.Username ?? "?";
        Schema = schema;
        _schemaKey = StableKey(schema);
        var q = $"\"{schema}\"";
        QuotedSchema = q;
        Templates = q + ".templates";
        TemplateReleases = q + ".template_releases";
        TemplateReleaseContents = q + ".template_release_contents";
        Integrations = q + ".integrations";
        IntegrationVersions = q + ".integration_versions";
        IntegrationVersionContent = q + ".integration_version_content";
        IntegrationUsedNumbers = q + ".integration_used_numbers";
        AuditEntries = q + ".audit_entries";
        Installations = q + ".installations";
        MigrationJobs = q + ".migration_jobs";
        Events = q + ".events";
        SchemaVersionTable = q + ".schema_version";
    }

    /// <summary>The schema holding the tables.</summary>
    public string Schema { get; }

    internal string WorkerLeases => QuotedSchema + ".worker_leases";

    internal string ConsumerCheckpoints => QuotedSchema + ".consumer_checkpoints";

    internal string ParkedEvents => QuotedSchema + ".parked_events";

    internal string NoticeClaims => QuotedSchema + ".notice_claims";

    /// <summary>The schema version this library writes.</summary>
    public static int SchemaVersion => Migrations.Length;

    internal string QuotedSchema { get; }

    internal string Templates { get; }

    internal string TemplateReleases { get; }

    internal string TemplateReleaseContents { get; }

    internal string Integrations { get; }

    internal string IntegrationVersions { get; }

    internal string IntegrationVersionContent { get; }

    internal string IntegrationUsedNumbers { get; }

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

    /// <summary>Closes the connection pool (unless the data source was handed in, which stays its owner's).</summary>
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    /// <summary>Closes the connection pool (unless the data source was handed in, which stays its owner's).</summary>
    /// <returns>A task.</returns>
    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    private static string CheckedSchema(string schema)
    {
        CheckSchemaName(schema);
        return schema;
    }

    /// <summary>
    /// The schema version stored, read without creating or changing anything (0 when there is no schema yet). Used by
    /// the health check.
    /// </summary>
    internal async Task<int> ReadSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenLoggedAsync(cancellationToken).ConfigureAwait(false);
        if ((bool)(await ScalarAsync(connection, null, "SELECT to_regclass(@table) IS NULL;", cancellationToken, Text("table", SchemaVersionTable)).ConfigureAwait(false))!)
        {
            return 0;
        }

        return Convert.ToInt32(await ScalarAsync(connection, null, $"SELECT COALESCE(MAX(version), 0) FROM {SchemaVersionTable};", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>The host and database, as logged and reported (never the connection string).</summary>
    internal string Target => $"database {_database} on {_host}";

    /// <summary>Opens a pooled connection; a failure is logged (host and database only) and rethrown.</summary>
    private async Task<NpgsqlConnection> OpenLoggedAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            _logger.ConnectionFailed(ex, _host, _database);
            throw;
        }
    }

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

        // The stores send the same few dozen statements over and over; preparing them once per connection saves the
        // server parsing and planning each time (docs/perf-notes/postgresql-p6-p7.md). A connection string that sets Max Auto Prepare itself
        // (0 turns it off, for example behind a proxy that cannot keep prepared statements) is left as it is.
        // The pool belongs to this library, which never leaves session state on a connection (advisory locks are
        // transaction-scoped; no temporary tables, LISTEN, cursors or SET), so the reset Npgsql otherwise sends when a
        // pooled connection is reused (parsed and run by the server every time) does nothing but cost a statement.
        if (!Mentions(connectionString, "noresetonclose"))
        {
            settings.NoResetOnClose = true;
        }

        if (!Mentions(connectionString, "maxautoprepare"))
        {
            settings.MaxAutoPrepare = DefaultMaxAutoPrepare;
            if (!Mentions(connectionString, "autoprepareminusages"))
            {
                settings.AutoPrepareMinUsages = 2;
            }
        }

        return builder;
    }

    /// <summary>Whether a connection string sets a keyword (compared without spaces or case, as Npgsql does).</summary>
    private static bool Mentions(string connectionString, string keyword)
    {
        var parsed = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (string key in parsed.Keys)
        {
            if (string.Equals(key.Replace(" ", string.Empty, StringComparison.Ordinal), keyword, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
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
        await using var connection = await OpenLoggedAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await MigrateAsync(connection).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.SchemaFailed(ex, Schema, _host, _database);
            throw;
        }
    }

    private async Task MigrateAsync(NpgsqlConnection connection)
    {
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
        if (current == 0)
        {
            _logger.SchemaCreated(Schema, Migrations.Length, _host, _database);
        }
        else if (current < Migrations.Length)
        {
            _logger.SchemaUpgraded(Schema, _host, _database, current, Migrations.Length);
        }
    }

    /// <summary>Opens a pooled connection, the schema ensured.</summary>
    internal async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await OpenLoggedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The text of a statement that embeds this database's table names, built once per database and then reused: the
    /// statements of a command are the same every time, so building them again would only allocate (the server has them
    /// prepared, Max Auto Prepare, and Npgsql finds its prepared statement by the text).
    /// </summary>
    /// <param name="key">A constant naming the statement (and its variant).</param>
    /// <param name="build">Builds the text; called at most a few times per key.</param>
    internal string Statement(string key, Func<PostgreSqlDatabase, string> build)
        => _statements.TryGetValue(key, out var sql) ? sql : _statements.GetOrAdd(key, build(this));

    /// <summary>
    /// A revision-checked write: <paramref name="write"/> (an UPDATE … WHERE revision = @expected, or an INSERT … ON CONFLICT
    /// DO NOTHING, without RETURNING or semicolon) run as a statement that raises <see cref="StaleSqlState"/> when it wrote
    /// no row, so in a batch (<see cref="WriteAsync"/>) a stale save aborts there and commits nothing. Its row lock makes
    /// concurrent savers of the same row wait at this statement.
    /// </summary>
    internal string CheckedWrite(string write) => $"WITH saved AS ({write} RETURNING 1) SELECT {QuotedSchema}.check_saved(COUNT(*)) FROM saved;";

    /// <summary>
    /// The read side of a command in one round trip: the statements <paramref name="add"/> puts in one
    /// <see cref="NpgsqlBatch"/>, sent together, read by <paramref name="read"/> result set by result set.
    /// </summary>
    /// <remarks>
    /// No BEGIN/COMMIT (each would cost a round trip of its own): the batch runs in an implicit transaction at READ
    /// COMMITTED, where every statement takes its own snapshot. So the caller puts the aggregate's header row (with its
    /// revision) first: a save committed between two statements of the batch can then only make the rows read after the
    /// header newer than the header, never older, and every save moves the header's revision. A command saves with the
    /// header's revision, so such a mix always fails its revision check (a conflict, and the command is re-run on fresh
    /// rows) and never passes with stale rows. A read that returns what it read (a query) adds the revision again as its
    /// last statement and reads again when the two differ (then no save committed in between, so every statement saw the
    /// same state).
    /// </remarks>
    internal async Task<T> ReadAsync<TState, T>(TState state, Action<PostgreSqlDatabase, NpgsqlBatch, TState> add,
        Func<NpgsqlDataReader, TState, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        add(this, batch, state);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await read(reader, state, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The write side of a command in one round trip: every statement of a save, put in one <see cref="NpgsqlBatch"/> by
    /// <paramref name="add"/>, sent without BEGIN/COMMIT. PostgreSQL runs the statements of one batch (one Sync) as one
    /// implicit transaction: committed at its end, all of it rolled back by any error, and the statements after a failed
    /// one never run. The revision checks are statements of the batch that raise when they wrote no row
    /// (<see cref="CheckedWrite"/>, or a save statement ending in <c>check_saved</c>), so a stale save writes nothing.
    /// </summary>
    /// <remarks>
    /// A stale revision (<see cref="StaleSqlState"/>), a unique violation (23505: for example a second Live release or an
    /// id inserted twice), a serialization failure (40001) or a deadlock (40P01) becomes the exception
    /// <paramref name="conflict"/> builds on the same connection; it reads the stored revision, on that path only.
    /// </remarks>
    internal async Task WriteAsync<TState>(TState state, Action<PostgreSqlDatabase, NpgsqlBatch, TState> add,
        Func<PostgreSqlDatabase, NpgsqlConnection, TState, PostgresException, CancellationToken, Task<ConcurrencyConflictException>> conflict, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        PostgresException? failure;
        try
        {
            await using var batch = new NpgsqlBatch(connection);
            add(this, batch, state);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (PostgresException ex) when (IsStale(ex) || IsConflict(ex))
        {
            failure = ex;
        }

        throw await conflict(this, connection, state, failure, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True for the error a revision check of a batch raises when the stored revision was not the expected one.</summary>
    internal static bool IsStale(PostgresException exception) => exception.SqlState == StaleSqlState;

    /// <summary>
    /// The conflict for one aggregate whose save failed with <paramref name="failure"/>: its stored revision, read now, and
    /// the server's error as the inner exception unless it was only the revision check.
    /// </summary>
    internal static async Task<ConcurrencyConflictException> ConflictAsync(NpgsqlConnection connection, string table, Guid id, string kind, string idText, long expected,
        PostgresException failure, CancellationToken cancellationToken)
    {
        var actual = await RevisionAsync(connection, table, id, cancellationToken).ConfigureAwait(false);
        return new ConcurrencyConflictException(kind, idText, expected, actual, IsStale(failure) ? null : failure);
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
    /// Adds the outbox rows for <paramref name="events"/> to <paramref name="batch"/>, in order. They get no position
    /// here: <see cref="PostgreSqlEventReader"/> numbers committed rows when it reads.
    /// </summary>
    /// <remarks>
    /// Why no position: a sequence hands out values when rows are inserted, not when transactions commit, so a writer
    /// could take position 10, a second one 11 and commit first; a reader paging by position would read 11 and never see
    /// 10. Version 1 of the schema prevented that with a global advisory lock held by every writer from its first event
    /// through its commit, which ran all writers' commits one at a time (no group commit). Now writers take no lock: each
    /// row gets only <c>seq</c>, its insertion order, and readers assign positions to committed rows, one reader at a time,
    /// in <c>seq</c> order (<see cref="PostgreSqlEventReader"/>). Saves of one aggregate are serialised by its row lock,
    /// so a later save's rows have larger <c>seq</c> values and never get a smaller position than an earlier save's.
    /// </remarks>
    internal void AddEvents(NpgsqlBatch batch, IEnumerable<(DomainEvent Event, long Revision)> events)
    {
        var list = events as IReadOnlyCollection<(DomainEvent Event, long Revision)> ?? [.. events];
        if (list.Count > 0)
        {
            batch.BatchCommands.Add(BatchCommand(EventsInsert(guard: null) + ";", EventParameters(list)));
        }
    }

    /// <summary>
    /// The INSERT of the outbox rows passed by <see cref="EventParameters"/>, in their order; <paramref name="guard"/>, when
    /// given, is a WHERE clause that lets the statement run as a sub-statement of a save that may write nothing.
    /// </summary>
    /// <remarks>
    /// One statement whatever the count (parallel arrays), so it is prepared once and costs the server one execution;
    /// WITH ORDINALITY keeps the events' order in seq.
    /// </remarks>
    internal string EventsInsert(string? guard) => $"""
        INSERT INTO {Events} (aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details)
        SELECT kind, id, rev, type, subject, actor, at, details
        FROM unnest(@e_kinds, @e_ids, @e_revs, @e_types, @e_subjects, @e_actors, @e_ats, @e_details) WITH ORDINALITY AS e (kind, id, rev, type, subject, actor, at, details, n)
        {guard}
        ORDER BY n
        """;

    /// <summary>The parameters of <see cref="EventsInsert"/>: one array per column, empty when there is no event.</summary>
    internal static NpgsqlParameter[] EventParameters(IReadOnlyCollection<(DomainEvent Event, long Revision)> events)
    {
        var kinds = new string[events.Count];
        var ids = new string[events.Count];
        var revisions = new long[events.Count];
        var types = new string[events.Count];
        var subjects = new string?[events.Count];
        var actors = new string[events.Count];
        var ats = new long[events.Count];
        var details = new string[events.Count];
        var i = 0;
        foreach (var (e, revision) in events)
        {
            (kinds[i], ids[i], revisions[i], types[i], subjects[i], actors[i], ats[i], details[i]) =
                (e.AggregateKind, e.AggregateId, revision, e.Type, e.Subject, e.Actor.Value, e.At.ToUnixTimeTicks(), e.Details);
            i++;
        }

        return [Param("e_kinds", kinds), Param("e_ids", ids), Param("e_revs", revisions), Param("e_types", types), Param("e_subjects", subjects),
            Param("e_actors", actors), Param("e_ats", ats), Param("e_details", details)];
    }

    /// <summary>The statement that takes the lock serialising the readers that stamp outbox positions (transaction-scoped).</summary>
    internal NpgsqlBatchCommand StampLockCommand()
        => BatchCommand("SELECT pg_advisory_xact_lock(@class, @key);", Param("class", OutboxLockClass), Param("key", _schemaKey));

    /// <summary>Adds the audit entries added since the last save (<see cref="AggregateRoot.NewAuditEntries"/>) to <paramref name="batch"/>.</summary>
    internal void AddAudit(NpgsqlBatch batch, AggregateRoot aggregate, Guid id)
    {
        if (aggregate.NewAuditEntries.Count > 0)
        {
            batch.BatchCommands.Add(BatchCommand(AuditInsert(guard: null) + ";", [Param("id", id), .. AuditParameters(aggregate)]));
        }
    }

    /// <summary>
    /// The INSERT of the audit entries passed by <see cref="AuditParameters"/>; <paramref name="guard"/>, when given, is a
    /// WHERE clause that lets the statement run as a sub-statement of a save that may write nothing. One statement
    /// whatever the count (parallel arrays), so it is prepared once and costs the server one execution.
    /// </summary>
    internal string AuditInsert(string? guard)
        => $"INSERT INTO {AuditEntries} (aggregate_id, seq, action, actor, at, subject, details) SELECT @id, * FROM unnest(@a_seqs, @a_actions, @a_actors, @a_ats, @a_subjects, @a_details) {guard}";

    /// <summary>
    /// The parameters of <see cref="AuditInsert"/> but <c>@id</c> (the aggregate's id, which the caller adds) for the
    /// entries added since the last save (<see cref="AggregateRoot.NewAuditEntries"/>, with the numbers the aggregate gives
    /// them): one array per column, empty when there is none.
    /// </summary>
    internal static NpgsqlParameter[] AuditParameters(AggregateRoot aggregate)
    {
        var added = aggregate.NewAuditEntries;
        var count = added.Count;
        var seqs = new int[count];
        var actions = new string[count];
        var actors = new string[count];
        var ats = new long[count];
        var subjects = new string?[count];
        var details = new string[count];
        for (var i = 0; i < count; i++)
        {
            var (seq, e) = added[i];
            (seqs[i], actions[i], actors[i], ats[i], subjects[i], details[i]) = (seq, e.Action.ToString(), e.Actor.Value, e.At.ToUnixTimeTicks(), e.Subject, e.Details);
        }

        return [Param("a_seqs", seqs), Param("a_actions", actions), Param("a_actors", actors), Param("a_ats", ats), Param("a_subjects", subjects), Param("a_details", details)];
    }

    /// <summary>
    /// An expression giving the length of the stored audit trail of the aggregate <paramref name="id"/> (an SQL expression),
    /// for a load that leaves the trail out: the last entry's number plus one, found through the primary key (entries are
    /// numbered 0, 1, 2 … and never removed), so it costs the same however long the trail is.
    /// </summary>
    internal string AuditTrailLength(string id)
        => $"COALESCE((SELECT seq + 1 FROM {AuditEntries} WHERE aggregate_id = {id} ORDER BY seq DESC LIMIT 1), 0)";

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
                ActorId.FromStored(reader.GetString(1)),
                Instant.FromUnixTimeTicks(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4)));
        }

        return entries;
    }

    /// <summary>
    /// Reads an audit trail returned as six parallel arrays (seq, action, actor, at, subject, details; all null when there
    /// is no entry) starting at column <paramref name="first"/>, ordered by seq. The arrays come from an ordered subquery,
    /// which PostgreSQL aggregates in order (cheaper than one sort per array); the order is checked, never assumed.
    /// </summary>
    internal static List<AuditEntry> ReadAuditArrays(NpgsqlDataReader reader, int first)
    {
        if (reader.IsDBNull(first))
        {
            return [];
        }

        var seqs = reader.GetFieldValue<int[]>(first);
        var actions = reader.GetFieldValue<string[]>(first + 1);
        var actors = reader.GetFieldValue<string[]>(first + 2);
        var ats = reader.GetFieldValue<long[]>(first + 3);
        var subjects = reader.GetFieldValue<string?[]>(first + 4);
        var details = reader.GetFieldValue<string[]>(first + 5);
        var order = Enumerable.Range(0, seqs.Length).ToArray();
        for (var i = 1; i < seqs.Length; i++)
        {
            if (seqs[i - 1] > seqs[i])
            {
                Array.Sort(seqs, order);
                break;
            }
        }

        var entries = new List<AuditEntry>(seqs.Length);
        foreach (var i in order)
        {
            entries.Add(new AuditEntry(Enum.Parse<AuditAction>(actions[i]), ActorId.FromStored(actors[i]), Instant.FromUnixTimeTicks(ats[i]), subjects[i], details[i]));
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

    /// <summary>
    /// The schema step of the background worker's shared state (<see cref="PostgreSqlWorkerStateRepository"/>): leases,
    /// consumer checkpoints, parked events and notice claims, and <c>check_lease</c>, which aborts a fenced write whose
    /// lease is lost. Idempotent (IF NOT EXISTS, OR REPLACE), so it can run again after any other step.
    /// </summary>
    private static string WorkerStateSchemaStep() => """
        CREATE TABLE IF NOT EXISTS {s}.worker_leases (
            resource text NOT NULL PRIMARY KEY,
            holder text NOT NULL,
            generation bigint NOT NULL,
            expires_at bigint NOT NULL);
        CREATE TABLE IF NOT EXISTS {s}.consumer_checkpoints (
            consumer text NOT NULL PRIMARY KEY,
            position bigint NOT NULL);
        CREATE TABLE IF NOT EXISTS {s}.parked_events (
            consumer text NOT NULL,
            position bigint NOT NULL,
            attempts integer NOT NULL,
            error text NOT NULL,
            parked_at bigint NOT NULL,
            PRIMARY KEY (consumer, position));
        CREATE TABLE IF NOT EXISTS {s}.notice_claims (
            notice_key text NOT NULL PRIMARY KEY,
            claimed_at bigint NOT NULL);
        CREATE OR REPLACE FUNCTION {s}.check_lease(held bigint) RETURNS bigint LANGUAGE plpgsql AS $$
        BEGIN
            IF held <> 1 THEN
                RAISE EXCEPTION 'Versioning.Core: the worker lease is no longer held' USING ERRCODE = 'VR410';
            END IF;
            RETURN held;
        END
        $$;
        """;

    [GeneratedRegex(@"\A[a-z_][a-z0-9_]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
