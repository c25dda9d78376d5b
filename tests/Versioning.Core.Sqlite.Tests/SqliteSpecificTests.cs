using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Services;

namespace Versioning.Core.Sqlite.Tests;

public sealed class SqliteSpecificTests
{
    private static readonly ActorId Actor = new("sqlite-tests");

    [Fact]
    public async Task EnsureSchema_UpgradeFromBeforeTemplateTeams_GivesOldTemplatesTheirCreatorAsTeamOnce_X7()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            await new SqliteDatabase(cs).EnsureSchemaAsync();

            // The database as version 2 left it: no team column, and a template stored then.
            await using (var connection = new SqliteConnection(cs))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    ALTER TABLE templates DROP COLUMN team;
                    DROP TRIGGER tr_installations_cohort_bucket;
                    DROP INDEX ix_installations_product_cohort;
                    ALTER TABLE installations DROP COLUMN cohort_bucket;
                    CREATE INDEX ix_installations_product ON installations (product_kind, product_id, id);
                    CREATE INDEX ix_installations_product_pinned ON installations (product_kind, product_id, pinned, id);
                    DELETE FROM schema_version WHERE version > 2;
                    INSERT INTO templates (id, revision, name, published, last_release_number, created_by, created_at)
                        VALUES ('7b0c7f0e-51e5-4e0f-9f4e-0d6b1d1f5a01', 1, 'Old', 1, 0, 'old-creator', 0);
                    """;
                await command.ExecuteNonQueryAsync();
            }

            for (var i = 0; i < 2; i++)
            {
                await using var database = new SqliteDatabase(cs);
                var template = await new SqliteTemplateRepository(database).FindAsync(TemplateId.Parse("7b0c7f0e-51e5-4e0f-9f4e-0d6b1d1f5a01"));
                Assert.Equal([new ActorId("old-creator")], template!.Team);
            }

            await using (var connection = new SqliteConnection(cs))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT team, (SELECT COUNT(*) FROM schema_version) FROM templates;";
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                Assert.Equal("[\"old-creator\"]", reader.GetString(0));
                Assert.Equal(SqliteDatabase.SchemaVersion, reader.GetInt32(1));
            }
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task EnsureSchema_UpgradeBeforeTemplateContentApart_MovesEveryReleasesContentOutOfItsRow_P8()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            Template before;
            await using (var database = new SqliteDatabase(cs))
            {
                var templates = new SqliteTemplateRepository(database);
                var template = Template.Create(TemplateId.New(), "Old content", Actor, NodaTime.Instant.FromUnixTimeSeconds(1));
                template.CreateDraft(new Content.WorkflowDefinition([new Content.Step("a", new Content.ConnectorRef("crm", "1"), "sync", [new("k", "v \"quoted\" é")])]), Actor, NodaTime.Instant.FromUnixTimeSeconds(2));
                template.CreateDraft(null, Actor, NodaTime.Instant.FromUnixTimeSeconds(3));
                template.Promote(new ReleaseNumber(1), Actor, NodaTime.Instant.FromUnixTimeSeconds(4));
                await templates.SaveAsync(template);
                before = (await templates.FindAsync(template.Id))!;
            }

            // The database as the step before left it: each release's steps inside its row, no content table.
            await using (var connection = new SqliteConnection(cs))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = $"""
                    UPDATE template_releases SET data = json_set(data, '$.steps', (SELECT json(json_extract(c.content, '$.steps')) FROM template_release_contents c
                        WHERE c.template_id = template_releases.template_id AND c.number = template_releases.number));
                    DROP TABLE template_release_contents;
                    DELETE FROM schema_version WHERE version >= {SqliteDatabase.TemplateContentSchemaVersion};
                    SELECT COUNT(*) FROM template_releases WHERE json_type(data, '$.steps') = 'array';
                    """;
                Assert.Equal(2L, await command.ExecuteScalarAsync());
            }

            await using (var database = new SqliteDatabase(cs))
            {
                var templates = new SqliteTemplateRepository(database);
                var after = (await templates.FindAsync(before.Id))!;
                Assert.Equal(before.Releases, after.Releases);
                Assert.All(after.Releases, r => Assert.True(r.HasContent));
                var forPromote = (await templates.FindForCommandAsync(before.Id, ItemSelection.Of(VersionKey.ForRelease(new ReleaseNumber(2)))))!;
                Assert.Equal(before.GetRelease(new ReleaseNumber(2)), forPromote.GetRelease(new ReleaseNumber(2)));
                Assert.False(forPromote.LiveRelease!.HasContent);
            }

            await using (var connection = new SqliteConnection(cs))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    SELECT (SELECT COUNT(*) FROM template_releases WHERE json_type(data, '$.steps') IS NOT NULL),
                           (SELECT COUNT(*) FROM template_release_contents),
                           (SELECT MAX(version) FROM schema_version);
                    """;
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                Assert.Equal(0, reader.GetInt32(0));
                Assert.Equal(2, reader.GetInt32(1));
                Assert.Equal(SqliteDatabase.SchemaVersion, reader.GetInt32(2));
            }
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task EnsureSchema_UpgradeBeforeCohortBuckets_StoresTheBucketTheCohortComputes_ForOldAndNewRows_M4()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            await new SqliteDatabase(cs).EnsureSchemaAsync();
            var ids = new List<Guid> { Guid.Empty, Guid.AllBitsSet, Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301") };
            var random = new Random(4242);
            for (var i = 0; i < 300; i++)
            {
                var bytes = new byte[16];
                random.NextBytes(bytes);
                ids.Add(i % 2 == 0 ? new Guid(bytes) : Guid.CreateVersion7());
            }

            // The database as version 3 left it (no bucket column, trigger or wider index), with installations in it.
            await using (var connection = new SqliteConnection(cs))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    DROP TRIGGER tr_installations_cohort_bucket;
                    DROP INDEX ix_installations_product_cohort;
                    ALTER TABLE installations DROP COLUMN cohort_bucket;
                    CREATE INDEX ix_installations_product ON installations (product_kind, product_id, id);
                    CREATE INDEX ix_installations_product_pinned ON installations (product_kind, product_id, pinned, id);
                    DELETE FROM schema_version WHERE version > 3;
                    """;
                await command.ExecuteNonQueryAsync();
                await InsertRawAsync(connection, ids.Take(150));
            }

            await using (var database = new SqliteDatabase(cs))
            {
                await database.EnsureSchemaAsync();
            }

            // Rows written after the upgrade by any client (no bucket given) get theirs from the trigger.
            await using (var connection = new SqliteConnection(cs))
            {
                await connection.OpenAsync();
                await InsertRawAsync(connection, ids.Skip(150));
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT id, cohort_bucket FROM installations;";
                await using var reader = await command.ExecuteReaderAsync();
                var stored = new Dictionary<Guid, int>();
                while (await reader.ReadAsync())
                {
                    stored[Guid.Parse(reader.GetString(0))] = reader.GetInt32(1);
                }

                Assert.Equal(ids.Count, stored.Count);
                Assert.All(ids, id => Assert.Equal(Cohort.InstallationBucket(new InstallationId(id)), stored[id]));
                Assert.True(stored.Values.Distinct().Count() > 250, "the buckets spread over the range");
            }
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task EnsureSchema_UpgradeBeforeContentApart_MovesContentAndUsedNumbersOutInPlace_Z1()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            await new SqliteDatabase(cs).EnsureSchemaAsync();

            // An integration as schema 5 stored it: content inside each version's JSON, used numbers in the header.
            var v100 = VersionNumber.Parse("1.0.0");
            var v110 = VersionNumber.Parse("1.1.0");
            var v120 = VersionNumber.Parse("1.2.0");
            var content = new Content.WorkflowDefinition([new Content.Step("Only 'step'", new Content.ConnectorRef("Crm", "1.0"), "Create", [new("k", "v \"q\"")])]);
            var integration = Integration.Create(IntegrationId.New(), "Old", Actor, NodaTime.Instant.FromUtc(2026, 1, 1, 0, 0));
            integration.CreateVersion(v100, content, null, true, Actor, integration.CreatedAt);
            integration.SetNotes(v100, "notes", Actor, integration.CreatedAt);
            integration.Promote(v100, [], Actor, integration.CreatedAt);
            integration.CreateVersion(v110, null, null, true, Actor, integration.CreatedAt);
            integration.CreateVersion(v120, null, null, true, Actor, integration.CreatedAt);
            integration.DeleteVersion(v120, 0, Actor, integration.CreatedAt);
            var snapshot = integration.ToSnapshot();
            await using (var connection = new SqliteConnection(cs))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    DROP TABLE integration_version_content;
                    DROP TABLE integration_used_numbers;
                    DELETE FROM schema_version WHERE version > 5;
                    INSERT INTO integrations (id, revision, name, data) VALUES ($id, 1, 'Old', $header);
                    INSERT INTO integration_versions (integration_id, number, state, data) VALUES ($id, '1.0.0', 'Promoted', $v100), ($id, '1.1.0', 'Private', $v110);
                    """;
                command.Parameters.AddWithValue("$id", integration.Id.ToString());
                command.Parameters.AddWithValue("$header", StoreJson.WriteHeader(snapshot));
                command.Parameters.AddWithValue("$v100", StoreJson.Write(integration.GetVersion(v100)));
                command.Parameters.AddWithValue("$v110", StoreJson.Write(integration.GetVersion(v110)));
                await command.ExecuteNonQueryAsync();
            }

            await using (var database = new SqliteDatabase(cs))
            {
                var repository = new SqliteIntegrationRepository(database);
                var loaded = (await repository.FindAsync(integration.Id))!;
                Assert.Equal(content, loaded.GetVersion(v100).Content);
                Assert.Equal(Content.WorkflowDefinition.Empty, loaded.GetVersion(v110).Content);
                Assert.Equal([v100, v110, v120], loaded.UsedNumbers.Order());

                // Z1 still holds after the upgrade, on a copy loaded for a command.
                var command = (await repository.FindForCommandAsync(integration.Id, ItemSelection.Of(VersionKey.ForVersion(v120)).WithUsedNumbers()))!;
                Assert.Equal("Z1", Assert.Throws<VersioningRuleException>(() => command.CreateVersion(v120, null, null, true, Actor, integration.CreatedAt)).RuleId);
                Assert.False(command.PromotedVersion!.HasContent);
            }

            await using (var connection = new SqliteConnection(cs))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    SELECT (SELECT COUNT(*) FROM integration_versions WHERE json_type(data, '$.steps') IS NOT NULL),
                           (SELECT COUNT(*) FROM integrations WHERE json_type(data, '$.usedNumbers') IS NOT NULL),
                           (SELECT COUNT(*) FROM integration_version_content),
                           (SELECT group_concat(number, ',') FROM (SELECT number FROM integration_used_numbers ORDER BY number)),
                           (SELECT MAX(version) FROM schema_version);
                    """;
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                Assert.Equal((0L, 0L, 2L, "1.0.0,1.1.0,1.2.0", (long)SqliteDatabase.SchemaVersion), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt64(4)));
            }
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task FindForCommand_ReadsVersionRowsThroughTheirKeys_NeverScansTheIntegration()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            await new SqliteDatabase(cs).EnsureSchemaAsync();
            await using var connection = new SqliteConnection(cs);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                EXPLAIN QUERY PLAN
                SELECT v.data, (SELECT c.data FROM integration_version_content AS c WHERE c.integration_id = v.integration_id AND c.number = v.number) FROM integration_versions AS v
                WHERE v.integration_id = 'x' AND v.number IN (SELECT value FROM json_each('["1.0.0"]'))
                UNION ALL
                SELECT v.data, CASE WHEN 0 THEN (SELECT c.data FROM integration_version_content AS c WHERE c.integration_id = v.integration_id AND c.number = v.number) END FROM integration_versions AS v
                WHERE v.integration_id = 'x' AND v.state = 'Promoted' AND v.number NOT IN (SELECT value FROM json_each('["1.0.0"]'));
                """;
            var plan = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(3));
                }
            }

            Assert.DoesNotContain(plan, p => p.StartsWith("SCAN v", StringComparison.Ordinal) || p.StartsWith("SCAN integration_versions", StringComparison.Ordinal));
            Assert.Contains(plan, p => p.Contains("ux_integration_versions_one_promoted", StringComparison.Ordinal));
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    private static async Task InsertRawAsync(SqliteConnection connection, IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO installations (id, product_kind, product_id, owner_kind, owner_id, pinned, status, settings, created_at, updated_at, revision)
                VALUES ($id, 1, '7b0c7f0e-51e5-4e0f-9f4e-0d6b1d1f5a01', 1, 'account-1', 'v:1.0.0', 0, '{}', 0, 0, 1);
                """;
            insert.Parameters.AddWithValue("$id", id.ToString("D"));
            await insert.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task EnsureSchema_TwiceAndByTwoInstancesAtOnce_Succeeds()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            var a = new SqliteDatabase(cs);
            var b = new SqliteDatabase(cs);
            await Task.WhenAll(a.EnsureSchemaAsync(), b.EnsureSchemaAsync(), Task.Run(() => new SqliteDatabase(cs).EnsureSchemaAsync()));
            await a.EnsureSchemaAsync();
            await using var connection = new SqliteConnection(cs);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*), MAX(version) FROM schema_version; ";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(SqliteDatabase.SchemaVersion, reader.GetInt32(0));
            Assert.Equal(SqliteDatabase.SchemaVersion, reader.GetInt32(1));
            await reader.CloseAsync();
            command.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public void Constructor_InMemoryOrBlank_IsRefusedWithParameterName()
    {
        Assert.Equal("connectionString", Assert.Throws<ArgumentException>(() => new SqliteDatabase("Data Source=:memory:")).ParamName);
        Assert.Equal("connectionString", Assert.Throws<ArgumentException>(() => new SqliteDatabase(" ")).ParamName);
    }

    [Fact]
    public async Task PartialUniqueIndex_SecondLiveOrPromotedRow_IsRejectedByTheDatabase()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            await new SqliteDatabase(cs).EnsureSchemaAsync();
            await using var connection = new SqliteConnection(cs);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO template_releases VALUES ('t', 1, 'Live', '{}'), ('t', 2, 'Deprecated', '{}');";
            await command.ExecuteNonQueryAsync();
            command.CommandText = "INSERT INTO template_releases VALUES ('t', 3, 'Live', '{}');";
            Assert.Equal(19, (await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync())).SqliteErrorCode);
            command.CommandText = "INSERT INTO integration_versions VALUES ('i', '1.0.0', 'Promoted', '{}');";
            await command.ExecuteNonQueryAsync();
            command.CommandText = "INSERT INTO integration_versions VALUES ('i', '1.1.0', 'Promoted', '{}');";
            Assert.Equal(19, (await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync())).SqliteErrorCode);
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task TwoIndependentHosts_PromotingOneIntegration_OneWinsPerRevisionNeverTwoPromoted()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            IntegrationService Host()
            {
                var services = new ServiceCollection();
                services.AddVersioning(o => o.MaxConflictRetries = 0).UseSqlite(cs);
                services.AddSingleton<IEnumerable<IPromotionCheck>>([]);
                return services.BuildServiceProvider().GetRequiredService<IntegrationService>();
            }

            var hostA = Host();
            var hostB = Host();
            var app = await hostA.CreateIntegrationAsync("Race", Actor);
            var numbers = Enumerable.Range(0, 20).Select(i => new VersionNumber(1, 0, i)).ToList();
            foreach (var n in numbers)
            {
                await hostA.CreateVersionAsync(app.Id, n, null, Actor);
                await hostA.SetNotesAsync(app.Id, n, "notes", Actor);
            }

            var wins = 0;
            var conflicts = 0;
            await Task.WhenAll(numbers.Select((n, i) => Task.Run(async () =>
            {
                try
                {
                    await (i % 2 == 0 ? hostA : hostB).PromoteAsync(app.Id, n, Actor);
                    Interlocked.Increment(ref wins);
                }
                catch (ConcurrencyConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            })));

            Assert.Equal(numbers.Count, wins + conflicts);
            Assert.True(wins >= 1);
            await using var connection = new SqliteConnection(cs);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM integration_versions WHERE state = 'Promoted';";
            Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
            command.CommandText = "SELECT revision FROM integrations;";
            Assert.Equal(1 + (numbers.Count * 2) + wins, (long)(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task UseSqlite_StatePersistsAcrossServiceProviders()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            TemplateService Host()
            {
                var services = new ServiceCollection();
                services.AddVersioning().UseSqlite(cs);
                return services.BuildServiceProvider().GetRequiredService<TemplateService>();
            }

            var created = await Host().CreateTemplateAsync("Kept; 'quoted' \"name\" SELECT", Actor);
            await Host().CreateDraftAsync(created.Id, null, Actor);
            var loaded = await Host().GetTemplateAsync(created.Id, Actor);
            Assert.Equal("Kept; 'quoted' \"name\" SELECT", loaded.Name);
            Assert.Single(loaded.Releases);
            Assert.Equal(2, loaded.Revision);
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task EnsureSchema_UpgradeBeforePinsOutOfIndexes_KeepsTheInstallations_AndNoIndexHoldsThePinnedVersion_M5()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            await new SqliteDatabase(cs).EnsureSchemaAsync();
            var ids = Enumerable.Range(0, 40).Select(_ => Guid.CreateVersion7()).OrderBy(g => g.ToString("D"), StringComparer.Ordinal).ToList();

            // The database as the cohort-bucket step left it: the pinned version in an index, installations stored.
            await using (var connection = new SqliteConnection(cs))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = $"""
                    DELETE FROM schema_version WHERE version = {SqliteDatabase.SchemaVersion};
                    DROP INDEX ix_installations_product_cohort;
                    CREATE INDEX ix_installations_product ON installations (product_kind, product_id, id);
                    CREATE INDEX ix_installations_product_pinned ON installations (product_kind, product_id, pinned, id, cohort_bucket);
                    """;
                await command.ExecuteNonQueryAsync();
                await InsertRawAsync(connection, ids);
            }

            await using (var database = new SqliteDatabase(cs))
            {
                // The upgrade keeps every row, and the queries by version still answer from the product's installations.
                var installations = new SqliteInstallationRepository(database);
                var product = new ProductRef(ProductKind.Integration, Guid.Parse("7b0c7f0e-51e5-4e0f-9f4e-0d6b1d1f5a01"));
                Assert.Equal(ids.Count, (await installations.CountAsync(product, VersionKey.FromStored("v:1.0.0"))).Total);
                Assert.Equal(0, (await installations.CountAsync(product, VersionKey.FromStored("v:2.0.0"))).Total);
                var page = await installations.ListByVersionAsync(product, VersionKey.FromStored("v:1.0.0"), new InstallationId(ids[9]), 5);
                Assert.Equal(ids.Skip(10).Take(5), page.Select(i => i.Id.Value));
            }

            await using (var connection = new SqliteConnection(cs))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    SELECT l.name, group_concat(c.name, ',' ORDER BY c.seqno) FROM pragma_index_list('installations') AS l, pragma_index_info(l.name) AS c
                    WHERE l.origin = 'c' GROUP BY l.name ORDER BY l.name;
                    """;
                await using var reader = await command.ExecuteReaderAsync();
                var indexes = new Dictionary<string, string>();
                while (await reader.ReadAsync())
                {
                    indexes[reader.GetString(0)] = reader.GetString(1);
                }

                Assert.Equal(new Dictionary<string, string> { ["ix_installations_product_cohort"] = "product_kind,product_id,id,cohort_bucket" }, indexes);
            }
        }
        finally
        {
            await TempDatabase.Delete(path);
        }
    }
}
