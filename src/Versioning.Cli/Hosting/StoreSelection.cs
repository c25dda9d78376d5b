using Microsoft.Data.Sqlite;
using Versioning.Core.DependencyInjection;

namespace Versioning.Cli.Hosting;

/// <summary>The one place that turns a <see cref="StoreChoice"/> into registered stores.</summary>
internal static class StoreSelection
{
    /// <summary>The message for <c>--postgres</c> until the PostgreSQL store is part of the build.</summary>
    public const string PostgreSqlMissing = "PostgreSQL support requires the Versioning.Core.PostgreSql store, which this build of the tool does not include yet; use --db PATH for a SQLite file.";

    /// <summary>Swaps the in-memory stores registered by <c>AddVersioning</c> for the chosen store.</summary>
    /// <param name="builder">The builder returned by <c>AddVersioning</c>.</param>
    /// <param name="store">The store chosen on the command line.</param>
    /// <exception cref="CliUsageException">The store cannot be used (a missing folder, or PostgreSQL in this build).</exception>
    public static void Use(VersioningBuilder builder, StoreChoice store)
    {
        switch (store)
        {
            case StoreChoice.Sqlite sqlite:
                var folder = Path.GetDirectoryName(sqlite.Path);
                if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
                {
                    throw new CliUsageException($"The folder of the database file '{sqlite.Path}' does not exist: create it first, or choose another --db PATH.");
                }

                builder.UseSqlite(new SqliteConnectionStringBuilder { DataSource = sqlite.Path }.ToString());
                break;
            case StoreChoice.PostgreSql:
                // Wire-up once src/Versioning.Core.PostgreSql is referenced: builder.UsePostgreSql(postgres.ConnectionString);
                throw new CliUsageException(PostgreSqlMissing);
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store, "Unknown store.");
        }
    }
}
