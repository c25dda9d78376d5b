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

        var names = new Dictionary<long, string>();
        using (var connection = new SqliteConnection(connectionString + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT pageno, name FROM dbstat;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                names[reader.GetInt64(0)] = reader.GetString(1);
            }
        }

        var byName = pages.GroupBy(p => names.TryGetValue(p, out var n) ? n : p == 1 ? "page 1 (header)" : "other")
            .OrderByDescending(g => g.Count())
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count() / (double)times:0.##}"));
        return string.Create(CultureInfo.InvariantCulture, $"{pages.Count / (double)times:0.##} pages per commit ({pageSize} B each): {string.Join(", ", byName)}");
    }
}
