namespace Versioning.Cli.Hosting;

/// <summary>Where the tool keeps its data: a SQLite file (the default) or a PostgreSQL database.</summary>
internal abstract record StoreChoice
{
    private StoreChoice()
    {
    }

    /// <summary>A SQLite database file, created with its schema on first use.</summary>
    /// <param name="Path">The file's full path.</param>
    public sealed record Sqlite(string Path) : StoreChoice;

    /// <summary>A PostgreSQL database.</summary>
    /// <param name="ConnectionString">An Npgsql connection string.</param>
    public sealed record PostgreSql(string ConnectionString) : StoreChoice;
}
