using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>A schema of its own for one test ("t_" + random hex), dropped with CASCADE when disposed, with every database handle opened on it.</summary>
internal sealed class TestSchema : IAsyncDisposable
{
    private readonly List<PostgreSqlDatabase> _databases = [];

    public string Name { get; } = PostgresServer.NewSchemaName();

    /// <summary>A new handle (its own NpgsqlDataSource: another "host") on this schema, disposed with the schema.</summary>
    public PostgreSqlDatabase NewDatabase()
    {
        var database = new PostgreSqlDatabase(PostgresServer.ConnectionString, Name);
        lock (_databases)
        {
            _databases.Add(database);
        }

        return database;
    }

    /// <summary>Repositories over a new handle; <paramref name="owner"/> stores drop the schema when disposed.</summary>
    public VersioningStores Stores(bool owner)
    {
        var database = NewDatabase();
        return new VersioningStores(
            new PostgreSqlTemplateRepository(database),
            new PostgreSqlIntegrationRepository(database),
            new PostgreSqlInstallationRepository(database),
            new PostgreSqlMigrationRepository(database),
            new PostgreSqlEventReader(database),
            owner ? DisposeAsync : null);
    }

    public async ValueTask DisposeAsync()
    {
        PostgreSqlDatabase[] databases;
        lock (_databases)
        {
            databases = [.. _databases];
            _databases.Clear();
        }

        foreach (var database in databases)
        {
            await database.DisposeAsync();
        }

        // Hosts built by a test (service providers) use the schema too, so drop it whenever there is a server.
        if (PostgresServer.IsConfigured)
        {
            await PostgresServer.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE;");
        }
    }
}
