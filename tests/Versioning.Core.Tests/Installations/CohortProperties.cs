using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Tests.Shared;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Installations;

/// <summary>M4: percentage cohorts are deterministic, sticky, symmetric for reverts, monotone and fair.</summary>
public sealed class CohortProperties
{
    private static readonly Gen<VersionKey> Versions = DomainArbitraries.VersionKeys;

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001", 1, 7, 50)]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301", 157, 10, 43)]
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8", 19523, 43, 46)]
    [InlineData("d9b2d63d-a233-4123-847a-7ac09b6e5b5b", 36990, 11, 85)]
    [InlineData("ffffffff-ffff-ffff-ffff-ffffffffffff", 20726, 81, 66)]
    public void Bucket_KnownIdsAndPairs_AreTheSameInEveryProcess_M4(string id, int installationBucket, int versionBucket, int releaseBucket)
    {
        // Computed once (and cross-checked with an independent Python port: the polynomial hash of the big-endian GUID
        // bytes modulo 2^31 - 1, then the pair's affine permutation from FNV-1a + the Murmur3 finaliser over the UTF-16
        // keys of the unordered pair) and pinned: a change would reshuffle every live cohort on every host.
        var installation = InstallationId.Parse(id);

        Assert.Equal(installationBucket, Cohort.InstallationBucket(installation));
        Assert.Equal(versionBucket, Cohort.Bucket(installation, K("1.0.0"), K("1.1.0")));
        Assert.Equal(releaseBucket, Cohort.Bucket(installation, VersionKey.ForRelease(R(1)), VersionKey.ForRelease(R(2))));
    }

    [Property]
    public bool Bucket_AnyIdAndPair_IsInRangeAndIgnoresTheOrderOfThePair_M4(InstallationId id, VersionKey a, VersionKey b)
    {
        var bucket = Cohort.Bucket(id, a, b);
        return bucket is >= 0 and < 100 && bucket == Cohort.Bucket(id, b, a);
    }

    [Property(MaxTest = 1_000)]
    public Property IsSelected_AnyIdAndPair_IsMonotoneInThePercentage_M4(InstallationId id, VersionKey a, VersionKey b)
    {
        var percentages = from p in Gen.Choose(0, 100)
                          from q in Gen.Choose(p, 100)
                          select (P: p, Q: q);

        return Prop.ForAll(percentages.ToArbitrary(), c =>
            (!Cohort.IsSelected(id, a, b, c.P) || Cohort.IsSelected(id, a, b, c.Q))
            && Cohort.IsSelected(id, a, b, c.P) == (Cohort.Bucket(id, a, b) < c.P)
            && Cohort.IsSelected(id, a, b, 100)
            && !Cohort.IsSelected(id, a, b, 0));
    }

    [Property(MaxTest = 1_000)]
    public Property Predicate_OnTheStoredBucket_AgreesWithIsSelectedAndBucket_M4(InstallationId id, VersionKey a, VersionKey b)
        => Prop.ForAll(Gen.Choose(0, 100).ToArbitrary(), p =>
        {
            var stored = Cohort.InstallationBucket(id);
            var predicate = Cohort.Predicate(a, b, p);
            return stored is >= 0 and < Cohort.BucketCount
                && predicate.Selects(stored) == Cohort.IsSelected(id, a, b, p)
                && predicate == Cohort.Predicate(b, a, p)
                && predicate.Multiplier % 2 == 1;
        });

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Predicate_PercentOutsideZeroToHundred_IsRefusedNamingThePercent_M4(int percent)
        => Assert.Equal("percent", Assert.Throws<ArgumentOutOfRangeException>(() => Cohort.Predicate(K("1.0.0"), K("1.1.0"), percent)).ParamName);

    [Property(MaxTest = 12)]
    public Property IsSelected_HundredThousandGeneratedIds_SelectsWithinOnePointOfThePercentage_M4()
    {
        var cases = from a in Versions
                    from b in Versions
                    from seed in Gen.Choose(0, int.MaxValue)
                    select (A: a, B: b, Seed: seed);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            const int Count = 100_000;
            var random = new Random(c.Seed);
            var perBucket = new int[100];
            Span<byte> bytes = stackalloc byte[16];
            for (var i = 0; i < Count; i++)
            {
                random.NextBytes(bytes);
                perBucket[Cohort.Bucket(new InstallationId(new Guid(bytes)), c.A, c.B)]++;
            }

            AssertFair(perBucket, Count);
        });
    }

    [Property(MaxTest = 12)]
    public Property IsSelected_HundredThousandTimeOrderedIds_SelectsWithinOnePointOfThePercentage_M4()
    {
        // Version 7 ids as InstallationId.New makes them: the first 48 bits are the creation millisecond, shared by whole
        // bursts of ids, and only 74 bits are random. Bursts of 0–40 ids per millisecond, from a random start.
        var cases = from a in Versions
                    from b in Versions
                    from seed in Gen.Choose(0, int.MaxValue)
                    select (A: a, B: b, Seed: seed);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            const int Count = 100_000;
            var random = new Random(c.Seed);
            var perBucket = new int[100];
            var millisecond = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + random.NextInt64(100_000_000_000));
            for (var i = 0; i < Count; i++)
            {
                if (random.Next(20) == 0)
                {
                    millisecond = millisecond.AddMilliseconds(random.Next(1, 1_000));
                }

                perBucket[Cohort.Bucket(new InstallationId(TimeOrderedId(millisecond, random)), c.A, c.B)]++;
            }

            AssertFair(perBucket, Count);
        });
    }

    [Fact]
    public void IsSelected_HundredThousandIdsFromNew_SelectsWithinOnePointOfThePercentage_M4()
    {
        const int Count = 100_000;
        var ids = Enumerable.Range(0, Count).Select(_ => InstallationId.New()).ToList();
        Assert.All(ids, id => Assert.Equal(7, id.Value.Version));
        foreach (var (a, b) in new[] { (K("1.0.0"), K("1.1.0")), (VersionKey.ForRelease(R(1)), VersionKey.ForRelease(R(2))), (K("2.0.0-beta"), K("10.4.1")) })
        {
            var perBucket = new int[100];
            foreach (var id in ids)
            {
                perBucket[Cohort.Bucket(id, a, b)]++;
            }

            AssertFair(perBucket, Count);
        }
    }

    [Fact]
    public void New_TimeOrderedIds_CompareInCreationOrderAcrossMillisecondsAsBytesAndTextDo()
    {
        var random = new Random(3);
        var ids = new List<InstallationId>();
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);
        for (var ms = 0; ms < 200; ms++)
        {
            for (var k = random.Next(0, 5); k > 0; k--)
            {
                ids.Add(new InstallationId(TimeOrderedId(start.AddMilliseconds(ms * 37), random)));
            }
        }

        ids.Add(InstallationId.New());
        var sorted = ids.Order().ToList();

        // Across milliseconds, id order is creation order; within one, the random bits decide (any order is fine). The
        // order is also that of the big-endian bytes (PostgreSQL's uuid order) and of the lowercase text (SQLite's).
        Assert.Equal(ids.Select(Millisecond), sorted.Select(Millisecond));
        Assert.Equal(ids[^1], sorted[^1]);
        Assert.Equal(sorted, ids.OrderBy(i => Convert.ToHexString(i.Value.ToByteArray(bigEndian: true)), StringComparer.Ordinal));
        Assert.Equal(sorted, ids.OrderBy(i => i.ToString(), StringComparer.Ordinal));
    }

    private static long Millisecond(InstallationId id)
    {
        var bytes = id.Value.ToByteArray(bigEndian: true);
        long ms = 0;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }

        return ms;
    }

    /// <summary>A version 7 UUID for <paramref name="at"/> with its 74 random bits from <paramref name="random"/>.</summary>
    private static Guid TimeOrderedId(DateTimeOffset at, Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var ms = at.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Each tested percentage selects within one point of it.</summary>
    private static void AssertFair(int[] perBucket, int count)
    {
        foreach (var p in (int[])[1, 5, 10, 25, 33, 50, 75, 90, 99])
        {
            var share = 100.0 * perBucket.Take(p).Sum() / count;
            Assert.InRange(share, p - 1.0, p + 1.0);
        }
    }

    [Fact]
    public async Task StartMigrationAsync_RaisingTenToFiftyPercent_KeepsTheFirstTenPercent_M4()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var installed = await h.SeedAsync(ProductRef.Of(app), K("1.0.0"), 2_000, new Random(7));
        await h.AddVersionAsync(app, "1.1.0", promote: true);

        var first = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.Percentage(10), Team, batchSize: 500);
        await h.Migrations.RunAsync(first.Id, Team);
        var afterTen = (await h.AllInstallationsAsync(ProductRef.Of(app))).Values.Where(i => i.Pinned == K("1.1.0")).Select(i => i.Id).ToHashSet();
        var second = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.Percentage(50), Team, batchSize: 500);
        second = await h.Migrations.RunAsync(second.Id, Team);
        var afterFifty = (await h.AllInstallationsAsync(ProductRef.Of(app))).Values.Where(i => i.Pinned == K("1.1.0")).Select(i => i.Id).ToHashSet();

        Assert.Equal(installed.Where(i => Cohort.IsSelected(i.Id, K("1.0.0"), K("1.1.0"), 10)).Select(i => i.Id).ToHashSet(), afterTen);
        Assert.Equal(installed.Where(i => Cohort.IsSelected(i.Id, K("1.0.0"), K("1.1.0"), 50)).Select(i => i.Id).ToHashSet(), afterFifty);
        Assert.Subset(afterFifty, afterTen);
        Assert.Equal(afterFifty.Count - afterTen.Count, second.Moved);
    }

    [Fact]
    public async Task StartMigrationAsync_RevertFromBToAAtTheSamePercentage_MovesTheSameCohortBack_M4()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var installed = await h.SeedAsync(ProductRef.Of(app), K("1.0.0"), 1_000, new Random(11));
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        var forward = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.Percentage(30), Team);
        forward = await h.Migrations.RunAsync(forward.Id, Team);
        Assert.InRange(forward.Moved, 200, 400);

        var back = await h.Migrations.StartMigrationAsync(app, V("1.1.0"), V("1.0.0"), MigrationScope.Percentage(30), Team);
        back = await h.Migrations.RunAsync(back.Id, Team);

        Assert.Equal(forward.Moved, back.Moved);
        var all = await h.AllInstallationsAsync(ProductRef.Of(app));
        Assert.All(installed, i => Assert.Equal(K("1.0.0"), all[i.Id].Pinned));
        Assert.All(installed, i => Assert.Equal(Cohort.IsSelected(i.Id, K("1.0.0"), K("1.1.0"), 30) ? i.Revision + 2 : i.Revision, all[i.Id].Revision));
    }

    /// <summary>A generated interrupted migration: population, scope, batch size and how many batches each run gets.</summary>
    public sealed record Interrupted(int Candidates, int Bystanders, int Percent, int BatchSize, int[] BatchesPerRun, int Seed);

    /// <summary>Generates the interrupted migrations of <see cref="Interrupted"/>.</summary>
    public static class InterruptedScenarios
    {
        public static Arbitrary<Interrupted> Interrupted() =>
            (from candidates in Gen.Choose(0, 150)
             from bystanders in Gen.Choose(0, 20)
             from percent in Gen.Choose(1, 100)
             from batchSize in Gen.Choose(1, 40)
             from runs in Gen.ArrayOf(Gen.Choose(1, 4))
             from seed in Gen.Choose(0, int.MaxValue)
             select new Interrupted(candidates, bystanders, percent, batchSize, runs, seed)).ToArbitrary();
    }

    [Property(MaxTest = 60, Arbitrary = new[] { typeof(InterruptedScenarios) })]
    public async Task RunAsync_InterruptedAfterRandomBatchesAndResumed_MovesEverySelectedInstallationExactlyOnceAndNoOther_M5(Interrupted s)
    {
        using var host = new VersioningHarness();
        using var otherHost = new VersioningHarness(clock: host.Clock, store: host.Store);
        var app = await host.NewIntegrationAsync();
        await host.AddVersionAsync(app, "1.1.0", promote: true);
        await host.AddVersionAsync(app, "1.2.0");
        var product = ProductRef.Of(app);
        var random = new Random(s.Seed);
        var candidates = await host.SeedAsync(product, K("1.0.0"), s.Candidates, random);
        var bystanders = (await host.SeedAsync(product, K("1.1.0"), s.Bystanders, random)).Concat(await host.SeedAsync(product, K("1.2.0"), s.Bystanders, random));
        var before = candidates.Concat(bystanders).ToDictionary(i => i.Id);
        var selected = candidates.Where(i => Cohort.IsSelected(i.Id, K("1.0.0"), K("1.1.0"), s.Percent)).Select(i => i.Id).ToHashSet();

        var job = await host.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.Percentage(s.Percent), Team, s.BatchSize);
        for (var run = 0; job.IsRunnable; run++)
        {
            // Alternate hosts: the checkpoint lives in the store, not in the service that ran the last batch.
            var migrations = run % 2 == 0 ? host.Migrations : otherHost.Migrations;
            int? batches = s.BatchesPerRun.Length == 0 ? null : s.BatchesPerRun[run % s.BatchesPerRun.Length];
            job = await migrations.RunAsync(job.Id, Team, batches);
        }

        Assert.Equal(MigrationState.Completed, job.State);
        Assert.Equal(selected.Count, job.Moved);
        Assert.Equal(s.Candidates, job.Scanned);
        Assert.Equal(s.Candidates / s.BatchSize + 1, job.Batches);
        var after = await host.AllInstallationsAsync(product);
        Assert.Equal(before.Count, after.Count);
        var moved = after.Values.Where(i => i.Pinned != before[i.Id].Pinned).Select(i => i.Id).ToHashSet();
        Assert.Equal(selected, moved);
        foreach (var (id, old) in before)
        {
            var now = after[id];
            if (selected.Contains(id))
            {
                Assert.Equal(K("1.1.0"), now.Pinned);
                Assert.Equal(old.Revision + 1, now.Revision);
                Assert.Equal(old.Settings, now.Settings);
                Assert.Equal(old, now with { Pinned = old.Pinned, Revision = old.Revision, UpdatedAt = old.UpdatedAt });
            }
            else
            {
                Assert.Equal(old, now);
            }
        }
    }
}
