using NodaTime;

namespace Versioning.Core.Testing;

/// <summary>
/// An <see cref="IClock"/> for tests: it returns the instant it was set to until it is set or advanced again, and
/// can advance itself after every read. Thread-safe: reads and changes may race from any thread.
/// </summary>
public sealed class FakeClock : IClock
{
    private readonly Lock _gate = new();
    private Instant _now;
    private Duration _autoAdvance;

    /// <summary>Creates a clock reading <paramref name="initial"/>.</summary>
    /// <param name="initial">The first instant returned.</param>
    /// <param name="autoAdvance">How far the clock moves after each read; zero (default) to stand still.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="autoAdvance"/> is negative.</exception>
    public FakeClock(Instant initial, Duration autoAdvance = default)
    {
        if (autoAdvance < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(autoAdvance), autoAdvance, "autoAdvance must not be negative.");
        }

        _now = initial;
        _autoAdvance = autoAdvance;
    }

    /// <summary>Creates a clock reading the given UTC date and time.</summary>
    /// <param name="year">Year.</param>
    /// <param name="month">Month (1–12).</param>
    /// <param name="day">Day of month.</param>
    /// <param name="hour">Hour (0–23).</param>
    /// <param name="minute">Minute.</param>
    /// <param name="second">Second.</param>
    /// <returns>The clock.</returns>
    public static FakeClock FromUtc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0)
        => new(Instant.FromUtc(year, month, day, hour, minute, second));

    /// <summary>How far the clock moves after each read.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative duration.</exception>
    public Duration AutoAdvance
    {
        get
        {
            lock (_gate)
            {
                return _autoAdvance;
            }
        }

        set
        {
            if (value < Duration.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "AutoAdvance must not be negative.");
            }

            lock (_gate)
            {
                _autoAdvance = value;
            }
        }
    }

    /// <summary>The instant the next read returns (does not advance the clock).</summary>
    public Instant Now
    {
        get
        {
            lock (_gate)
            {
                return _now;
            }
        }
    }

    /// <inheritdoc />
    public Instant GetCurrentInstant()
    {
        lock (_gate)
        {
            var now = _now;
            _now += _autoAdvance;
            return now;
        }
    }

    /// <summary>Sets the instant the clock reads.</summary>
    /// <param name="instant">The new instant; may be earlier than the current one.</param>
    public void Reset(Instant instant)
    {
        lock (_gate)
        {
            _now = instant;
        }
    }

    /// <summary>Moves the clock forward (or back, with a negative duration).</summary>
    /// <param name="duration">How far to move.</param>
    public void Advance(Duration duration)
    {
        lock (_gate)
        {
            _now += duration;
        }
    }

    /// <summary>Moves the clock forward by whole days of 24 hours.</summary>
    /// <param name="days">How many days.</param>
    public void AdvanceDays(int days) => Advance(Duration.FromDays(days));
}
