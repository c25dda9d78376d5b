using System.Diagnostics;
using Versioning.Core.Auditing;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Services;

namespace Versioning.Core.Testing.Contention;

/// <summary>
/// What one contention run saw (X10): commands acknowledged, conflicts that escaped the services' retries, other
/// failures, the wall time, and whether every acknowledged change is stored (no lost update).
/// </summary>
/// <param name="Hosts">How many hosts (independent service instances on one database) took part.</param>
/// <param name="WritersPerHost">Concurrent writers per host.</param>
/// <param name="Attempted">Commands started.</param>
/// <param name="Acknowledged">Commands that returned normally.</param>
/// <param name="EscapedConflicts">Commands that ended in <see cref="ConcurrencyConflictException"/>.</param>
/// <param name="Elapsed">Wall time of the whole run.</param>
/// <param name="StoredChanges">Notes changes found in the audit trail afterwards.</param>
/// <param name="RevisionGain">How much the integration's revision grew.</param>
public sealed record ContentionResult(int Hosts, int WritersPerHost, int Attempted, int Acknowledged, int EscapedConflicts, TimeSpan Elapsed, int StoredChanges, long RevisionGain)
{
    /// <summary>Escaped conflicts per command started (0–1).</summary>
    public double EscapedConflictRate => Attempted == 0 ? 0 : (double)EscapedConflicts / Attempted;

    /// <summary>Acknowledged commands per second.</summary>
    public double Throughput => Elapsed <= TimeSpan.Zero ? 0 : Acknowledged / Elapsed.TotalSeconds;

    /// <summary>Whether every acknowledged command is stored exactly once and nothing else was (no lost update).</summary>
    public bool NoLostUpdate => StoredChanges == Acknowledged && RevisionGain == Acknowledged;

    /// <inheritdoc />
    public override string ToString()
        => FormattableString.Invariant($"{Hosts} hosts × {WritersPerHost} writers: {Attempted} commands, {Acknowledged} acknowledged, {EscapedConflicts} escaped conflicts ({EscapedConflictRate:P1}), {Throughput:F0} commands/s in {Elapsed.TotalMilliseconds:F0} ms, no lost update: {NoLostUpdate}");
}

/// <summary>
/// Runs many concurrent writers against one integration through several hosts (X10): every writer sets the notes of
/// one version again and again, each time to a text of its own, through the host it belongs to. Afterwards the
/// integration's audit trail must hold exactly one notes change per acknowledged command. Used by the store tests
/// (2 hosts × 16 writers, default options) and by the contention measurement of the benchmarks project.
/// </summary>
public static class ContentionProbe
{
    /// <summary>Runs the writers.</summary>
    /// <param name="hosts">One integration service per host, all on the same database.</param>
    /// <param name="writersPerHost">Concurrent writers per host (1–1 000).</param>
    /// <param name="commandsPerWriter">Commands each writer runs one after another (1–1 000).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What the run saw.</returns>
    /// <exception cref="ArgumentException"><paramref name="hosts"/> is empty or the counts are out of range.</exception>
    public static async Task<ContentionResult> RunAsync(IReadOnlyList<IntegrationService> hosts, int writersPerHost, int commandsPerWriter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count == 0)
        {
            throw new ArgumentException("hosts must not be empty.", nameof(hosts));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(writersPerHost, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(writersPerHost, 1_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(commandsPerWriter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(commandsPerWriter, 1_000);

        var actor = new ActorId("contention");
        var version = new VersionNumber(1, 0, 0);
        var app = (await hosts[0].CreateIntegrationAsync("Contention " + Guid.NewGuid().ToString("N")[..8], actor, cancellationToken).ConfigureAwait(false)).Id;
        await hosts[0].CreateVersionAsync(app, version, null, actor, cancellationToken).ConfigureAwait(false);
        var before = await hosts[0].GetIntegrationAsync(app, actor, cancellationToken).ConfigureAwait(false);

        var acknowledged = 0;
        var escaped = 0;
        using var start = new SemaphoreSlim(0);
        var writers = new List<Task>();
        for (var h = 0; h < hosts.Count; h++)
        {
            for (var w = 0; w < writersPerHost; w++)
            {
                var (host, name) = (hosts[h], $"host {h} writer {w}");
                writers.Add(Task.Run(async () =>
                {
                    await start.WaitAsync(cancellationToken).ConfigureAwait(false);
                    for (var i = 0; i < commandsPerWriter; i++)
                    {
                        try
                        {
                            await host.SetNotesAsync(app, version, $"{name} note {i}", actor, cancellationToken).ConfigureAwait(false);
                            Interlocked.Increment(ref acknowledged);
                        }
                        catch (ConcurrencyConflictException)
                        {
                            Interlocked.Increment(ref escaped);
                        }
                    }
                }, cancellationToken));
            }
        }

        var clock = Stopwatch.StartNew();
        start.Release(writers.Count);
        await Task.WhenAll(writers).ConfigureAwait(false);
        clock.Stop();

        var after = await hosts[0].GetIntegrationAsync(app, actor, cancellationToken).ConfigureAwait(false);
        var stored = after.AuditTrail.Count(e => e.Action == AuditAction.NotesChanged) - before.AuditTrail.Count(e => e.Action == AuditAction.NotesChanged);
        return new ContentionResult(hosts.Count, writersPerHost, writers.Count * commandsPerWriter, acknowledged, escaped, clock.Elapsed, stored, after.Revision - before.Revision);
    }
}
