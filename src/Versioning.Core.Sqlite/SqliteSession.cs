using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Versioning.Core.Sqlite;

/// <summary>
/// One open connection of a <see cref="SqliteDatabase"/>, rented for one store operation: its pragmas are set once, when
/// it is opened, and it keeps every statement it has run prepared (keyed by SQL text), so a repeated statement is bound
/// and stepped, not parsed again. Disposing it returns it to the database's idle pool, rolling back a transaction left
/// open (an operation that failed before its commit) and releasing the writer gate if it held it.
/// </summary>
internal sealed class SqliteSession : IAsyncDisposable
{
    /// <summary>More distinct statements than this on one connection means SQL is being built per call; start over.</summary>
    private const int MaxPreparedCommands = 128;

    private readonly SqliteDatabase _owner;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private bool _holdsWriterGate;
    private bool _rented;

    internal SqliteSession(SqliteDatabase owner, SqliteConnection connection)
    {
        _owner = owner;
        Connection = connection;
    }

    /// <summary>The open connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>True while a transaction begun by <see cref="BeginAsync"/> is open on the connection.</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(Connection.Handle) == 0;

    /// <summary>How many statements this connection keeps prepared (for tests).</summary>
    internal int PreparedCommandCount => _commands.Count;

    /// <summary>Returns the prepared command for <paramref name="sql"/> with <paramref name="parameters"/> bound.</summary>
    /// <remarks>The same SQL text must always be called with the same parameter names in the same order.</remarks>
    public SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (_commands.TryGetValue(sql, out var command) && command.Parameters.Count == parameters.Length)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
            }

            return command;
        }

        if (command is not null)
        {
            _commands.Remove(sql);
            command.Dispose();
        }
        else if (_commands.Count >= MaxPreparedCommands)
        {
            DisposeCommands();
        }

        command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, value ?? DBNull.Value));
        }

        _commands[sql] = command;
        return command;
    }

    /// <summary>Runs a statement that returns no rows.</summary>
    /// <returns>The number of rows changed.</returns>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters)
        => Command(sql, parameters).ExecuteNonQueryAsync(cancellationToken);

    /// <summary>Runs a statement and returns the first column of its first row, or null (no row or SQL NULL).</summary>
    /// <returns>The value.</returns>
    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var value = await Command(sql, parameters).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Begins a transaction: <c>BEGIN IMMEDIATE</c> for a write (takes SQLite's write lock up front, waiting up to the busy timeout), <c>BEGIN</c> for a consistent read.</summary>
    /// <returns>A task.</returns>
    public Task BeginAsync(bool write, CancellationToken cancellationToken)
        => Command(write ? "BEGIN IMMEDIATE;" : "BEGIN;").ExecuteNonQueryAsync(cancellationToken);

    /// <summary>Commits the open transaction.</summary>
    /// <returns>A task.</returns>
    public Task CommitAsync(CancellationToken cancellationToken) => Command("COMMIT;").ExecuteNonQueryAsync(cancellationToken);

    /// <summary>Returns the session to its database (see the class remarks).</summary>
    /// <returns>A task.</returns>
    public ValueTask DisposeAsync()
    {
        if (!_rented)
        {
            return ValueTask.CompletedTask;
        }

        var reusable = true;
        try
        {
            if (InTransaction)
            {
                Command("ROLLBACK;").ExecuteNonQuery();
            }
        }
        catch (SqliteException)
        {
            // A connection that cannot roll back is not returned to the pool.
            reusable = false;
        }
        finally
        {
            var gate = _holdsWriterGate;
            _holdsWriterGate = false;
            _rented = false;
            _owner.Return(this, reusable, gate);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Marks the session rented (and holding the writer gate for a write).</summary>
    internal void Rent(bool holdsWriterGate)
    {
        _rented = true;
        _holdsWriterGate = holdsWriterGate;
    }

    /// <summary>True between <see cref="Rent"/> and <see cref="DisposeAsync"/>.</summary>
    internal bool IsRented => _rented;

    /// <summary>Closes the connection for good (its prepared statements are finalised with it).</summary>
    internal void Close()
    {
        DisposeCommands();
        Connection.Dispose();
    }

    private void DisposeCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
