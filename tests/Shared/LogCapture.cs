using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Versioning.Core.Tests.Shared;

/// <summary>One log entry as a logger received it.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> State);

/// <summary>A logger provider that keeps every entry (all levels), for tests that assert what an operator would read.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <summary>A typed logger writing here, for classes built by hand.</summary>
    public ILogger<T> For<T>() => new CapturingLogger<T>(this);

    /// <summary>The entries with this event id.</summary>
    public IReadOnlyList<CapturedLog> WithId(int id) => [.. Entries.Where(e => e.EventId.Id == id)];

    public void Dispose()
    {
    }

    private class CapturingLogger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            capture.Entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), exception, values.ToDictionary(p => p.Key, p => p.Value)));
        }
    }

    private sealed class CapturingLogger<T>(LogCapture capture) : CapturingLogger(capture, typeof(T).FullName!), ILogger<T>;
}

/// <summary>
/// The log event table of docs/observability.md (id, name, level) against the <c>[LoggerMessage]</c> attributes of an
/// assembly, so a changed or new event id cannot go undocumented.
/// </summary>
internal static partial class LogEventDoc
{
    /// <summary>Documented rows: id → (name, level).</summary>
    public static Dictionary<int, (string Name, string Level)> Documented()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Versioning.Core.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var rows = new Dictionary<int, (string, string)>();
        foreach (var line in File.ReadLines(Path.Combine(dir.FullName, "docs", "observability.md")))
        {
            var m = Row().Match(line);
            if (m.Success)
            {
                rows.Add(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), (m.Groups[2].Value, m.Groups[3].Value));
            }
        }

        return rows;
    }

    /// <summary>The events an assembly declares: id → (name, level).</summary>
    public static Dictionary<int, (string Name, string Level)> Declared(Assembly assembly)
        => assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToDictionary(a => a.EventId, a => (a.EventName!, a.Level.ToString()));

    /// <summary>Asserts every event of the assembly is documented with its name and level, and the documented ids in its range exist.</summary>
    public static void AssertDocumented(Assembly assembly, int firstId, int lastId)
    {
        var declared = Declared(assembly);
        Assert.NotEmpty(declared);
        Assert.All(declared.Keys, id => Assert.InRange(id, firstId, lastId));
        var documented = Documented().Where(p => p.Key >= firstId && p.Key <= lastId).ToDictionary();
        Assert.Equal(declared.OrderBy(p => p.Key), documented.OrderBy(p => p.Key));
    }

    // | 1001 | CommandRetrying | Information | ... |
    [GeneratedRegex(@"^\|\s*(\d{4})\s*\|\s*`?(\w+)`?\s*\|\s*(\w+)\s*\|")]
    private static partial Regex Row();
}
