using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Tests.Installations;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Reliability;

/// <summary>X10: conflicts are retried after a jittered exponential backoff, configurable and validated.</summary>
public sealed class ConflictBackoffTests
{
    [Fact]
    public void BackoffDelay_DoublesPerRetry_BetweenHalfAndWholeWindow_CappedAtMax_X10()
    {
        var baseDelay = TimeSpan.FromMilliseconds(5);
        var max = TimeSpan.FromSeconds(1);
        for (var retry = 0; retry < 40; retry++)
        {
            var window = Math.Min(5.0 * Math.Pow(2, retry), 1000.0);
            var low = CommandRunner.BackoffDelay(retry, baseDelay, max, 0);
            var high = CommandRunner.BackoffDelay(retry, baseDelay, max, 0.999999);
            Assert.Equal(window / 2, low.TotalMilliseconds, 3);
            Assert.InRange(high.TotalMilliseconds, window * 0.999, window);
        }

        Assert.Equal(TimeSpan.Zero, CommandRunner.BackoffDelay(5, TimeSpan.Zero, TimeSpan.Zero, 0.5));
    }

    [Fact]
    public void BackoffDelay_RandomHalf_SpreadsWritersApart_X10()
    {
        var random = new Random(42);
        var delays = Enumerable.Range(0, 32).Select(_ => CommandRunner.BackoffDelay(3, TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1), random.NextDouble())).ToList();
        Assert.True(delays.Distinct().Count() > 28, "32 colliding writers should mostly get different delays");
        Assert.All(delays, d => Assert.InRange(d.TotalMilliseconds, 20, 40));
    }

    [Fact]
    public void Options_Defaults_AreDocumentedValues_X10()
    {
        var options = new VersioningOptions();
        Assert.Equal(20, options.MaxConflictRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(5), options.ConflictRetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ConflictRetryMaxDelay);
        options.Validate();
    }

    [Theory]
    [InlineData(-1, 1000, "ConflictRetryBaseDelay")]
    [InlineData(10_001, 20_000, "ConflictRetryBaseDelay")]
    [InlineData(50, 10, "ConflictRetryMaxDelay")]
    [InlineData(5, 60_001, "ConflictRetryMaxDelay")]
    public void Options_BadBackoff_RefusedNamingTheOption_X10(int baseMs, int maxMs, string named)
    {
        var options = new VersioningOptions { ConflictRetryBaseDelay = TimeSpan.FromMilliseconds(baseMs), ConflictRetryMaxDelay = TimeSpan.FromMilliseconds(maxMs) };
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_ConflictingTwice_WaitsBeforeEachRetryThenSucceeds_X10()
    {
        var repository = new ConflictingTemplateRepository(new InMemoryTemplateRepository(new InMemoryStore()), conflicts: 2);
        var service = new TemplateService(repository, new InMemoryInstallationRepository(new InMemoryStore()), new Versioning.Core.Authorization.DefaultAccessPolicy(), new NodaTime.Testing.FakeClock(NodaTime.Instant.FromUtc(2026, 1, 1, 0, 0)),
            new VersioningOptions { ConflictRetryBaseDelay = TimeSpan.FromMilliseconds(40), ConflictRetryMaxDelay = TimeSpan.FromMilliseconds(40) });

        await service.CreateTemplateAsync("Backoff", VersioningHarness.Team);

        Assert.Equal(3, repository.Saves.Count);
        // Each retry waits at least half its window (20 ms here); a timer may fire a little early, so allow 5 ms.
        Assert.InRange((repository.Saves[1] - repository.Saves[0]).TotalMilliseconds, 15, double.MaxValue);
        Assert.InRange((repository.Saves[2] - repository.Saves[1]).TotalMilliseconds, 15, double.MaxValue);
    }

    private sealed class ConflictingTemplateRepository(ITemplateRepository inner, int conflicts) : ITemplateRepository
    {
        public List<DateTime> Saves { get; } = [];

        public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

        public Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default)
        {
            Saves.Add(DateTime.UtcNow);
            return Saves.Count <= conflicts
                ? throw new ConcurrencyConflictException("Template", templates[0].AggregateIdText, 0, 1)
                : inner.SaveAllAsync(templates, cancellationToken);
        }

        public Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
