namespace Versioning.Core.Installations;

/// <summary>
/// Deterministic, sticky percentage cohorts (M4). An installation's bucket (0–99) is a stable 64-bit hash (FNV-1a over
/// the unordered version pair, then the id's 16 bytes in big-endian order, finished with the MurmurHash3 mixer), modulo 100. It never depends on the
/// process (unlike <see cref="string.GetHashCode()"/>), so every host and every run agrees; raising 10 % to 50 % keeps
/// the first 10 %; and because the pair is unordered, reverting (a migration from B back to A at the same percentage)
/// selects the same cohort.
/// </summary>
public static class Cohort
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    [ThreadStatic]
    private static PairCache? _lastPair;

    /// <summary>The bucket 0–99 of an installation for the pair (<paramref name="a"/>, <paramref name="b"/>), in either order.</summary>
    /// <param name="id">The installation.</param>
    /// <param name="a">One version of the pair.</param>
    /// <param name="b">The other version of the pair.</param>
    /// <returns>The bucket.</returns>
    public static int Bucket(InstallationId id, VersionKey a, VersionKey b)
    {
        // The pair's part of the hash is the same for every installation of a migration: computed once and cached.
        var seed = PairSeed(a, b);
        Span<byte> guid = stackalloc byte[16];
        id.Value.TryWriteBytes(guid, bigEndian: true, out _);
        return (int)(Finish(Mix(seed, guid)) % 100);
    }

    /// <summary>Whether an installation is in the first <paramref name="percent"/> buckets for the pair.</summary>
    /// <param name="id">The installation.</param>
    /// <param name="a">One version of the pair.</param>
    /// <param name="b">The other version of the pair.</param>
    /// <param name="percent">0–100.</param>
    /// <returns>True when selected.</returns>
    public static bool IsSelected(InstallationId id, VersionKey a, VersionKey b, int percent)
        => percent >= 100 || (percent > 0 && Bucket(id, a, b) < percent);

    private static ulong PairSeed(VersionKey a, VersionKey b)
    {
        var cache = _lastPair;
        if (cache is not null && cache.A == a && cache.B == b)
        {
            return cache.Seed;
        }

        var (low, high) = a.CompareTo(b) <= 0 ? (a, b) : (b, a);
        var hash = Mix(FnvOffset, low.Value);
        hash = (hash ^ 0xFF) * FnvPrime;
        hash = Mix(hash, high.Value);
        _lastPair = new PairCache(a, b, hash);
        return hash;
    }

    private static ulong Mix(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }

    private static ulong Mix(ulong hash, string text)
    {
        // Each UTF-16 code unit as two bytes, low then high: fixed across platforms and processes.
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }

        return hash;
    }

    private static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }

    private sealed record PairCache(VersionKey A, VersionKey B, ulong Seed);
}
