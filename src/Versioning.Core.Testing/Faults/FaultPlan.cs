namespace Versioning.Core.Testing.Faults;

/// <summary>When an injected fault strikes, relative to the wrapped store call.</summary>
public enum FaultPhase
{
    /// <summary>The call throws before reaching the store: nothing is written.</summary>
    Before,

    /// <summary>The store call completes, then the call throws: everything is written but the caller never hears so (a lost acknowledgement).</summary>
    After,
}

/// <summary>
/// Decides which call of a faulty repository throws: the <see cref="FailAt"/>-th write call (1-based, counting every
/// write through every repository sharing this plan), in <see cref="Phase"/>. Thread-safe. Reads never fail.
/// </summary>
public sealed class FaultPlan
{
    private int _calls;

    /// <summary>Creates a plan.</summary>
    /// <param name="failAt">Which write call fails (1-based); 0 never fails.</param>
    /// <param name="phase">Before or after the store call.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="failAt"/> is negative.</exception>
    public FaultPlan(int failAt, FaultPhase phase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failAt);
        FailAt = failAt;
        Phase = phase;
    }

    /// <summary>
    /// Creates a plan that cancels instead of throwing: at the <paramref name="failAt"/>-th write call it cancels
    /// <paramref name="cancellation"/> (the source of the token the caller passed to the command), before the store call
    /// (the store then sees a cancelled token and must write nothing) or after it (the store wrote; the caller gets an
    /// <see cref="OperationCanceledException"/>, as when a cancellation arrives just after a commit).
    /// </summary>
    /// <param name="failAt">Which write call is cancelled (1-based); 0 never.</param>
    /// <param name="phase">Before or after the store call.</param>
    /// <param name="cancellation">The source to cancel.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="failAt"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="cancellation"/> is null.</exception>
    public FaultPlan(int failAt, FaultPhase phase, CancellationTokenSource cancellation)
        : this(failAt, phase)
    {
        Cancellation = cancellation ?? throw new ArgumentNullException(nameof(cancellation));
    }

    /// <summary>The source cancelled at the failing call, or null when the call throws <see cref="InjectedFaultException"/>.</summary>
    public CancellationTokenSource? Cancellation { get; }

    /// <summary>Which write call fails (1-based); 0 for none.</summary>
    public int FailAt { get; }

    /// <summary>Before or after the store call.</summary>
    public FaultPhase Phase { get; }

    /// <summary>How many write calls have been made.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Whether the fault has struck.</summary>
    public bool HasFired => FailAt > 0 && Calls >= FailAt;

    /// <summary>Runs a write call under the plan.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="call">The store call.</param>
    /// <returns>The call's result, unless the fault strikes.</returns>
    /// <exception cref="InjectedFaultException">The fault strikes on this call.</exception>
    public async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var n = Interlocked.Increment(ref _calls);
        var strike = n == FailAt;
        if (strike && Phase == FaultPhase.Before)
        {
            if (Cancellation is null)
            {
                throw new InjectedFaultException(n, Phase);
            }

            await Cancellation.CancelAsync().ConfigureAwait(false);
        }

        var result = await call().ConfigureAwait(false);
        if (strike && Phase == FaultPhase.After)
        {
            if (Cancellation is null)
            {
                throw new InjectedFaultException(n, Phase);
            }

            await Cancellation.CancelAsync().ConfigureAwait(false);
            throw new OperationCanceledException($"Cancelled after write call {n}.", Cancellation.Token);
        }

        return result;
    }

    /// <summary>Runs a write call that returns nothing under the plan.</summary>
    /// <param name="call">The store call.</param>
    /// <returns>A task.</returns>
    public Task RunAsync(Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RunAsync(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        });
    }
}

/// <summary>A fault injected by a <see cref="FaultPlan"/>: stands in for a crash, a timeout or a lost connection.</summary>
public sealed class InjectedFaultException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="call">The write call that failed.</param>
    /// <param name="phase">Before or after the store call.</param>
    public InjectedFaultException(int call, FaultPhase phase)
        : base($"Injected fault on write call {call} ({phase} the store call).")
    {
        Call = call;
        Phase = phase;
    }

    /// <summary>The write call that failed (1-based).</summary>
    public int Call { get; }

    /// <summary>Before or after the store call.</summary>
    public FaultPhase Phase { get; }
}
