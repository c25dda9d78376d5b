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
}
