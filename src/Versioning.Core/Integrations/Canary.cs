using NodaTime;
using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Versioning.Core.Installations;

namespace Versioning.Core.Integrations;

/// <summary>
/// A canary release (K1–K6): for a bounded time, a share of the executions of version <see cref="From"/>'s
/// installations run version <see cref="To"/> instead. Unlike a migration it changes no installation (K5) and ends by
/// itself at <see cref="EndsAt"/> (K3). Immutable; the <see cref="Integration"/> that owns it holds it until its end is
/// recorded (deleted early, or its expiry recorded).
/// </summary>
/// <threadsafety>Immutable: safe to share between threads.</threadsafety>
public sealed record Canary
{
    /// <summary>The smallest share, in percent.</summary>
    public const int MinPercent = 1;

    /// <summary>The largest share, in percent.</summary>
    public const int MaxPercent = 100;

    /// <summary>The shortest duration: 30 seconds.</summary>
    public static readonly Duration MinDuration = Duration.FromSeconds(30);

    /// <summary>The longest duration: 24 hours.</summary>
    public static readonly Duration MaxDuration = Duration.FromHours(24);

    // Precomputed so routing allocates nothing and hashes only the execution key (K6).
    private readonly long _seed;

    /// <summary>Creates a canary (the aggregate checks the rules; stores rebuild stored canaries with it).</summary>
    /// <param name="id">The canary's identifier.</param>
    /// <param name="from">The version whose executions are diverted.</param>
    /// <param name="to">The version they are diverted to.</param>
    /// <param name="percent">1–100.</param>
    /// <param name="scope">Whose executions.</param>
    /// <param name="startedBy">Who started it.</param>
    /// <param name="startedAt">When it started.</param>
    /// <param name="endsAt">When it ends by itself: 30 s to 24 h after <paramref name="startedAt"/>.</param>
    /// <exception cref="ArgumentException">The id or actor is empty, or <paramref name="from"/> equals <paramref name="to"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> or the duration is out of range (K1).</exception>
    public Canary(CanaryId id, VersionNumber from, VersionNumber to, int percent, CanaryScope scope, ActorId startedBy, Instant startedAt, Instant endsAt)
    {
        Preconditions.NotDefault(id, nameof(id));
        Preconditions.Actor(startedBy, nameof(startedBy));
        if (from == to)
        {
            throw new ArgumentException($"A canary diverts executions to another version (K1); from and to are both {from}.", nameof(to));
        }

        Id = id;
        From = from;
        To = to;
        Percent = CheckPercent(percent, nameof(percent));
        Scope = scope;
        StartedBy = startedBy;
        StartedAt = startedAt;
        EndsAt = startedAt + CheckDuration(endsAt - startedAt, nameof(endsAt));
        FromKey = VersionKey.ForVersion(from);
        ToKey = VersionKey.ForVersion(to);
        Span<byte> guid = stackalloc byte[16];
        id.Value.TryWriteBytes(guid, bigEndian: true, out _);
        _seed = unchecked((long)XxHash3.HashToUInt64(guid));
    }

    /// <summary>The canary's identifier.</summary>
    public CanaryId Id { get; }

    /// <summary>Version A: the version whose installations' executions may be diverted.</summary>
    public VersionNumber From { get; }

    /// <summary>Version B: the version a diverted execution runs.</summary>
    public VersionNumber To { get; }

    /// <summary>The share of covered executions diverted, 1–100 percent.</summary>
    public int Percent { get; }

    /// <summary>Whose executions may be diverted.</summary>
    public CanaryScope Scope { get; }

    /// <summary>Who started it.</summary>
    public ActorId StartedBy { get; }

    /// <summary>When it started.</summary>
    public Instant StartedAt { get; }

    /// <summary>When it ends by itself (K3): from this instant on, nothing is diverted.</summary>
    public Instant EndsAt { get; }

    /// <summary>How long it runs.</summary>
    public Duration Duration => EndsAt - StartedAt;

    /// <summary><see cref="From"/> as an installation's pinned key.</summary>
    public VersionKey FromKey { get; }

    /// <summary><see cref="To"/> as an installation's pinned key.</summary>
    public VersionKey ToKey { get; }

    /// <summary>Whether the canary diverts executions at <paramref name="at"/>: from its start, until (excluding) its end (K3).</summary>
    /// <param name="at">The instant.</param>
    /// <returns>True while active.</returns>
    public bool IsActiveAt(Instant at) => at >= StartedAt && at < EndsAt;

    /// <summary>
    /// The bucket 0–99 of an execution key for this canary (K2): XxHash3 (64-bit) of the key's UTF-16 code units in
    /// little-endian order, seeded with a hash of the canary's id, modulo 100. Stable across processes, hosts and runs
    /// (unlike <see cref="string.GetHashCode()"/>), and independent between canaries. Allocation-free on little-endian
    /// platforms (K6).
    /// </summary>
    /// <param name="executionKey">The host's run id.</param>
    /// <returns>The bucket.</returns>
    public int Bucket(ReadOnlySpan<char> executionKey)
    {
        ulong hash;
        if (BitConverter.IsLittleEndian)
        {
            hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(executionKey), _seed);
        }
        else
        {
            var bytes = ArrayPool<byte>.Shared.Rent(executionKey.Length * 2);
            for (var i = 0; i < executionKey.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), executionKey[i]);
            }

            hash = XxHash3.HashToUInt64(bytes.AsSpan(0, executionKey.Length * 2), _seed);
            ArrayPool<byte>.Shared.Return(bytes);
        }

        return (int)(hash % 100);
    }

    /// <summary>Whether an execution key falls under the percentage (K2): its <see cref="Bucket"/> is below <see cref="Percent"/>.</summary>
    /// <param name="executionKey">The host's run id.</param>
    /// <returns>True when the execution runs <see cref="To"/> (if the canary is active and covers the installation).</returns>
    public bool Diverts(ReadOnlySpan<char> executionKey) => Percent >= MaxPercent || Bucket(executionKey) < Percent;

    /// <inheritdoc />
    public override string ToString() => $"canary {Id}: {Percent}% of {From} → {To} ({Scope}) from {StartedAt} until {EndsAt}";

    /// <summary>Checks a percentage (K1): 1–100.</summary>
    internal static int CheckPercent(int percent, string paramName)
        => percent is >= MinPercent and <= MaxPercent
            ? percent
            : throw new ArgumentOutOfRangeException(paramName, percent, $"A canary diverts 1–100 percent of executions (K1); {percent} is outside that range.");

    /// <summary>Whether a duration is allowed (K1): 30 seconds to 24 hours, both included.</summary>
    internal static bool IsValidDuration(Duration duration) => duration >= MinDuration && duration <= MaxDuration;

    /// <summary>Checks a duration (K1): 30 seconds to 24 hours, both included.</summary>
    internal static Duration CheckDuration(Duration duration, string paramName)
        => IsValidDuration(duration)
            ? duration
            : throw new ArgumentOutOfRangeException(paramName, duration, $"A canary runs 30 seconds to 24 hours (K1); {duration.TotalSeconds:0.###} s is outside that range.");
}
