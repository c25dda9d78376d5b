using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Integrations.IntegrationHarness;

namespace Versioning.Core.Tests.Integrations.Canaries;

/// <summary>K2: canary routing is a stable, per-canary hash of the execution key; over many keys its share is the percentage.</summary>
public sealed class CanaryRoutingProperties
{
    private const int Keys = 100_000;

    // Built once: the share properties hash the same 100 000 keys for every generated canary.
    private static readonly string[] ManyKeys = [.. Enumerable.Range(0, Keys).Select(i => $"zap-run-{i:D7}")];

    private static Canary NewCanary(Guid id, int percent) => new(new CanaryId(id), V("1.0.0"), V("1.1.0"), percent, CanaryScope.All, Owner, Start, Start + Duration.FromHours(1));

    private static int Percent(int any) => 1 + (int)((uint)any % 100);

    [Property(MaxTest = 500)]
    public bool Bucket_AnyKey_IsInRangeAndTheSameForEqualKeys_K2(Guid id, NonEmptyString key)
    {
        var canary = NewCanary(id, 50);
        var copy = new string(key.Get.AsSpan());
        var bucket = canary.Bucket(key.Get);
        return bucket is >= 0 and < 100 && bucket == canary.Bucket(copy) && bucket == NewCanary(id, 7).Bucket(copy);
    }

    [Property(MaxTest = 300)]
    public bool Diverts_AnyKey_IsMonotoneInThePercentage_K2(Guid id, NonEmptyString key, int lower, int higher)
    {
        var (p, q) = (Math.Min(Percent(lower), Percent(higher)), Math.Max(Percent(lower), Percent(higher)));
        return !NewCanary(id, p).Diverts(key.Get) || NewCanary(id, q).Diverts(key.Get);
    }

    [Property(MaxTest = 12)]
    public Property Diverts_OverManyKeys_ShareIsThePercentageWithinStatisticalBounds_K2(Guid id, int anyPercent)
    {
        var percent = Percent(anyPercent);
        var canary = NewCanary(id, percent);
        var diverted = ManyKeys.Count(k => canary.Diverts(k));
        var expected = Keys * percent / 100.0;
        var deviation = Math.Sqrt(Keys * (percent / 100.0) * (1 - (percent / 100.0)));

        // Six standard deviations (and at least one key): a correct hash fails about once in 10^9 runs.
        return (Math.Abs(diverted - expected) <= Math.Max(1, 6 * deviation)).Label($"{diverted} of {Keys} diverted at {percent}%, expected {expected} ± {6 * deviation:0.#}");
    }

    [Fact]
    public void Bucket_TwoCanaries_ChooseIndependentShares_K2()
    {
        var a = NewCanary(Guid.Parse("00000000-0000-0000-0000-000000000001"), 50);
        var b = NewCanary(Guid.Parse("00000000-0000-0000-0000-000000000002"), 50);

        var both = ManyKeys.Count(k => a.Diverts(k) && b.Diverts(k));

        // Independent halves overlap on a quarter of the keys (standard deviation 137); the same half would overlap on 50 %.
        Assert.InRange(both, 24_000, 26_000);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001", "run-1", 8)]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "zap-run-0000042", 31)]
    [InlineData("ffffffff-ffff-ffff-ffff-ffffffffffff", "é日本🚀", 99)]
    public void Bucket_KnownCanariesAndKeys_AreTheSameInEveryProcess_K2(string id, string key, int bucket)
    {
        // Pinned (computed with System.IO.Hashing 10.0.0): a change of the hash would move running executions between A and B on every host at once.
        Assert.Equal(bucket, NewCanary(Guid.Parse(id), 50).Bucket(key));
    }
}
