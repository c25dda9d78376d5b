using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Versioning.Cli.Output;

/// <summary>How values are written, the same in tables and JSON.</summary>
internal static class Format
{
    /// <summary>An instant as ISO-8601 UTC to the second, always 20 characters, e.g. <c>2026-05-01T14:03:07Z</c> (docs/cli.md).</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The text.</returns>
    public static string Instant(Instant instant) => InstantPattern.General.Format(instant);

    /// <summary>An optional instant; empty when null.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The text, or empty.</returns>
    public static string Instant(Instant? instant) => instant is { } i ? Instant(i) : string.Empty;

    /// <summary>A date as ISO, e.g. <c>2026-06-30</c>.</summary>
    /// <param name="date">The date.</param>
    /// <returns>The text.</returns>
    public static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>An optional date; empty when null.</summary>
    /// <param name="date">The date.</param>
    /// <returns>The text, or empty.</returns>
    public static string Date(LocalDate? date) => date is { } d ? Date(d) : string.Empty;

    /// <summary>A count with thousands separators.</summary>
    /// <param name="value">The count.</param>
    /// <returns>The text.</returns>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Shortens text for a table cell.</summary>
    /// <param name="text">The text.</param>
    /// <param name="max">The longest result.</param>
    /// <returns>The text, cut with an ellipsis when longer.</returns>
    public static string Short(string? text, int max = 40)
    {
        var oneLine = (text ?? string.Empty).ReplaceLineEndings(" ");
        return oneLine.Length <= max ? oneLine : string.Concat(oneLine.AsSpan(0, max - 1), "…");
    }
}
