using Microsoft.Data.Sqlite;
using Versioning.Core.DependencyInjection;
using Versioning.Core;
using Versioning.Cli.Input;

namespace Versioning.Cli.Hosting;

/// <summary>The one place that turns a <see cref="StoreChoice"/> into registered stores.</summary>
internal static class StoreSelection
{
    /// <summary>Swaps the in-memory stores registered by <c>AddVersioning</c> for the chosen store.</summary>
    /// <param name="builder">The builder returned by <c>AddVersioning</c>.</param>
    /// <param name="store">The store chosen on the command line.</param>
    /// <param name="readOnly">
    /// Whether the command only reads: a SQLite file is opened read-only (so a file the user may not write can be read) and
    /// must exist, so a mistyped <c>--db</c> is reported instead of creating an empty database there.
    /// </param>
    /// <exception cref="CliUsageException">The store cannot be used (a missing folder or file, a malformed connection string).</exception>
    public static void Use(VersioningBuilder builder, StoreChoice store, bool readOnly = false)
    {
        switch (store)
        {
            case StoreChoice.Sqlite sqlite:
                var folder = Path.GetDirectoryName(sqlite.Path);
                if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
                {
                    throw new CliUsageException($"The folder of the database file '{sqlite.Path}' does not exist: create it first, or choose another --db PATH.");
                }

                if (readOnly && !File.Exists(sqlite.Path))
                {
                    throw new CliUsageException($"There is no database at '{sqlite.Path}': check the --db PATH. Commands that only read never create one; the first command that changes data does.");
                }

                builder.UseSqlite(new SqliteConnectionStringBuilder { DataSource = sqlite.Path, Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate }.ToString());
                break;
            case StoreChoice.PostgreSql postgres:
                try
                {
                    builder.UsePostgreSql(postgres.ConnectionString);
                }
                catch (ArgumentException ex)
                {
                    throw new CliUsageException($"--postgres: {ex.Message}");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store, "Unknown store.");
        }
    }
}
