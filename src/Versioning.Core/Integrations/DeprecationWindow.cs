using NodaTime;

namespace Versioning.Core.Integrations;

/// <summary>
/// When a deprecation date may begin (Z12): between <see cref="MinimumDays"/> and <see cref="MaximumDays"/> days after
/// the command, at the start of the date in <see cref="TimeZone"/>. The integration service builds it from its options.
/// </summary>
public sealed record DeprecationWindow
{
    /// <summary>Creates a window.</summary>
    /// <param name="minimumDays">The fewest days from now the date may begin; at least 1.</param>
    /// <param name="maximumDays">The most days from now the date may begin; at least <paramref name="minimumDays"/>.</param>
    /// <param name="timeZone">The zone in which a date begins.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is out of range.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="timeZone"/> is null.</exception>
    public DeprecationWindow(int minimumDays, int maximumDays, DateTimeZone timeZone)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumDays, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumDays, minimumDays);
        ArgumentNullException.ThrowIfNull(timeZone);
        MinimumDays = minimumDays;
        MaximumDays = maximumDays;
        TimeZone = timeZone;
    }

    /// <summary>The fewest days from now a deprecation date may begin.</summary>
    public int MinimumDays { get; }

    /// <summary>The most days from now a deprecation date may begin.</summary>
    public int MaximumDays { get; }

    /// <summary>The zone in which a deprecation date begins.</summary>
    public DateTimeZone TimeZone { get; }
}
