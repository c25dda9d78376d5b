using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Npgsql;
using NodaTime.Testing;
using Versioning.Core.Authorization;
using Versioning.Core.Content;
using Versioning.Core.Persistence;
using Versioning.Core.PostgreSql;
using Versioning.Core.Services;
using Versioning.Core.Sqlite;
using Versioning.Core.Templates;
using Versioning.Core.Testing;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P8 for templates: promote and set-notes on a template with 10 and with 10 000 releases, with 1 KB or 10 MB of content
/// in a release the command does not touch (and, for set-notes, in the Live release), through <see cref="TemplateService"/>.
/// Target: the 10 000-release figure within 2× of the 10-release one, and the same figure with 10 MB as with 1 KB.
/// </summary>
/// <remarks>
/// Two templates per parameter set, each with <see cref="Releases"/> releases: "content elsewhere" (release 1 Deprecated
/// and holding <see cref="ContentKb"/> KB, release 2 Live, the others Drafts of 1 KB) and "content in Live" (release 2
/// Live and holding <see cref="ContentKb"/> KB, the others 1 KB). A promote cannot be repeated on one release (T7), so
/// <see cref="PromoteCycle"/> keeps the template's size constant: it creates a Draft, promotes it (the Live release
/// becomes Deprecated) and deletes that Deprecated release — three commands, each loading only what it selects.
/// </remarks>
[MemoryDiagnoser]
public abstract class TemplateCommandBenchmarks
{
    private static readonly WorkflowDefinition SmallContent = ContentOf(1);

    private TemplateId _elsewhere;
    private TemplateId _inLive;
    private ReleaseNumber _live;
    private int _notes;

    /// <summary>How many releases each template has.</summary>
    [Params(10, 10_000)]
    public int Releases { get; set; }

    /// <summary>The size of the big content: 1 KB or 10 MB (10 240 KB).</summary>
    [Params(1, 10_240)]
    public int ContentKb { get; set; }

    /// <summary>The store measured.</summary>
    protected ITemplateRepository Templates { get; private set; } = null!;

    /// <summary>The service over <see cref="Templates"/>.</summary>
    protected TemplateService Service { get; private set; } = null!;

    /// <summary>The template with the big content in its Deprecated release 1 (what the raw rows update).</summary>
    protected TemplateId Elsewhere => _elsewhere;

    /// <summary>Content of about <paramref name="kb"/> KB as the stores serialize it: up to 1 000 steps with one setting each.</summary>
    /// <param name="kb">Kilobytes (1 KB = 1 024 bytes).</param>
    /// <returns>The content.</returns>
    protected static WorkflowDefinition ContentOf(int kb)
    {
        var steps = Math.Min(WorkflowDefinition.MaxSteps, Math.Max(1, kb));
        var valueLength = Math.Min(Step.MaxSettingValueLength, Math.Max(100, (kb * 1024 / steps) - 100));
        var value = new string('x', valueLength);
        return new WorkflowDefinition([.. Enumerable.Range(0, steps).Select(i => new Step("s" + i.ToString(CultureInfo.InvariantCulture), new ConnectorRef("Crm", "1.0"), "Sync", [new("payload", value)]))]);
    }

    /// <summary>Creates the store (<see cref="CreateStore"/>), the two templates, and the service.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Templates = CreateStore();
        if (Templates is null)
        {
            return;
        }

