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
    private readonly Dictionary<string, DirectStatement> _direct = new(StringComparer.Ordinal);
    private readonly HashSet<string> _viaCommand = new(StringComparer.Ordinal);
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

    /// <summary>
    /// Runs a statement that returns no rows (rows it does return are stepped over). A single statement whose parameters
    /// are all null, text, integers, booleans, reals or blobs runs on SQLite's own prepared statement, bound by index
    /// (see <see cref="TryExecuteDirect"/>); anything else runs through <see cref="Command"/>.
    /// </summary>
    /// <returns>The number of rows changed.</returns>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return TryExecuteDirect(sql, parameters, out var changed)
            ? Task.FromResult(changed)
            : Command(sql, parameters).ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// P9: runs <paramref name="sql"/> on a statement prepared once (<c>SQLITE_PREPARE_PERSISTENT</c>) with its parameter
    /// indexes looked up once: bind by index, step, reset. Microsoft.Data.Sqlite's command adds about 3 µs per execution
    /// on this machine (it looks every parameter up by name, creates a data reader and resets the statement through it),
    /// as much as SQLite's own work for a small write, and a save runs up to eight such statements. Errors are raised as
    /// <see cref="SqliteException"/> with SQLite's message and codes, as the command would; the busy timeout set on the
    /// connection applies the same way.
    /// </summary>
    /// <returns>False, with nothing run, when the SQL is more than one statement or a value has another type.</returns>
    private bool TryExecuteDirect(string sql, ReadOnlySpan<(string Name, object? Value)> parameters, out int changed)
    {
        changed = 0;
        foreach (var (_, value) in parameters)
        {
            if (value is not (null or DBNull or string or long or int or bool or double or byte[]))
            {
                return false;
            }
        }

        if (_viaCommand.Contains(sql))
        {
            return false;
        }

        if (!_direct.TryGetValue(sql, out var statement) || statement.Names.Length != parameters.Length || !SameNames(statement.Names, parameters))
        {
            statement = PrepareDirect(sql, parameters);
            if (statement is null)
            {
                return false;
            }
        }

        var handle = statement.Handle;
        var db = Connection.Handle!;
        for (var i = 0; i < parameters.Length; i++)
        {
            var index = statement.Indexes[i];
            if (index == 0)
            {
                continue;
            }

            var rc = parameters[i].Value switch
            {
                null or DBNull => raw.sqlite3_bind_null(handle, index),
                string text => raw.sqlite3_bind_text(handle, index, text),
                long number => raw.sqlite3_bind_int64(handle, index, number),
                int number => raw.sqlite3_bind_int64(handle, index, number),
                bool flag => raw.sqlite3_bind_int64(handle, index, flag ? 1 : 0),
                double real => raw.sqlite3_bind_double(handle, index, real),
                byte[] bytes => raw.sqlite3_bind_blob(handle, index, bytes),
                _ => raw.SQLITE_MISUSE,
            };
            if (rc != raw.SQLITE_OK)
            {
                ThrowAfterReset(handle, db, rc);
            }
        }

        int step;
        while ((step = raw.sqlite3_step(handle)) == raw.SQLITE_ROW)
        {
        }

        if (step != raw.SQLITE_DONE)
        {
            ThrowAfterReset(handle, db, step);
        }

        changed = raw.sqlite3_changes(db);
        raw.sqlite3_reset(handle);
        raw.sqlite3_clear_bindings(handle);
        return true;
    }

    private static bool SameNames(string[] names, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (!ReferenceEquals(names[i], parameters[i].Name) && !string.Equals(names[i], parameters[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Prepares a single statement for <see cref="TryExecuteDirect"/>; null (nothing kept) when the SQL holds more than one statement.</summary>
    private DirectStatement? PrepareDirect(string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (_direct.Remove(sql, out var stale))
        {
            stale.Handle.Dispose();
        }
        else if (_direct.Count >= MaxPreparedCommands)
        {
            DisposeCommands();
        }

        var db = Connection.Handle!;
        var rc = raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out var handle, out var tail);
        if (rc != raw.SQLITE_OK)
        {
            handle?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        if (handle is null || handle.IsInvalid || !string.IsNullOrWhiteSpace(tail))
        {
            handle?.Dispose();
            _viaCommand.Add(sql);
            return null;
        }

        // A value the statement does not use is ignored (index 0), as the command ignores it; a parameter of the statement
        // left without a value goes to the command, which refuses it.
        var names = new string[parameters.Length];
        var indexes = new int[parameters.Length];
        var used = new HashSet<int>();
        for (var i = 0; i < parameters.Length; i++)
        {
            names[i] = parameters[i].Name;
            indexes[i] = raw.sqlite3_bind_parameter_index(handle, parameters[i].Name);
            if (indexes[i] > 0)
            {
                used.Add(indexes[i]);
            }
        }

        if (used.Count != raw.sqlite3_bind_parameter_count(handle))
        {
            handle.Dispose();
            _viaCommand.Add(sql);
            return null;
        }

        var statement = new DirectStatement(handle, names, indexes);
        _direct[sql] = statement;
        return statement;
    }

    /// <summary>
    /// Resets the statement (so the connection can go on) and throws SQLite's error as the command would: the reset
    /// leaves the statement's error code and message on the connection, which <see cref="SqliteException.ThrowExceptionForRC"/> reads.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowAfterReset(sqlite3_stmt handle, sqlite3 db, int rc)
    {
        raw.sqlite3_clear_bindings(handle);
        raw.sqlite3_reset(handle);
        SqliteException.ThrowExceptionForRC(rc, db);
        throw new SqliteException($"SQLite Error {rc}.", rc);
    }

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
        => ExecuteAsync(write ? "BEGIN IMMEDIATE;" : "BEGIN;", cancellationToken);

    /// <summary>Commits the open transaction.</summary>
    /// <returns>A task.</returns>
    public Task CommitAsync(CancellationToken cancellationToken) => ExecuteAsync("COMMIT;", cancellationToken);

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
                TryExecuteDirect("ROLLBACK;", [], out _);
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
        foreach (var statement in _direct.Values)
        {
            statement.Handle.Dispose();
        }

        _direct.Clear();
        _viaCommand.Clear();
    }

    /// <summary>A statement prepared by <see cref="PrepareDirect"/>: its handle, and the index of each parameter name in call order.</summary>
    private sealed record DirectStatement(sqlite3_stmt Handle, string[] Names, int[] Indexes);
}
