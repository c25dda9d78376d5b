using System.Collections.Concurrent;
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

    /// <summary>Every database handle opened on a file, so the owner's disposal closes the reopened ones too.</summary>
    private static readonly ConcurrentDictionary<string, ConcurrentBag<SqliteDatabase>> Handles = new();

    public static VersioningStores Stores(string path, bool deleteOnDispose)
    {
        var database = new SqliteDatabase(ConnectionString(path));
        Handles.GetOrAdd(path, _ => []).Add(database);
        return new VersioningStores(
            new SqliteTemplateRepository(database),
            new SqliteIntegrationRepository(database),
            new SqliteInstallationRepository(database),
            new SqliteMigrationRepository(database),
            new SqliteEventReader(database),
            deleteOnDispose ? () => CloseAndDelete(path) : null);
    }

    /// <summary>Closes <paramref name="database"/> with the other handles on <paramref name="path"/> when its owner is disposed.</summary>
    public static void Track(string path, SqliteDatabase database) => Handles.GetOrAdd(path, _ => []).Add(database);

    private static async ValueTask CloseAndDelete(string path)
    {
        if (Handles.TryRemove(path, out var handles))
        {
            foreach (var handle in handles)
            {
                await handle.DisposeAsync();
            }
        }

        await Delete(path);
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
