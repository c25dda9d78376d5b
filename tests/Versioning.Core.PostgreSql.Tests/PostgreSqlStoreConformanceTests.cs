using Versioning.Core.DependencyInjection;
using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL stores pass the conformance suite, registered through DI with <c>UsePostgreSql</c> (A3). Each test
/// gets its own schema, dropped afterwards; reopening builds a second container (a new NpgsqlDataSource) on the schema.
/// </summary>
public sealed class PostgreSqlStoreConformanceTests : StoreConformanceTests
{
    protected override object CreateDatabase() => new TestSchema();

    protected override void AddStores(VersioningBuilder builder, object database)
        => builder.UsePostgreSql(PostgresServer.ConnectionString, ((TestSchema)database).Name);

    protected override ValueTask DropDatabaseAsync(object database) => ((TestSchema)database).DisposeAsync();
}
