using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Services;

namespace Versioning.Core.PostgreSql.Tests;

public sealed class PostgreSqlSpecificTests
{
    private const string Tricky = "O'Brien \"quoted\"; DROP TABLE templates; -- SELECT * FROM events; $1 $$ % _ \\ Ünïcødé ✓ 🚀";
    private static readonly ActorId Actor = new("postgres-tests");
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 9, 30, 15).PlusTicks(1_234_567);

    [PostgresFact]
    public async Task EnsureSchema_TwiceAndByManyInstancesAtOnce_CreatesItOnce()
    {
        await using var schema = new TestSchema();
        var instances = Enumerable.Range(0, 4).Select(_ => schema.NewDatabase()).ToList();
        await Task.WhenAll(instances.Select(d => Task.Run(() => d.EnsureSchemaAsync())));
        await instances[0].EnsureSchemaAsync();
        await schema.NewDatabase().EnsureSchemaAsync();

        Assert.Equal((long)PostgreSqlDatabase.SchemaVersion, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM \"{schema.Name}\".schema_version;"));
        Assert.Equal(PostgreSqlDatabase.SchemaVersion, await PostgresServer.ScalarAsync<int>($"SELECT MAX(version) FROM \"{schema.Name}\".schema_version;"));
        // 12 tables of the stores (integration content and used numbers apart since step 6, template content since step 7) and 4 of the background
        // worker's shared state (leases, checkpoints, parked events, notice claims).
        Assert.Equal(16L, await PostgresServer.ScalarAsync<long>("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = @s;", ("s", schema.Name)));
    }

    [PostgresFact]
    public async Task EnsureSchema_UpgradeBeforeContentApart_MovesContentAndUsedNumbersOutInPlace_Z1()
    {
        await using var schema = new TestSchema();
        await schema.NewDatabase().EnsureSchemaAsync();
        var q = $"\"{schema.Name}\"";

        // An integration as schema 5 stored it: content inside each version's jsonb, used numbers in the header.
        var v100 = VersionNumber.Parse("1.0.0");
        var v110 = VersionNumber.Parse("1.1.0");
        var v120 = VersionNumber.Parse("1.2.0");
        var at = NodaTime.Instant.FromUtc(2026, 1, 1, 0, 0);
        var content = new Content.WorkflowDefinition([new Content.Step("Only 'step'", new Content.ConnectorRef("Crm", "1.0"), "Create", [new("k", "v \"q\"")])]);
        var integration = Integration.Create(IntegrationId.New(), "Old", new ActorId("pg"), at);
        integration.CreateVersion(v100, content, null, true, new ActorId("pg"), at);
        integration.SetNotes(v100, "notes", new ActorId("pg"), at);
        integration.Promote(v100, [], new ActorId("pg"), at);
        integration.CreateVersion(v110, null, null, true, new ActorId("pg"), at);
        integration.CreateVersion(v120, null, null, true, new ActorId("pg"), at);
        integration.DeleteVersion(v120, 0, new ActorId("pg"), at);
        await PostgresServer.ExecuteAsync($"""
            DROP TABLE {q}.integration_version_content;
            DROP TABLE {q}.integration_used_numbers;
            DELETE FROM {q}.schema_version WHERE version > 5;
            INSERT INTO {q}.integrations (id, revision, name, data) VALUES ('{integration.Id}', 1, 'Old', '{StoreJson.WriteHeader(integration.ToSnapshot()).Replace("'", "''", StringComparison.Ordinal)}');
            INSERT INTO {q}.integration_versions (integration_id, number, state, data) VALUES
                ('{integration.Id}', '1.0.0', 'Promoted', '{StoreJson.Write(integration.GetVersion(v100)).Replace("'", "''", StringComparison.Ordinal)}'),
                ('{integration.Id}', '1.1.0', 'Private', '{StoreJson.Write(integration.GetVersion(v110)).Replace("'", "''", StringComparison.Ordinal)}');
            """);

        for (var i = 0; i < 2; i++)
        {
            await schema.NewDatabase().EnsureSchemaAsync();
            var repository = schema.Stores(owner: false).Integrations;
            var loaded = (await repository.FindAsync(integration.Id))!;
            Assert.Equal(content, loaded.GetVersion(v100).Content);
            Assert.Equal(Content.WorkflowDefinition.Empty, loaded.GetVersion(v110).Content);
            Assert.Equal([v100, v110, v120], loaded.UsedNumbers.Order());
            var command = (await repository.FindForCommandAsync(integration.Id, ItemSelection.Of(VersionKey.ForVersion(v120)).WithUsedNumbers()))!;
            Assert.Equal("Z1", Assert.Throws<VersioningRuleException>(() => command.CreateVersion(v120, null, null, true, new ActorId("pg"), at)).RuleId);
            Assert.False(command.PromotedVersion!.HasContent);
        }

        Assert.Equal(0L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {q}.integration_versions WHERE data ? 'steps';"));
        Assert.Equal(0L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {q}.integrations WHERE data ? 'usedNumbers';"));
        Assert.Equal(2L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {q}.integration_version_content;"));
        Assert.Equal("1.0.0,1.1.0,1.2.0", await PostgresServer.ScalarAsync<string>($"SELECT string_agg(number, ',' ORDER BY number) FROM {q}.integration_used_numbers;"));
        Assert.Equal((long)PostgreSqlDatabase.SchemaVersion, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {q}.schema_version;"));
    }

    [PostgresFact]
    public async Task EnsureSchema_UpgradeBeforeCohortBuckets_StoresTheBucketTheCohortComputes_ForOldAndNewRows_M4()
    {
        await using var schema = new TestSchema();
        await schema.NewDatabase().EnsureSchemaAsync();
        var q = $"\"{schema.Name}\"";
        var random = new Random(4242);
        var ids = new List<Guid> { Guid.Empty, Guid.AllBitsSet, Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301") };
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            ids.Add(i % 2 == 0 ? new Guid(bytes) : Guid.CreateVersion7());
        }

        // The schema as version 3 left it (no bucket column, function, trigger or wider index), with installations in it;
        // the upgrade runs again and fills them, and rows inserted afterwards by any client get theirs from the trigger.
        await PostgresServer.ExecuteAsync($"""
            DROP TRIGGER tr_installations_cohort_bucket ON {q}.installations;
            DROP INDEX {q}.ix_installations_product_cohort;
            ALTER TABLE {q}.installations DROP COLUMN cohort_bucket;
            ALTER TABLE {q}.installations RESET (fillfactor);
            CREATE INDEX ix_installations_product ON {q}.installations (product_kind, product_id, id);
            CREATE INDEX ix_installations_product_pinned ON {q}.installations (product_kind, product_id, pinned, id);
            DROP FUNCTION {q}.installations_set_cohort_bucket();
            DROP FUNCTION {q}.installation_cohort_bucket(uuid);
            DELETE FROM {q}.schema_version WHERE version > 3;
            """);
        var insert = $"""
            WITH inserted AS (
                INSERT INTO {q}.installations (id, product_kind, product_id, owner_kind, owner_id, pinned, status, settings, created_at, updated_at, revision)
                SELECT id, 1, '7b0c7f0e-51e5-4e0f-9f4e-0d6b1d1f5a01', 1, 'account-1', '1.0.0', 0, jsonb_build_object(), 0, 0, 1 FROM unnest(@ids) AS u (id)
                RETURNING 1)
            SELECT count(*) FROM inserted;
            """;
        Assert.Equal(150L, await PostgresServer.ScalarAsync<long>(insert, ("ids", ids.Take(150).ToArray())));
        await schema.NewDatabase().EnsureSchemaAsync();
        Assert.Equal(ids.Count - 150L, await PostgresServer.ScalarAsync<long>(insert, ("ids", ids.Skip(150).ToArray())));

        foreach (var id in ids)
        {
            Assert.Equal(Cohort.InstallationBucket(new InstallationId(id)),
                await PostgresServer.ScalarAsync<int>($"SELECT cohort_bucket FROM {q}.installations WHERE id = @id;", ("id", id)));
        }

        Assert.Equal(PostgreSqlDatabase.SchemaVersion, await PostgresServer.ScalarAsync<int>($"SELECT MAX(version) FROM {q}.schema_version;"));
    }

    [PostgresFact]
    public async Task EnsureSchema_UpgradeBeforeTemplateContentApart_MovesEveryReleasesContentOutOfItsRow_P8()
    {
        await using var schema = new TestSchema();
        var q = $"\"{schema.Name}\"";
        Template before;
        await using (var database = schema.NewDatabase())
        {
            var templates = new PostgreSqlTemplateRepository(database);
            var template = Template.Create(TemplateId.New(), "Old content", Actor, T0);
            template.CreateDraft(new Content.WorkflowDefinition([new Content.Step("a " + Tricky, new Content.ConnectorRef("crm", "1"), "sync", [new("k", Tricky)])]), Actor, T0);
            template.CreateDraft(null, Actor, T0);
            template.Promote(new ReleaseNumber(1), Actor, T0);
            await templates.SaveAsync(template);
            before = (await templates.FindAsync(template.Id))!;
        }

        // The schema as the step before left it: each release's steps inside its row, no content table.
        await PostgresServer.ExecuteAsync($"""
            UPDATE {q}.template_releases r SET data = r.data || jsonb_build_object('steps', c.content -> 'steps')
                FROM {q}.template_release_contents c WHERE c.template_id = r.template_id AND c.number = r.number;
            DROP TABLE {q}.template_release_contents;
            DELETE FROM {q}.schema_version WHERE version >= {PostgreSqlDatabase.TemplateContentSchemaVersion};
            """);
        Assert.Equal(2L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {q}.template_releases WHERE jsonb_typeof(data -> 'steps') = 'array';"));

        await using (var database = schema.NewDatabase())
        {
            var templates = new PostgreSqlTemplateRepository(database);
            var after = (await templates.FindAsync(before.Id))!;
            Assert.Equal(before.Releases, after.Releases);
            Assert.All(after.Releases, r => Assert.True(r.HasContent));
            var forPromote = (await templates.FindForCommandAsync(before.Id, ItemSelection.Of(VersionKey.ForRelease(new ReleaseNumber(2)))))!;
            Assert.Equal(before.GetRelease(new ReleaseNumber(2)), forPromote.GetRelease(new ReleaseNumber(2)));
            Assert.False(forPromote.LiveRelease!.HasContent);
        }

        Assert.Equal(0L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {q}.template_releases WHERE data -> 'steps' IS NOT NULL;"));
        Assert.Equal(2L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {q}.template_release_contents;"));
        Assert.Equal(PostgreSqlDatabase.SchemaVersion, await PostgresServer.ScalarAsync<int>($"SELECT MAX(version) FROM {q}.schema_version;"));
    }

    [PostgresFact]
    public async Task EnsureSchema_DatabaseNewerThanLibrary_IsRefused()
    {
        await using var schema = new TestSchema();
        await schema.NewDatabase().EnsureSchemaAsync();
        await PostgresServer.ExecuteAsync($"INSERT INTO \"{schema.Name}\".schema_version (version) VALUES ({PostgreSqlDatabase.SchemaVersion + 1});");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => schema.NewDatabase().EnsureSchemaAsync());
        Assert.Contains("newer than this library", ex.Message);
    }

    [Fact]
    public void Constructor_InvalidConnectionStringOrSchema_IsRefusedWithParameterName()
    {
        const string Valid = "Host=127.0.0.1;Database=x;Username=u;Password=p";
        foreach (var connectionString in new[] { " ", "Database=x;Username=u", "Nonsense=1" })
        {
            Assert.Equal("connectionString", Assert.ThrowsAny<ArgumentException>(() => new PostgreSqlDatabase(connectionString)).ParamName);
        }

        foreach (var schema in new[] { string.Empty, "Versioning", "1abc", "pg_temp", "a-b", "a;drop schema public", "a\"b", new string('a', 64) })
        {
            Assert.Equal("schema", Assert.Throws<ArgumentException>(() => new PostgreSqlDatabase(Valid, schema)).ParamName);
        }

        Assert.Equal("schema", Assert.Throws<ArgumentNullException>(() => new PostgreSqlDatabase(Valid, null!)).ParamName);
        using var ok = new PostgreSqlDatabase(Valid, "_" + new string('a', 62));
        using var defaulted = new PostgreSqlDatabase(Valid);
        Assert.Equal(PostgreSqlDatabase.DefaultSchema, defaulted.Schema);
    }

    [Fact]
    public void Constructor_SchemaWithTrailingNewlineOrOtherWhitespace_IsRefused_X12()
    {
        const string Valid = "Host=127.0.0.1;Database=x;Username=u;Password=p";
        foreach (var schema in new[] { "versioning\n", "versioning\r\n", "versioning\n\n", "\nversioning", "versioning ", " versioning", "versioning\t", "versioning\u0085", "versioning\u2028" })
        {
            var ex = Assert.Throws<ArgumentException>(() => new PostgreSqlDatabase(Valid, schema));
            Assert.Equal("schema", ex.ParamName);
        }

        var services = new ServiceCollection();
        Assert.Equal("schema", Assert.Throws<ArgumentException>(() => services.AddVersioning().UsePostgreSql("Host=localhost", "versioning\n")).ParamName);
    }

    [Fact]
    public void UsePostgreSql_InvalidSchema_IsRefusedAtRegistration()
    {
        var services = new ServiceCollection();
        var builder = services.AddVersioning();
        Assert.Equal("schema", Assert.Throws<ArgumentException>(() => builder.UsePostgreSql("Host=localhost", "Bad Name")).ParamName);
        Assert.Equal("connectionString", Assert.ThrowsAny<ArgumentException>(() => builder.UsePostgreSql(" ")).ParamName);
        builder.UsePostgreSql("Host=localhost", "first").UsePostgreSql("Host=localhost", "second");
        using var provider = services.BuildServiceProvider();
        Assert.Equal("second", provider.GetRequiredService<PostgreSqlDatabase>().Schema);
        Assert.IsType<PostgreSqlTemplateRepository>(provider.GetRequiredService<ITemplateRepository>());
        Assert.IsType<PostgreSqlEventReader>(provider.GetRequiredService<IEventReader>());
    }

    [PostgresFact]
    public async Task PartialUniqueIndexes_SecondLiveOrPromotedRow_AreRejectedByTheDatabase()
    {
        await using var schema = new TestSchema();
        await schema.NewDatabase().EnsureSchemaAsync();
        var s = $"\"{schema.Name}\"";
        await PostgresServer.ExecuteAsync($"""
            INSERT INTO {s}.templates VALUES ('00000000-0000-0000-0000-000000000001', 1, 't', false, 3, 'a', 0);
            INSERT INTO {s}.template_releases VALUES ('00000000-0000-0000-0000-000000000001', 1, 'Live', '[]'), ('00000000-0000-0000-0000-000000000001', 2, 'Deprecated', '[]');
            INSERT INTO {s}.integrations VALUES ('00000000-0000-0000-0000-000000000002', 1, 'i', '[]');
            INSERT INTO {s}.integration_versions VALUES ('00000000-0000-0000-0000-000000000002', '1.0.0', 'Promoted', '[]');
            """);

        var live = await Assert.ThrowsAsync<PostgresException>(() => PostgresServer.ExecuteAsync(
            $"INSERT INTO {s}.template_releases VALUES ('00000000-0000-0000-0000-000000000001', 3, 'Live', '[]');"));
        Assert.Equal((PostgresErrorCodes.UniqueViolation, "ux_template_releases_one_live"), (live.SqlState, live.ConstraintName));
        var promoted = await Assert.ThrowsAsync<PostgresException>(() => PostgresServer.ExecuteAsync(
            $"INSERT INTO {s}.integration_versions VALUES ('00000000-0000-0000-0000-000000000002', '1.1.0', 'Promoted', '[]');"));
        Assert.Equal((PostgresErrorCodes.UniqueViolation, "ux_integration_versions_one_promoted"), (promoted.SqlState, promoted.ConstraintName));

        // Demote first, then promote, in one transaction: the index holds after each statement.
        await PostgresServer.ExecuteAsync($"""
            BEGIN;
            UPDATE {s}.integration_versions SET state = 'Available' WHERE number = '1.0.0';
            INSERT INTO {s}.integration_versions VALUES ('00000000-0000-0000-0000-000000000002', '1.1.0', 'Promoted', '[]');
            COMMIT;
            """);
        Assert.Equal(1L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.integration_versions WHERE state = 'Promoted';"));
    }

    [PostgresFact]
    public async Task TwoIndependentHosts_PromotingOneIntegrationWithoutRetries_OneWinsPerRevisionExactlyOnePromotedRow()
    {
        await using var schema = new TestSchema();
        await using var hostA = Host(schema.Name, retries: 0);
        await using var hostB = Host(schema.Name, retries: 0);
        var a = hostA.GetRequiredService<IntegrationService>();
        var b = hostB.GetRequiredService<IntegrationService>();
        var app = await a.CreateIntegrationAsync("Race", Actor);
        var numbers = Enumerable.Range(0, 20).Select(i => new VersionNumber(1, 0, i)).ToList();
        foreach (var n in numbers)
        {
            await a.CreateVersionAsync(app.Id, n, null, Actor);
            await a.SetNotesAsync(app.Id, n, "notes", Actor);
        }

        var wins = 0;
        var conflicts = 0;
        await Task.WhenAll(numbers.Select((n, i) => Task.Run(async () =>
        {
            try
            {
                await (i % 2 == 0 ? a : b).PromoteAsync(app.Id, n, Actor);
                Interlocked.Increment(ref wins);
            }
            catch (ConcurrencyConflictException)
            {
                Interlocked.Increment(ref conflicts);
            }
        })));

        Assert.Equal(numbers.Count, wins + conflicts);
        Assert.True(wins >= 1);
        var s = $"\"{schema.Name}\"";
        Assert.Equal(1L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.integration_versions WHERE state = 'Promoted';"));
        Assert.Equal(1L + (numbers.Count * 2) + wins, await PostgresServer.ScalarAsync<long>($"SELECT revision FROM {s}.integrations;"));
        Assert.Equal((long)wins, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.events WHERE type = 'Promoted';"));
    }

    [PostgresFact]
    public async Task TwoIndependentHosts_PromotingOneIntegrationWithRetries_EveryPromotionLandsOnce()
    {
        await using var schema = new TestSchema();
        await using var hostA = Host(schema.Name, retries: 100);
        await using var hostB = Host(schema.Name, retries: 100);
        var a = hostA.GetRequiredService<IntegrationService>();
        var b = hostB.GetRequiredService<IntegrationService>();
        var app = await a.CreateIntegrationAsync("Retry", Actor);
        var numbers = Enumerable.Range(0, 10).Select(i => new VersionNumber(1, 0, i)).ToList();
        foreach (var n in numbers)
        {
            await a.CreateVersionAsync(app.Id, n, null, Actor);
        }

        await Task.WhenAll(numbers.Select((n, i) => Task.Run(() => (i % 2 == 0 ? a : b).PromoteAsync(app.Id, n, Actor))));

        var final = await b.GetIntegrationAsync(app.Id, Actor);
        Assert.Single(final.Versions, v => v.StoredState == VersionState.Promoted);
        Assert.Equal(1 + numbers.Count + numbers.Count, final.Revision);
        var s = $"\"{schema.Name}\"";
        Assert.Equal(1L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.integration_versions WHERE state = 'Promoted';"));
        Assert.Equal((long)numbers.Count, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM {s}.audit_entries WHERE action = 'Promoted';"));
    }

    [PostgresFact]
    public async Task Outbox_ConcurrentWritersOnTwoHosts_PagingReaderNeverSkipsALateCommit()
    {
        await using var schema = new TestSchema();
        var hosts = new[] { schema.Stores(owner: false), schema.Stores(owner: false) };
        var product = new ProductRef(ProductKind.Template, Guid.NewGuid());
        const int Writers = 8;
        const int SavesPerWriter = 40;
        using var done = new CancellationTokenSource();

        // A reader polling "after the last position I read" while the writers commit in parallel.
        var seen = new List<long>();
        var reader = Task.Run(async () =>
        {
            long after = 0;
            while (true)
            {
                var finished = done.IsCancellationRequested;
                var page = await hosts[1].Events.ReadAsync(after, 7);
                seen.AddRange(page.Select(e => e.Position));
                if (page.Count > 0)
                {
                    after = page[^1].Position;
                }
                else if (finished)
                {
                    return;
                }
            }
        });

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < SavesPerWriter; i++)
            {
                var installation = new Installation
                {
                    Id = InstallationId.New(),
                    Product = product,
                    Owner = OwnerRef.User($"writer-{w}"),
                    Pinned = VersionKey.ForRelease(R(1)),
                    Status = RunStatus.Paused,
                    CreatedAt = T0,
                    UpdatedAt = T0,
                };
                await hosts[w % 2].Installations.SaveAsync(installation, InstallationEvents.Installed(installation, Actor, T0));
            }
        })).ToList();
        await Task.WhenAll(writers);
        await done.CancelAsync();
        await reader;

        var all = new List<long>();
        long last = 0;
        while (true)
        {
            var page = await hosts[0].Events.ReadAsync(last, 1000);
            if (page.Count == 0)
            {
                break;
            }

            all.AddRange(page.Select(e => e.Position));
            last = page[^1].Position;
        }

        Assert.Equal(Writers * SavesPerWriter, all.Count);
        Assert.Equal(all, seen);
    }

    [PostgresTheory]
    [InlineData("all", "pinned = '9.9.9'", false)]
    [InlineData("percent", "pinned = '9.9.9'", false)]
    [InlineData("account", "pinned = '9.9.9'", false)]
    [InlineData("account", "owner_id = 'someone-else'", false)]
    [InlineData("all", "owner_id = 'someone-else'", true)]
    [InlineData("percent", "status = 1 - status", true)]
    public async Task Migration_InstallationChangedWhileTheBatchRuns_MovesOnlyIfWhatTheSelectionReadIsUnchanged(string scope, string change, bool moves)
    {
        await using var schema = new TestSchema();
        var stores = schema.Stores(owner: false);
        var product = new ProductRef(ProductKind.Integration, Guid.NewGuid());
        var from = VersionKey.ForVersion(new(1, 0, 0));
        var to = VersionKey.ForVersion(new(1, 1, 0));
        var installations = new List<Installation>();
        for (var n = 0; n < 6; n++)
        {
            var installation = new Installation
            {
                Id = InstallationId.New(),
                Product = product,
                Owner = OwnerRef.Account(scope == "account" ? "acct" : $"acct-{n}"),
                Pinned = from,
                Status = RunStatus.Running,
                CreatedAt = T0,
                UpdatedAt = T0,
            };
            installations.Add(await stores.Installations.SaveAsync(installation, InstallationEvents.Installed(installation, Actor, T0)));
        }

        var job = await stores.Migrations.SaveAsync(new MigrationJob
        {
            Id = MigrationId.New(),
            Product = product,
            From = from,
            To = to,
            Scope = scope switch { "all" => MigrationScope.All, "percent" => MigrationScope.Percentage(100), _ => MigrationScope.ForAccount("acct") },
            State = MigrationState.Requested,
            BatchSize = 100,
            Total = installations.Count,
            RequestedBy = Actor,
            RequestedAt = T0,
            UpdatedAt = T0,
        }, []);

        // Another writer changes one installation and holds its row lock: the batch reads the old value (MVCC), selects
        // it, and its UPDATE waits for the lock. When the writer commits, the row moves only if what the selection
        // depended on (the pinned version; the owner too for an owner scope) is unchanged; the writer's change is kept.
        var contested = installations[3].Id;
        await using var writer = await PostgresServer.OpenAsync();
        await using var tx = await writer.BeginTransactionAsync();
        await using (var repin = new NpgsqlCommand($"UPDATE \"{schema.Name}\".installations SET {change}, revision = revision + 1 WHERE id = @id;", writer, tx))
        {
            repin.Parameters.AddWithValue("id", contested.Value);
            await repin.ExecuteNonQueryAsync();
        }

        var batch = stores.Migrations.RunBatchAsync(job, Actor, T0);
        var waited = 0;
        while (await PostgresServer.ScalarAsync<long>("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE @q;", ("q", $"%{schema.Name}%revision + 1, updated_at%")) == 0)
        {
            Assert.False(batch.IsCompleted, "The batch should wait for the writer's row lock.");
            Assert.True(++waited < 500, "The batch never waited for the writer's row lock.");
            await Task.Delay(20);
        }

        await tx.CommitAsync();
        job = await batch;

        Assert.Equal(MigrationState.Completed, job.State);
        Assert.Equal(installations.Count, job.Scanned);
        Assert.Equal(installations.Count - (moves ? 0 : 1), job.Moved);
        var after = (await stores.Installations.FindAsync(contested))!;
        Assert.Equal(moves ? to : (change.StartsWith("pinned", StringComparison.Ordinal) ? VersionKey.FromStored("9.9.9") : from), after.Pinned);
        Assert.Equal(change.StartsWith("owner", StringComparison.Ordinal) ? "someone-else" : installations[3].Owner.Id, after.Owner.Id);
        Assert.Equal(change.StartsWith("status", StringComparison.Ordinal) ? RunStatus.Paused : RunStatus.Running, after.Status);
        Assert.Equal(installations.Count - (moves ? 0 : 1), (await stores.Installations.CountAsync(product, to)).Total);
    }

    [PostgresFact]
    public async Task UuidOrder_TimeOrderedInstallationIds_IsTheOrderOfInstallationIdCompareTo()
    {
        // Many ids share a millisecond (their order is then decided by the random bits), and some are far apart.
        var ids = Enumerable.Range(0, 2_000).Select(_ => InstallationId.New()).ToList();
        ids.Add(new InstallationId(Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddYears(60))));
        ids.Add(new InstallationId(Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddYears(30))));
        var shuffled = ids.OrderBy(_ => Random.Shared.Next()).Select(i => i.Value).ToArray();

        await using var connection = await PostgresServer.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM unnest(@ids) AS t (id) ORDER BY id;", connection);
        command.Parameters.AddWithValue("ids", shuffled);
        var ordered = new List<InstallationId>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ordered.Add(new InstallationId(reader.GetGuid(0)));
            }
        }

        Assert.Equal(ids.Order().ToList(), ordered);
        Assert.Equal(ids[^1], ordered[0]);
    }

    [PostgresFact]
    public async Task NewJobAndNewInstallation_InsertedByTwoHostsAtOnce_ExactlyOneWinsEachTime()
    {
        await using var schema = new TestSchema();
        var hosts = new[] { schema.Stores(owner: false), schema.Stores(owner: false) };
        var product = new ProductRef(ProductKind.Template, Guid.NewGuid());
        for (var round = 0; round < 15; round++)
        {
            var job = new MigrationJob
            {
                Id = MigrationId.New(),
                Product = product,
                From = null,
                To = VersionKey.ForRelease(R(2)),
                Scope = MigrationScope.All,
                State = MigrationState.Requested,
                BatchSize = 10,
                Total = 0,
                RequestedBy = Actor,
                RequestedAt = T0,
                UpdatedAt = T0,
            };
            var installation = new Installation
            {
                Id = InstallationId.New(),
                Product = product,
                Owner = OwnerRef.User("u"),
                Pinned = VersionKey.ForRelease(R(1)),
                Status = RunStatus.Paused,
                CreatedAt = T0,
                UpdatedAt = T0,
            };
            var attempts = hosts.SelectMany(h => new[]
            {
                Task.Run(async () => { await h.Migrations.SaveAsync(job with { BatchSize = 10 }, [job.Started()]); }),
                Task.Run(async () => { await h.Installations.SaveAsync(installation, InstallationEvents.Installed(installation, Actor, T0)); }),
            }).ToList();
            var outcomes = await Task.WhenAll(attempts.Select(async t =>
            {
                try
                {
                    await t;
                    return true;
                }
                catch (ConcurrencyConflictException)
                {
                    return false;
                }
            }));

            Assert.Equal(2, outcomes.Count(won => won));
            Assert.Equal(1L, (await hosts[0].Migrations.FindAsync(job.Id))!.Revision);
            Assert.Equal(1L, (await hosts[1].Installations.FindAsync(installation.Id))!.Revision);
        }

        Assert.Equal(30L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM \"{schema.Name}\".events;"));
    }

    [PostgresFact]
    public async Task Installations_ListedInGuidCompareToOrder_WhichIsOrdinalOrderOfTheText()
    {
        await using var schema = new TestSchema();
        var stores = schema.Stores(owner: false);
        var product = new ProductRef(ProductKind.Integration, Guid.NewGuid());

        // Ids that differ in each field and in bytes with the high bit set, where signed or little-endian comparisons go wrong.
        var texts = new[]
        {
            "00000000-0000-0000-0000-000000000001", "7fffffff-0000-0000-0000-000000000000", "80000000-0000-0000-0000-000000000000",
            "ffffffff-0000-0000-0000-000000000000", "00000001-0000-0000-0000-000000000000", "00000100-0000-0000-0000-000000000000",
            "00000000-7fff-0000-0000-000000000000", "00000000-8000-0000-0000-000000000000", "00000000-0001-0000-0000-000000000000",
            "00000000-0100-0000-0000-000000000000", "00000000-0000-7fff-0000-000000000000", "00000000-0000-8000-0000-000000000000",
            "00000000-0000-0100-0000-000000000000", "00000000-0000-0000-7f00-000000000000", "00000000-0000-0000-8000-000000000000",
            "00000000-0000-0000-0001-000000000000", "00000000-0000-0000-0000-800000000000", "00000000-0000-0000-0000-000000000080",
            "00000000-0000-0000-0000-010000000000",
        };
        var ids = texts.Select(InstallationId.Parse).Concat(Enumerable.Range(0, 40).Select(_ => InstallationId.New())).ToList();
        foreach (var id in ids)
        {
            var installation = new Installation
            {
                Id = id,
                Product = product,
                Owner = OwnerRef.Account("acme"),
                Pinned = VersionKey.ForVersion(new(1, 0, 0)),
                Status = RunStatus.Running,
                CreatedAt = T0,
                UpdatedAt = T0,
            };
            await stores.Installations.SaveAsync(installation, InstallationEvents.Installed(installation, Actor, T0));
        }

        var listed = new List<InstallationId>();
        InstallationId? after = null;
        while (true)
        {
            var page = await stores.Installations.ListAsync(product, after, 6);
            listed.AddRange(page.Select(i => i.Id));
            if (page.Count < 6)
            {
                break;
            }

            after = page[^1].Id;
        }

        Assert.Equal(ids.Order(), listed);
        Assert.Equal(ids.Select(i => i.ToString()).Order(StringComparer.Ordinal), listed.Select(i => i.ToString()));
    }

    [PostgresFact]
    public async Task UsePostgreSql_TrickyTextThroughTheServices_RoundTripsAcrossProviders()
    {
        await using var schema = new TestSchema();
        TemplateId id;
        await using (var first = Host(schema.Name, retries: 3))
        {
            var templates = first.GetRequiredService<TemplateService>();
            var created = await templates.CreateTemplateAsync("Kept " + Tricky, Actor);
            id = created.Id;
            await templates.AddTeamMemberAsync(id, new ActorId("actor " + Tricky), Actor);
            var draft = await templates.CreateDraftAsync(id, null, new ActorId("actor " + Tricky));
            await templates.SetNotesAsync(id, draft.Number, Tricky + "\nline two", Actor);
        }

        await using var second = Host(schema.Name, retries: 3);
        var loaded = await second.GetRequiredService<TemplateService>().GetTemplateAsync(id, Actor);
        Assert.Equal("Kept " + Tricky, loaded.Name);
        var release = Assert.Single(loaded.Releases);
        Assert.Equal(Tricky + "\nline two", release.Notes);
        Assert.Equal("actor " + Tricky, release.CreatedBy.Value);
        Assert.Equal(4, loaded.Revision);
        Assert.Contains(new ActorId("actor " + Tricky), loaded.Team);
        Assert.Equal("Kept " + Tricky, Assert.Single(await second.GetRequiredService<TemplateService>().ListTemplatesAsync()).Name);
        Assert.Contains(await second.GetRequiredService<IEventReader>().ReadAsync(0, 100), e => e.Details.Contains(Tricky, StringComparison.Ordinal));
        Assert.Equal(1L, await PostgresServer.ScalarAsync<long>($"SELECT COUNT(*) FROM \"{schema.Name}\".templates WHERE name = @n;", ("n", "Kept " + Tricky)));
    }

    private static ServiceProvider Host(string schema, int retries)
    {
        var services = new ServiceCollection();
        services.AddVersioning(o => o.MaxConflictRetries = retries).UsePostgreSql(PostgresServer.ConnectionString, schema);
        services.AddSingleton<IEnumerable<IPromotionCheck>>([]);
        return services.BuildServiceProvider();
    }

    [PostgresFact]
    public async Task EnsureSchema_UpgradeBeforePinsOutOfIndexes_KeepsTheInstallations_AndNoIndexHoldsThePinnedVersion_M5()
    {
        await using var schema = new TestSchema();
        await schema.NewDatabase().EnsureSchemaAsync();
        var q = $"\"{schema.Name}\"";
        var ids = Enumerable.Range(0, 40).Select(_ => Guid.CreateVersion7()).OrderBy(g => g.ToString("D"), StringComparer.Ordinal).ToArray();
        var idArray = "{" + string.Join(',', ids) + "}";

        // The schema as the cohort-bucket step left it (the pinned version in an index), with installations in it.
        await PostgresServer.ExecuteAsync($"""
            DELETE FROM {q}.schema_version WHERE version = {PostgreSqlDatabase.SchemaVersion};
            DROP INDEX {q}.ix_installations_product_cohort;
            ALTER TABLE {q}.installations RESET (fillfactor);
            CREATE INDEX ix_installations_product ON {q}.installations (product_kind, product_id, id);
            CREATE INDEX ix_installations_product_pinned ON {q}.installations (product_kind, product_id, pinned, id) INCLUDE (cohort_bucket);
            INSERT INTO {q}.installations (id, product_kind, product_id, owner_kind, owner_id, pinned, status, settings, created_at, updated_at, revision)
                SELECT id, 1, '7b0c7f0e-51e5-4e0f-9f4e-0d6b1d1f5a01', 1, 'account-1', 'v:1.0.0', 0, jsonb_build_object(), 0, 0, 1
                FROM unnest('{idArray}'::uuid[]) AS u (id);
            """);

        await using (var database = schema.NewDatabase())
        {
            var installations = new PostgreSqlInstallationRepository(database);
            var product = new ProductRef(ProductKind.Integration, Guid.Parse("7b0c7f0e-51e5-4e0f-9f4e-0d6b1d1f5a01"));
            Assert.Equal(ids.Length, (await installations.CountAsync(product, VersionKey.FromStored("v:1.0.0"))).Total);
            Assert.Equal(0, (await installations.CountAsync(product, VersionKey.FromStored("v:2.0.0"))).Total);
            var page = await installations.ListByVersionAsync(product, VersionKey.FromStored("v:1.0.0"), new InstallationId(ids[9]), 5);
            Assert.Equal(ids.Skip(10).Take(5), page.Select(i => i.Id.Value));
        }

        // Every index of the table, with its key and included columns: none holds the pinned version, so moving an
        // installation can be a HOT update; the table leaves room on its pages for that.
        var indexes = await PostgresServer.ScalarAsync<string>($"""
            SELECT string_agg(name || '(' || columns || ')', ' ' ORDER BY name) FROM (
                SELECT i.relname AS name, string_agg(a.attname, ',' ORDER BY k.n) AS columns
                FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid
                CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k (attnum, n)
                JOIN pg_attribute AS a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                WHERE x.indrelid = '{q}.installations'::regclass GROUP BY i.relname) AS t;
            """);
        Assert.Equal("installations_pkey(id) ix_installations_product_cohort(product_kind,product_id,id,cohort_bucket)", indexes);
        Assert.Equal($"fillfactor={PostgreSqlDatabase.InstallationsFillFactor}",
            await PostgresServer.ScalarAsync<string>($"SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = '{q}.installations'::regclass;"));
        Assert.Equal(PostgreSqlDatabase.SchemaVersion, await PostgresServer.ScalarAsync<int>($"SELECT MAX(version) FROM {q}.schema_version;"));
    }
}
