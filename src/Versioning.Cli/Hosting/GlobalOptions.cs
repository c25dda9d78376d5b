using System.CommandLine;
using Versioning.Cli.Input;
using Versioning.Core;

namespace Versioning.Cli.Hosting;

/// <summary>The options every command accepts.</summary>
internal sealed class GlobalOptions
{
    /// <summary>The default SQLite file, in the current folder.</summary>
    public const string DefaultDatabase = "versioning.db";

    /// <summary><c>--db PATH</c>.</summary>
    public Option<string> Db { get; } = new("--db")
    {
        Description = $"The SQLite database file [default: {DefaultDatabase} in the current folder]",
        HelpName = "PATH",
        Recursive = true,
    };

    /// <summary><c>--postgres CONNECTION</c>.</summary>
    public Option<string> Postgres { get; } = new("--postgres")
    {
        Description = "Use a PostgreSQL database instead of SQLite (an Npgsql connection string)",
        HelpName = "CONNECTION",
        Recursive = true,
    };

    /// <summary><c>--as ACTOR</c>.</summary>
    public Option<string> As { get; } = new("--as")
    {
        Description = "Who performs the command, as recorded in the audit trail [default: $USER, or \"cli\"]",
        HelpName = "ACTOR",
        Recursive = true,
    };

    /// <summary><c>--at INSTANT</c>.</summary>
    public Option<string> At { get; } = new("--at")
    {
        Description = "Run as if the clock read this ISO-8601 instant, e.g. 2026-05-01T00:00:00Z [default: now]",
        HelpName = "INSTANT",
        Recursive = true,
    };

    /// <summary><c>--json</c>.</summary>
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write machine-readable JSON on stdout instead of tables",
        Recursive = true,
    };

    /// <summary>All of them, to add to the root command.</summary>
    public IEnumerable<Option> All => [Db, Postgres, As, At, Json];

    /// <summary>Reads and checks the global options of a parsed command line.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="CliUsageException">Both <c>--db</c> and <c>--postgres</c> were given.</exception>
    /// <exception cref="FormatException"><c>--at</c> is not an instant.</exception>
    /// <exception cref="ArgumentException"><c>--as</c> is not a valid actor.</exception>
    public CliSettings Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var db = parse.GetValue(Db);
        var postgres = parse.GetValue(Postgres);
        if (db is not null && postgres is not null)
        {
            throw new CliUsageException("Give either --db or --postgres, not both.");
        }

        if (db is not null && string.IsNullOrWhiteSpace(db))
        {
            throw new CliUsageException("--db needs a file path.");
        }

        StoreChoice store = postgres is not null
            ? new StoreChoice.PostgreSql(postgres)
            : new StoreChoice.Sqlite(Path.GetFullPath(db ?? DefaultDatabase));
        var actorText = parse.GetValue(As) ?? DefaultActor();
        var actor = new ActorId(actorText);
        var at = parse.GetValue(At) is { } atText ? Parse.Instant(atText, "--at") : (NodaTime.Instant?)null;
        return new CliSettings(store, db is not null || postgres is not null, actor, at, parse.GetValue(Json));
    }

    private static string DefaultActor()
    {
        var user = Environment.GetEnvironmentVariable("USER") ?? Environment.GetEnvironmentVariable("USERNAME");
        return string.IsNullOrWhiteSpace(user) ? "cli" : user;
    }
}
