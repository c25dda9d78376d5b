using NodaTime;

namespace Versioning.Cli.Hosting;

/// <summary>
/// The clock of <c>--at</c> and of the demo: it stands at an instant until moved. The tool keeps its own (three lines)
/// rather than shipping the test package, which brings xunit along.
/// </summary>
internal sealed class ManualClock(Instant now) : IClock
{
    private long _ticks = now.ToUnixTimeTicks();

    public Instant Now => Instant.FromUnixTimeTicks(Interlocked.Read(ref _ticks));

    public Instant GetCurrentInstant() => Now;

    public void Advance(Duration duration) => Interlocked.Add(ref _ticks, duration.BclCompatibleTicks);

    public void AdvanceDays(int days) => Advance(Duration.FromDays(days));
}
