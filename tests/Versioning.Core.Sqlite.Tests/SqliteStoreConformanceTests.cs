using Versioning.Core.DependencyInjection;
using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.Sqlite.Tests;

/// <summary>
/// The SQLite stores pass the conformance suite, registered through DI with <c>UseSqlite</c> (A3): each test's database
/// is a new file; reopening builds a second container (a new database handle) on the same file.
/// </summary>
public sealed class SqliteStoreConformanceTests : StoreConformanceTests
{
    protected override object CreateDatabase() => TempDatabase.NewPath();

    protected override void AddStores(VersioningBuilder builder, object database)
        => builder.UseSqlite(TempDatabase.ConnectionString((string)database));

    protected override ValueTask DropDatabaseAsync(object database) => TempDatabase.Delete((string)database);
}