        var big = ContentOf(ContentKb);
        _elsewhere = Save(big, bigAt: 1);
        _inLive = Save(big, bigAt: 2);
        _live = new ReleaseNumber(2);
        Service = new TemplateService(Templates, CreateInstallations(), new DefaultAccessPolicy(), new FakeClock(BenchmarkData.At), new VersioningOptions { MaxContentBytes = 64 << 20 });
        Console.WriteLine($"// {GetType().Name}: {Releases} releases, {ContentKb} KB content ({StoreJson.WriteContent(big).Length / 1024} KB serialized).");
    }

    private TemplateId Save(WorkflowDefinition big, int bigAt)
    {
        var template = Template.Create(TemplateId.New(), $"Benchmark template, {Releases} releases", BenchmarkData.Owner, BenchmarkData.At);
        for (var i = 1; i <= Releases; i++)
        {
            template.CreateDraft(i == bigAt ? big : SmallContent, BenchmarkData.Owner, BenchmarkData.At);
        }

        template.Promote(new ReleaseNumber(1), BenchmarkData.Owner, BenchmarkData.At);
        template.Promote(new ReleaseNumber(2), BenchmarkData.Owner, BenchmarkData.At);
        Templates.SaveAsync(template).GetAwaiter().GetResult();
        return template.Id;
    }

    /// <summary>The template store measured; null skips the suite (PostgreSQL without a server).</summary>
    /// <returns>The store.</returns>
    protected abstract ITemplateRepository CreateStore();

    /// <summary>The installation store beside it.</summary>
    /// <returns>The store.</returns>
    protected abstract IInstallationRepository CreateInstallations();

    /// <summary>
    /// P8: create a Draft, promote it (T6: the Live release becomes Deprecated), delete that Deprecated release (T10):
    /// the template keeps its size; release 1 with the big content is never touched.
    /// </summary>
    /// <returns>The new Live release.</returns>
    [Benchmark]
    public async Task<TemplateRelease?> PromoteCycle()
    {
        if (Service is null)
        {
            return null;
        }

        var draft = await Service.CreateDraftAsync(_elsewhere, SmallContent, BenchmarkData.Owner);
        var live = await Service.PromoteAsync(_elsewhere, draft.Number, BenchmarkData.Owner);
        var previous = (await Templates.FindForCommandAsync(_elsewhere, ItemSelection.Of(VersionKey.ForRelease(_live))))!;
        previous.DeleteRelease(_live, 0, BenchmarkData.Owner, BenchmarkData.At);
        await Templates.SaveAsync(previous);
        _live = live.Number;
        return live;
    }

    /// <summary>P8: set the notes of Draft 3 (alternating two texts), the big content in Deprecated release 1.</summary>
    /// <returns>The changed release.</returns>
    [Benchmark]
    public Task<TemplateRelease>? SetNotes()
        => Service?.SetNotesAsync(_elsewhere, new ReleaseNumber(3), (++_notes % 2).ToString(CultureInfo.InvariantCulture), BenchmarkData.Owner);

    /// <summary>P8: set the notes of Draft 3 (alternating two texts), the big content in the Live release.</summary>
    /// <returns>The changed release.</returns>
    [Benchmark]
    public Task<TemplateRelease>? SetNotesContentInLive()
        => Service?.SetNotesAsync(_inLive, new ReleaseNumber(3), (++_notes % 2).ToString(CultureInfo.InvariantCulture), BenchmarkData.Owner);
}

/// <summary>P8 for templates in memory (<see cref="InMemoryTemplateRepository"/>).</summary>
public class TemplateInMemoryBenchmarks : TemplateCommandBenchmarks
{
    private readonly InMemoryStore _store = new();

    /// <inheritdoc />
    protected override ITemplateRepository CreateStore() => new InMemoryTemplateRepository(_store);

    /// <inheritdoc />
    protected override IInstallationRepository CreateInstallations() => new InMemoryInstallationRepository(_store);
}

/// <summary>
/// P8 for templates in SQLite (a temporary WAL file, the store's pragmas), with the P12 raw rows of the same run: a
/// single-row transaction (the baseline) and the rows a set-notes writes (template row, release row, audit entry, event).
/// </summary>
public class TemplateSqliteBenchmarks : TemplateCommandBenchmarks
{
    private string _path = null!;
    private string _connectionString = null!;
    private SqliteDatabase _database = null!;
    private SqliteRawBaseline _raw = null!;
    private SqliteConnection _rawConnection = null!;
    private SqliteCommand[] _rawNotes = null!;
    private int _seq;

    /// <inheritdoc />
    protected override ITemplateRepository CreateStore()
    {
        _connectionString = DurableStoreSupport.NewSqliteFile("p8-template", out _path);
        _database = new SqliteDatabase(_connectionString);
        _database.EnsureSchemaAsync().GetAwaiter().GetResult();
        return new SqliteTemplateRepository(_database);
    }

    /// <inheritdoc />
    protected override IInstallationRepository CreateInstallations()
    {
        _raw = new SqliteRawBaseline(_connectionString);
        _rawConnection = new SqliteConnection(_connectionString + ";Pooling=False");
        _rawConnection.Open();
        using (var pragmas = _rawConnection.CreateCommand())
        {
            // The store's own pragmas, as SqliteRawBaseline sets them: without synchronous=NORMAL every commit would fsync.
            pragmas.CommandText = "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;";
            pragmas.ExecuteNonQuery();
        }

        var id = Elsewhere.ToString();
        _seq = 1_000_000;
        _rawNotes =
        [
            Prepare("BEGIN IMMEDIATE;"),
            Prepare("UPDATE templates SET revision = revision + 1, name = name, published = published, last_release_number = last_release_number, team = team WHERE id = $id;", ("$id", id)),
            Prepare("UPDATE template_releases SET state = state, data = data WHERE template_id = $id AND number = 4;", ("$id", id)),
            Prepare("INSERT INTO audit_entries (aggregate_id, seq, action, actor, at, subject, details) VALUES ($id, $seq, 'NotesChanged', 'raw', 0, 'release 4', $details);", ("$id", id), ("$seq", 0), ("$details", RawBaselines.Details)),
            Prepare("INSERT INTO events (aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details) VALUES ('Template', $id, 0, 'NotesChanged', 'release 4', 'raw', 0, $details);", ("$id", id), ("$details", RawBaselines.Details)),
            Prepare("COMMIT;"),
        ];
        return new SqliteInstallationRepository(_database);
    }

