using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NodaTime.Testing;
using Npgsql;
using Versioning.Core.Authorization;
using Versioning.Core.Integrations;
using Versioning.Core.Services;
using Versioning.Core.Templates;

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL store's round trips: a command reads in one round trip and writes in one, without BEGIN/COMMIT; a
/// revision check inside a write batch aborts the whole batch; a read made of several statements is one state.
/// </summary>
public sealed class PostgreSqlRoundTripTests
{
    private static readonly ActorId Actor = new("round-trip-tests");
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 9, 30);

    [PostgresFact]
    public async Task Commands_ReadInOneRoundTripAndWriteInOne_WithoutTransactionStatements()
    {
        await using var schema = new TestSchema();
        var log = new RoundTripLog();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
        await using var dataSource = new NpgsqlDataSourceBuilder(PostgresServer.ConnectionString).UseLoggerFactory(loggers).Build();
        await using var database = new PostgreSqlDatabase(dataSource, schema.Name);
        await database.EnsureSchemaAsync();
        var integrations = new PostgreSqlIntegrationRepository(database);
        var templates = new PostgreSqlTemplateRepository(database);
        var installations = new PostgreSqlInstallationRepository(database);
        var clock = new FakeClock(T0);
        var integrationService = new IntegrationService(integrations, installations, [], new DefaultAccessPolicy(), clock, new VersioningOptions());
        var templateService = new TemplateService(templates, installations, new DefaultAccessPolicy(), clock, new VersioningOptions());

        var app = await integrationService.CreateIntegrationAsync("Round trips", Actor);
        await integrationService.CreateVersionAsync(app.Id, new VersionNumber(1, 0, 0), null, Actor);
        await integrationService.CreateVersionAsync(app.Id, new VersionNumber(1, 1, 0), null, Actor);
        await integrationService.PromoteAsync(app.Id, new VersionNumber(1, 0, 0), Actor);
        var template = await templateService.CreateTemplateAsync("Round trips", Actor);
        await templateService.CreateDraftAsync(template.Id, null, Actor);

        // A promote: the load, then the save (revision check, versions, audit entries and events in one statement).
        log.Clear();
        await integrationService.PromoteAsync(app.Id, new VersionNumber(1, 1, 0), Actor);
        Assert.Equal((2, 0), log.Counts());

        // A template command: the load (template row, releases, trail length, revision) and the save, one batch each.
        log.Clear();
        await templateService.SetNotesAsync(template.Id, new ReleaseNumber(1), "notes", Actor);
        Assert.Equal((2, 0), log.Counts());

        // Several templates saved together: one batch, one implicit transaction.
        var first = (await templates.FindWithoutAuditTrailAsync(template.Id))!;
        var second = Template.Create(TemplateId.New(), "Second", Actor, T0);
        first.Rename("Renamed", Actor, T0);
        log.Clear();
        await templates.SaveAllAsync([first, second]);
        Assert.Equal((1, 0), log.Counts());

        // An install: the product's load, then the installation row and its event in one batch.
        log.Clear();
        await integrationService.InstallAsync(app.Id, OwnerRef.Account("acme"), Actor);
        Assert.Equal((2, 0), log.Counts());
    }

    [PostgresFact]
    public async Task SaveAll_StaleTemplateInTheMiddleOfTheBatch_WritesNothingForAnyTemplate_X3()
    {
        await using var schema = new TestSchema();
        var repository = new PostgreSqlTemplateRepository(schema.NewDatabase());
        var ids = Enumerable.Range(0, 3).Select(_ => TemplateId.New()).OrderBy(id => id.Value).ToList();
        foreach (var id in ids)
        {
            await repository.SaveAsync(Template.Create(id, "T " + id, Actor, T0));
        }

        var copies = new List<Template>();
        foreach (var id in ids)
        {
            copies.Add((await repository.FindWithoutAuditTrailAsync(id))!);
        }

        // Another writer moves the middle template (in id order, the order of the revision checks) on.
        var other = (await repository.FindWithoutAuditTrailAsync(ids[1]))!;
        other.Rename("Moved on", Actor, T0);
        await repository.SaveAsync(other);
        var s = $"\"{schema.Name}\"";
        var eventsBefore = await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.events;");
        var auditBefore = await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.audit_entries;");

        foreach (var copy in copies)
        {
            copy.CreateDraft(null, Actor, T0);
        }

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.SaveAllAsync(copies));

        Assert.Equal((ids[1].ToString(), 1L, 2L), (conflict.AggregateId, conflict.ExpectedRevision, conflict.ActualRevision));
        Assert.Null(conflict.InnerException);
        Assert.Equal(0L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.template_releases;"));
        Assert.Equal(new long[] { 1, 2, 1 }, await Revisions(s, ids));
        Assert.Equal(eventsBefore, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.events;"));
        Assert.Equal(auditBefore, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.audit_entries;"));
        Assert.All(copies, c => Assert.Equal(1L, c.Revision));

        // Reloaded, the same changes save together.
        copies = [];
        foreach (var id in ids)
        {
            var copy = (await repository.FindWithoutAuditTrailAsync(id))!;
            copy.CreateDraft(null, Actor, T0);
            copies.Add(copy);
        }

        await repository.SaveAllAsync(copies);
        Assert.Equal(new long[] { 2, 3, 2 }, await Revisions(s, ids));
        Assert.Equal(3L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.template_releases;"));
    }

    [PostgresFact]
    public async Task Save_UniqueViolationInsideTheBatch_IsAConflictAndWritesNothing_X3()
    {
        await using var schema = new TestSchema();
        var repository = new PostgreSqlTemplateRepository(schema.NewDatabase());
        var id = TemplateId.New();
        await repository.SaveAsync(Template.Create(id, "Twice", Actor, T0));

        // A second first save of the same id: its insert finds the row, so its check raises; a copy at the right
        // revision whose release row already exists with another state breaks the one-Live index instead.
        var twice = Template.Create(id, "Twice", Actor, T0);
        var stale = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.SaveAsync(twice));
        Assert.Equal((0L, 1L), (stale.ExpectedRevision, stale.ActualRevision));

        var copy = (await repository.FindWithoutAuditTrailAsync(id))!;
        copy.CreateDraft(null, Actor, T0);
        copy.Promote(new ReleaseNumber(1), Actor, T0);
        var s = $"\"{schema.Name}\"";
        await PostgresServer.ExecuteAsync($"INSERT INTO {s}.template_releases VALUES ('{id.Value}', 99, 'Live', '[]');");

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.SaveAsync(copy));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(conflict.InnerException).SqlState);
        Assert.Equal(1L, await PostgresServer.ScalarAsync<long>($"SELECT revision FROM {s}.templates;"));
        Assert.Equal(1L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.template_releases;"));
    }

    [PostgresFact]
    public async Task TemplateLoad_WhileAnotherHostSaves_AlwaysReturnsOneCommittedState()
    {
        await using var schema = new TestSchema();
        var writer = new PostgreSqlTemplateRepository(schema.NewDatabase());
        var reader = new PostgreSqlTemplateRepository(schema.NewDatabase());
        var id = TemplateId.New();
        await writer.SaveAsync(Template.Create(id, "Busy", Actor, T0));
        var start = (await reader.FindAsync(id))!;
        var entriesBeyondReleases = start.AuditTrail.Count - start.Releases.Count;

        using var done = new CancellationTokenSource();
        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                var t = (await writer.FindWithoutAuditTrailAsync(id))!;
                t.CreateDraft(null, Actor, T0);
                await writer.SaveAsync(t);
            }
        });

        var reads = 0;
        while (!writes.IsCompleted)
        {
            var whole = (await reader.FindAsync(id))!;
            var withoutTrail = (await reader.FindWithoutAuditTrailAsync(id))!;
            Assert.Equal(whole.Releases.Count, whole.LastReleaseNumber);
            Assert.Equal(whole.Releases.Count + entriesBeyondReleases, whole.AuditTrail.Count);
            Assert.Equal(1 + whole.Releases.Count, whole.Revision);
            Assert.Equal(withoutTrail.Releases.Count, withoutTrail.LastReleaseNumber);
            Assert.Equal(1 + withoutTrail.Releases.Count, withoutTrail.Revision);
            reads++;
        }

        await writes;
        Assert.True(reads > 0);
        Assert.Equal(60, (await reader.FindAsync(id))!.Releases.Count);
    }

    private static async Task<long[]> Revisions(string s, IEnumerable<TemplateId> ids)
    {
        var revisions = new List<long>();
        foreach (var id in ids)
        {
            revisions.Add(await PostgresServer.ScalarAsync<long>($"SELECT revision FROM {s}.templates WHERE id = @id;", ("id", id.Value)));
        }

        return [.. revisions];
    }

    /// <summary>Counts what Npgsql logs per round trip: command and batch executions, and explicit transactions.</summary>
    private sealed class RoundTripLog : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<int> _events = new();

        public void Clear() => _events.Clear();

        /// <summary>(commands and batches executed, transactions begun or committed).</summary>
        public (int Commands, int Transactions) Counts()
            => (_events.Count(e => e == NpgsqlEventId.ExecutingCommand),
                _events.Count(e => e is NpgsqlEventId.StartedTransaction or NpgsqlEventId.CommittedTransaction));

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _events.Enqueue(eventId.Id);

        public void Dispose()
        {
        }
    }
}
