using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// Which pages a SQLite write dirties (P9): truncates the WAL, runs a write a number of times, then reads the page number
/// of every WAL frame (each frame is one page image written by a commit) and names the B-tree it belongs to with the
/// <c>dbstat</c> virtual table. The pages a commit writes are what its cost is proportional to once the statements are
/// prepared, so this is the profile of a durable command against a raw single-row transaction.
/// </summary>
internal static class SqliteWalProfile
{
    /// <summary>Runs <paramref name="write"/> <paramref name="times"/> times and describes the pages written per commit.</summary>
    /// <returns>"n frames per commit: table × count, …".</returns>
    public static string Measure(string connectionString, string path, int times, Action write)
    {
        DurableStoreSupport.ExecuteSqlite(connectionString, "PRAGMA wal_checkpoint(TRUNCATE);");
        for (var i = 0; i < times; i++)
        {
            write();
        }

        var pages = new List<uint>();
        int pageSize;
        using (var wal = new FileStream(path + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            Span<byte> header = stackalloc byte[32];
            if (wal.Read(header) < 32)
            {
                return "no WAL frames";
            }

            pageSize = (int)BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
            var frame = new byte[24 + pageSize];
            while (wal.Read(frame, 0, frame.Length) == frame.Length)
            {
                pages.Add(BinaryPrimitives.ReadUInt32BigEndian(frame));
            }
        }

        // Name each page by walking every B-tree from its root page (sqlite_master) in the database file, after a
        // checkpoint has copied the frames back (interior pages: a 4-byte child pointer starts each cell, plus the
        // right-most pointer in the header). The dbstat table would say the same but is not compiled into e_sqlite3.
        DurableStoreSupport.ExecuteSqlite(connectionString, "PRAGMA wal_checkpoint(TRUNCATE);");
        var names = new Dictionary<long, string>();
        var file = File.ReadAllBytes(path);
        using (var connection = new SqliteConnection(connectionString + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                Walk(file, pageSize, reader.GetInt64(1), reader.GetString(0), names);
            }
        }

        var byName = pages.GroupBy(p => names.TryGetValue(p, out var n) ? n : p == 1 ? "page 1 (header)" : "free or overflow")
            .OrderByDescending(g => g.Count())
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count() / (double)times:0.##}"));
        return string.Create(CultureInfo.InvariantCulture, $"{pages.Count / (double)times:0.##} pages per commit ({pageSize} B each): {string.Join(", ", byName)}");
    }

    private static void Walk(byte[] file, int pageSize, long page, string name, Dictionary<long, string> names)
    {
        var start = (page - 1) * pageSize;
        if (page < 1 || start + pageSize > file.Length || !names.TryAdd(page, name))
        {
            return;
        }

        var header = (int)start + (page == 1 ? 100 : 0);
        var type = file[header];
        if (type is not (2 or 5))
        {
            return;
        }

        var cells = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(header + 3));
        for (var i = 0; i < cells; i++)
        {
            var offset = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(header + 12 + (2 * i)));
            Walk(file, pageSize, BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)start + offset)), name, names);
        }

        Walk(file, pageSize, BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(header + 8)), name, names);
    }
}
