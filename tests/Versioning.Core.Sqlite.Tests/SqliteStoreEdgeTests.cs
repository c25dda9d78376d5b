using Microsoft.Data.Sqlite;
using Versioning.Core.Templates;

namespace Versioning.Core.Sqlite.Tests;

/// <summary>X12: SQLite store edges — in-memory databases refused in every spelling; a read-only file readable.</summary>
public sealed class SqliteStoreEdgeTests
{
    private static readonly ActorId Actor = new("sqlite-edges");

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=:MEMORY:")]
    [InlineData("Data Source= :memory: ")]
    [InlineData("Filename=:memory:")]
    [InlineData("Data Source=x.db;Mode=Memory")]
    [InlineData("Data Source=file:x?mode=memory&cache=shared")]
    [InlineData("Data Source=FILE:x?cache=shared&mode=memory")]
    [InlineData("Data Source=file:x?mode=%6Demory")]
    [InlineData("Data Source=file::memory:")]
    [InlineData("Data Source=file::memory:?cache=shared")]
    [InlineData("Data Source=file:/x.db?vfs=memdb")]
    [InlineData("Data Source=file:")]
    [InlineData("Data Source=file:?cache=shared")]
    [InlineData("Data Source=")]
    public void Constructor_InMemoryDatabaseInAnySpelling_Refused_X12(string connectionString)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new SqliteDatabase(connectionString));
        Assert.Equal("connectionString", ex.ParamName);
    }

    [Theory]
    [InlineData("Data Source=versioning.db")]
    [InlineData("Data Source=file:versioning.db")]
    [InlineData("Data Source=file:versioning.db?cache=shared")]
    [InlineData("Data Source=file:memory.db?mode=rwc")]
    [InlineData("Data Source=memory")]
    public void Constructor_FileDatabase_Accepted_X12(string connectionString)
    {
        using var database = new SqliteDatabase(connectionString);
        Assert.False(SqliteDatabase.IsInMemory(new SqliteConnectionStringBuilder(connectionString)));
    }

    [Fact]
    public async Task ReadOnlyConnection_SchemaCurrent_ReadsWithoutWriting_WritesRefused_X12()
    {
        var path = TempDatabase.NewPath();
        try
        {
            var cs = TempDatabase.ConnectionString(path);
            TemplateId id;
            await using (var writable = new SqliteDatabase(cs))
            {
                var template = Template.Create(TemplateId.New(), "Read only", Actor, Instant.FromUtc(2026, 1, 1, 0, 0));
                id = template.Id;
                await new SqliteTemplateRepository(writable).SaveAsync(template);
            }

            SqliteConnection.ClearAllPools();
            var lengthBefore = new FileInfo(path).Length;
            var readOnly = new SqliteConnectionStringBuilder(cs) { Mode = SqliteOpenMode.ReadOnly }.ToString();
            await using var database = new SqliteDatabase(readOnly);
            var repository = new SqliteTemplateRepository(database);

            var loaded = await repository.FindAsync(id);
            Assert.Equal("Read only", loaded!.Name);
            Assert.Single(await repository.ListAsync());
            loaded.Rename("Changed", Actor, Instant.FromUtc(2026, 1, 2, 0, 0));
            await Assert.ThrowsAsync<SqliteException>(() => repository.SaveAsync(loaded));
            Assert.Equal(lengthBefore, new FileInfo(path).Length);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await TempDatabase.Delete(path);
        }
    }
}