    private SqliteCommand Prepare(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _rawConnection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.Prepare();
        return command;
    }

    /// <summary>Closes the connections and deletes the file.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var command in _rawNotes)
        {
            command.Dispose();
        }

        _rawConnection.Dispose();
        _raw.Dispose();
        _database.Dispose();
        DurableStoreSupport.DeleteSqliteFile(_path);
    }

    /// <summary>P12 baseline (ratio 1.00): <c>BEGIN IMMEDIATE</c>, one single-row UPDATE, COMMIT, raw and prepared.</summary>
    /// <returns>Rows changed.</returns>
    [Benchmark(Baseline = true)]
    public int RawSingleRowTransaction() => _raw.SingleRow();

    /// <summary>P12: the rows a set-notes writes (template row, one release row, one audit entry, one event), raw, in one transaction.</summary>
    /// <returns>Rows changed.</returns>
    [Benchmark]
    public int RawSetNotesRows()
    {
        _rawNotes[3].Parameters["$seq"].Value = _seq++;
        var rows = 0;
        foreach (var command in _rawNotes)
        {
            rows += command.ExecuteNonQuery();
        }

        return rows;
    }
}

/// <summary>
/// P8 for templates in PostgreSQL (a schema of its own, dropped afterwards; skipped when <c>VERSIONING_TEST_POSTGRES</c> is
/// unset), with the P12 raw rows of the same run: a single-row autocommit UPDATE (the baseline) and the rows a set-notes
/// writes in one round trip.
/// </summary>
public class TemplatePostgreSqlBenchmarks : TemplateCommandBenchmarks
{
    private string? _connectionString;
    private string _schema = null!;
    private PostgreSqlDatabase _database = null!;
    private NpgsqlDataSource _rawSource = null!;
    private int _seq = 1_000_000;

    /// <inheritdoc />
    protected override ITemplateRepository CreateStore()
    {
        _connectionString = DurableStoreSupport.PostgresConnectionString;
        if (_connectionString is null)
        {
            Console.WriteLine(DurableStoreSupport.PostgresSkipReason(nameof(TemplatePostgreSqlBenchmarks)));
            return null!;
        }

        _schema = DurableStoreSupport.NewSchemaName();
        _database = new PostgreSqlDatabase(_connectionString, _schema);
        _database.EnsureSchemaAsync().GetAwaiter().GetResult();
        PostgresRawBaseline.CreateAsync(_connectionString, _schema, 1).GetAwaiter().GetResult();
        _rawSource = NpgsqlDataSource.Create(_connectionString);
        return new PostgreSqlTemplateRepository(_database);
    }

    /// <inheritdoc />
    protected override IInstallationRepository CreateInstallations() => new PostgreSqlInstallationRepository(_database);

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

    /// <summary>P12 baseline (ratio 1.00): one raw single-row autocommit UPDATE (prepared) in the same database.</summary>
    /// <returns>A task.</returns>
    [Benchmark(Baseline = true)]
    public Task RawSingleRowTransaction()
        => _connectionString is null ? Task.CompletedTask : PostgresRawBaseline.SingleRowsAsync(_rawSource, _schema, 0, 1);

    /// <summary>P12: the rows a set-notes writes (template row, one release row, one audit entry, one event), raw, one batch = one round trip.</summary>
    /// <returns>A task.</returns>
    [Benchmark]
    public async Task RawSetNotesRows()
    {
        if (_connectionString is null)
        {
            return;
        }

        var q = $"\"{_schema}\"";
        await using var connection = await _rawSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        var id = Elsewhere.Value;
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"UPDATE {q}.templates SET revision = revision + 1 WHERE id = @id;") { Parameters = { new NpgsqlParameter<Guid>("id", id) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"UPDATE {q}.template_releases SET data = data WHERE template_id = @id AND number = 4;") { Parameters = { new NpgsqlParameter<Guid>("id", id) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"INSERT INTO {q}.audit_entries (aggregate_id, seq, action, actor, at, subject, details) VALUES (@id, @seq, 'NotesChanged', 'raw', 0, 'release 4', @details);")
        {
            Parameters = { new NpgsqlParameter<Guid>("id", id), new NpgsqlParameter<int>("seq", _seq++), new NpgsqlParameter<string>("details", RawBaselines.Details) },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"INSERT INTO {q}.events (aggregate_kind, aggregate_id, aggregate_revision, type, subject, actor, at, details) VALUES ('Template', @id, 0, 'NotesChanged', 'release 4', 'raw', 0, @details);")
        {
            Parameters = { new NpgsqlParameter<string>("id", id.ToString()), new NpgsqlParameter<string>("details", RawBaselines.Details) },
        });
        await batch.ExecuteNonQueryAsync();
    }
}
