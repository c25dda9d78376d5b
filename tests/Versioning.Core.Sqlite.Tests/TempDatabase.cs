using Microsoft.Data.Sqlite;
using Versioning.Core.Sqlite;
using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.Sqlite.Tests;

/// <summary>A database file in a fresh temporary folder, deleted afterwards.</summary>
internal static class TempDatabase
{
    public static string NewPath()
    {
        var folder = Path.Combine(Path.GetTempPath(), "versioning-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "test.db");
    }

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder { DataSource = path }.ToString();

    public static VersioningStores Stores(string path, bool deleteOnDispose)
    {
        var database = new SqliteDatabase(ConnectionString(path));
        return new VersioningStores(
            new SqliteTemplateRepository(database),
            new SqliteIntegrationRepository(database),
            new SqliteInstallationRepository(database),
            new SqliteMigrationRepository(database),
            new SqliteEventReader(database),
            deleteOnDispose ? () => Delete(path) : null);
    }

    public static ValueTask Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by another test's pool is removed with the temp folder later.
        }

        return ValueTask.CompletedTask;
    }
}
