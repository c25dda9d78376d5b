using Versioning.Core.Persistence;

namespace Versioning.Core.Hosting;

/// <summary>
/// Options of the background worker (<see cref="VersioningWorker"/>), bindable from configuration and validated when
/// the worker is registered. Every instance of a host fleet should use the same values.
/// </summary>
public sealed class VersioningWorkerOptions
{
    /// <summary>
    /// A name for this instance, shown in leases and logs (default: the machine name). The worker adds a unique suffix,
    /// so instances that share a name still never share a lease.
    /// </summary>
    public string InstanceName { get; set; } = Environment.MachineName;

    /// <summary>
    /// The actor the worker records on what it does: the batches it runs and the notices it raises (default
    /// <c>versioning-worker</c>). Jobs were authorized when they were requested (X7), so the worker runs them as this
    /// actor without asking the access policy; the actor gets no right anywhere else — the services registered in DI
    /// treat it like any other caller — so naming a user here, or a user taking this name, opens nothing.
    /// </summary>
    public string Actor { get; set; } = "versioning-worker";

    /// <summary>Run Requested and InProgress migration and upgrade jobs (H1; default true).</summary>
    public bool RunJobs { get; set; } = true;

    /// <summary>Deliver the outbox's events to the registered handlers (H4; default true).</summary>
    public bool DeliverEvents { get; set; } = true;

    /// <summary>Raise deprecation notices as they fall due (H5; default true).</summary>
    public bool RaiseNotices { get; set; } = true;

    /// <summary>
    /// How long a lease on a job or a consumer lasts unless renewed (default 30 s, 1 s–1 h). The holder renews it before
    /// every batch and page; an instance that stops is replaced this long after its last renewal. Keep it well above the
    /// time a batch or an event handler takes, and well above the clock difference between instances.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the worker waits before looking again when it found nothing to do (default 1 s, 10 ms–10 min).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the worker looks for deprecation notices that fell due (default 1 min, 10 ms–1 day).</summary>
    public TimeSpan NoticeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Events read per page and per checkpoint write (default 100, 1–10 000).</summary>
    public int EventPageSize { get; set; } = 100;

    /// <summary>How many times a handler is called for one event before the event is parked (default 5, 1–100).</summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>The wait before the first retry of a failed event; it doubles for each later one (default 200 ms, 0–1 min).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two attempts (default 10 s, at least <see cref="RetryDelay"/>, at most 10 min).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The health check reports a consumer more than this many events behind as degraded (default 10 000, 1–10 000).</summary>
    public int MaxConsumerLag { get; set; } = 10_000;

    /// <summary>A copy of these options.</summary>
    /// <returns>The copy.</returns>
    public VersioningWorkerOptions Clone() => (VersioningWorkerOptions)MemberwiseClone();

    /// <summary>Checks every option and reports every problem in one message.</summary>
    /// <exception cref="ArgumentException">At least one option is out of range.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        Check(problems, () => WorkerLease.CheckName(InstanceName, nameof(InstanceName)), nameof(InstanceName));
        if (InstanceName is { Length: > 100 })
        {
            problems.Add($"InstanceName must be at most 100 characters (was {InstanceName.Length})");
        }

        Check(problems, () => _ = new ActorId(Actor), nameof(Actor));
        Range(problems, nameof(LeaseDuration), LeaseDuration, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Range(problems, nameof(PollInterval), PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Range(problems, nameof(NoticeInterval), NoticeInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(1));
        Range(problems, nameof(RetryDelay), RetryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Range(problems, nameof(MaxRetryDelay), MaxRetryDelay, RetryDelay, TimeSpan.FromMinutes(10));
        if (EventPageSize is < 1 or > 10_000)
        {
            problems.Add($"EventPageSize must be 1–10000 (was {EventPageSize})");
        }

        if (MaxDeliveryAttempts is < 1 or > 100)
        {
            problems.Add($"MaxDeliveryAttempts must be 1–100 (was {MaxDeliveryAttempts})");
        }

        if (MaxConsumerLag is < 1 or > 10_000)
        {
            problems.Add($"MaxConsumerLag must be 1–10000 (was {MaxConsumerLag})");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid VersioningWorkerOptions: {string.Join("; ", problems)}.");
        }
    }

    private static void Range(List<string> problems, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{name} must be {min}–{max} (was {value})");
        }
    }

    private static void Check(List<string> problems, Action check, string name)
    {
        try
        {
            check();
        }
        catch (ArgumentException ex)
        {
            problems.Add($"{name} is invalid: {ex.Message}");
        }
    }
}
