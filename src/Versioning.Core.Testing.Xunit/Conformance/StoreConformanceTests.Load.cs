using NodaTime.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Versioning.Core.Auditing;
using Versioning.Core.Authorization;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Xunit;
using Versioning.Core.Services;
using Versioning.Core.Aggregates;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>How long the load test runs.</summary>
    protected virtual TimeSpan LoadDuration => TimeSpan.FromSeconds(2);

    /// <summary>Writes a line of test output (figures of the load test). Override to route it to xunit's ITestOutputHelper.</summary>
    /// <param name="line">The line.</param>
    protected virtual void Log(string line) => Console.WriteLine(line);

    /// <summary>
    /// Concurrency under load (X3, X4): parallel workers run mixed random commands on a handful of templates and
    /// integrations for a bounded time. Afterwards every invariant holds, every acknowledged command is reflected exactly
    /// once, the outbox holds exactly one event per audit entry, and every failure was a ConcurrencyConflictException.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Concurrency_MixedCommandsUnderLoad_InvariantsHoldAndEveryAcknowledgedChangeIsStoredOnce_X3_X4()
    {
        await using var stores = await CreateStoresAsync();
        var options = new VersioningOptions { MaxConflictRetries = 3, SequentialVersionNumbers = false };
        var clock = new FakeClock(T0);
        var templates = new TemplateService(stores.Templates, stores.Installations, new DefaultAccessPolicy(), clock, options);
        var integrations = new IntegrationService(stores.Integrations, stores.Installations, [new ReleaseNotesPresentCheck()], new DefaultAccessPolicy(), clock, options);
        var templateIds = new List<TemplateId>();
        var integrationIds = new List<IntegrationId>();
        for (var i = 0; i < 3; i++)
        {
            templateIds.Add((await templates.CreateTemplateAsync($"Load {i}", Actor)).Id);
            integrationIds.Add((await integrations.CreateIntegrationAsync($"Load {i}", Actor)).Id);
        }

        var acknowledged = new ConcurrentDictionary<string, int>();
        var unexpected = new ConcurrentBag<Exception>();
        var conflicts = 0;
        var refusals = 0;
        var versionCounter = 0;
        var stopwatch = Stopwatch.StartNew();
        var deadline = stopwatch.Elapsed + LoadDuration;
        var workers = Enumerable.Range(0, ConcurrentWriters).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            while (stopwatch.Elapsed < deadline)
            {
                var t = templateIds[random.Next(templateIds.Count)];
                var g = integrationIds[random.Next(integrationIds.Count)];
                var op = random.Next(6);
                try
                {
                    switch (op)
                    {
                        case 0:
                            await templates.CreateDraftAsync(t, null, Actor);
                            Ack("ReleaseCreated");
                            break;
                        case 1:
                            var template = await templates.GetTemplateAsync(t, Actor);
                            var draft = template.Releases.FirstOrDefault(r => r.State == ReleaseState.Draft);
                            if (draft is not null)
                            {
                                await templates.PromoteAsync(t, draft.Number, Actor);
                                Ack("Promoted");
                            }

                            break;
                        case 2:
                            var releases = (await templates.GetTemplateAsync(t, Actor)).Releases;
                            var any = releases.Count == 0 ? null : releases[^1];
                            if (any is not null)
                            {
                                await templates.SetNotesAsync(t, any.Number, $"notes {Guid.NewGuid()}", Actor);
                                Ack("NotesChanged");
                            }

                            break;
                        case 3:
                            var number = new VersionNumber(1, Interlocked.Increment(ref versionCounter) % 1000, w);
                            await integrations.CreateVersionAsync(g, number, null, Actor);
                            Ack("ReleaseCreated");
                            break;
                        default:
                            var integration = await integrations.GetIntegrationAsync(g, Actor);
                            var candidate = integration.Versions.LastOrDefault(v => v.StoredState == VersionState.Private);
                            if (candidate is not null)
                            {
                                await integrations.SetNotesAsync(g, candidate.Number, $"notes {Guid.NewGuid()}", Actor);
                                Ack("NotesChanged");
                                await integrations.PromoteAsync(g, candidate.Number, Actor);
                                Ack("Promoted");
                            }

                            break;
                    }
                }
                catch (ConcurrencyConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
                catch (VersioningRuleException)
                {
                    // Another worker changed the state first (promoted the same draft, took the number): a refusal, not a loss.
                    Interlocked.Increment(ref refusals);
                }
                catch (Exception ex)
                {
                    unexpected.Add(ex);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = stopwatch.Elapsed.TotalSeconds;

        Assert.Empty(unexpected);
        var events = await ReadAllEventsAsync(stores);
        var stored = new Dictionary<string, int>();
        foreach (var id in templateIds)
        {
            var template = (await stores.Templates.FindAsync(id))!;
            Assert.True(template.Releases.Count(r => r.State == ReleaseState.Live) <= 1);
            Assert.Equal(template.Releases.Select(r => r.Number).Distinct().Count(), template.Releases.Count);
            CheckTrail(template, events, stored);
        }

        foreach (var id in integrationIds)
        {
            var integration = (await stores.Integrations.FindAsync(id))!;
            Assert.True(integration.Versions.Count(v => v.StoredState == VersionState.Promoted) == (integration.HasPromoted ? 1 : 0));
            CheckTrail(integration, events, stored);
        }

        foreach (var kind in new[] { "ReleaseCreated", "Promoted", "NotesChanged" })
        {
            Assert.Equal(acknowledged.GetValueOrDefault(kind), stored.GetValueOrDefault(kind));
        }

        var commands = acknowledged.Values.Sum();
        Log(string.Create(CultureInfo.InvariantCulture,
            $"{GetType().Name}: {ConcurrentWriters} workers, {seconds:F1} s: {commands} acknowledged commands ({commands / seconds:F0}/s), {conflicts} conflicts escaped after retries ({conflicts / seconds:F1}/s), {refusals} rule refusals, {events.Count} events."));
        Assert.True(commands > 0);

        void Ack(string kind) => acknowledged.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    private static void CheckTrail(AggregateRoot aggregate, List<Events.DomainEvent> events, Dictionary<string, int> stored)
    {
        var own = events.Where(e => e.AggregateId == aggregate.AggregateIdText).ToList();
        Assert.Equal(aggregate.AuditTrail.Count, own.Count);
        Assert.Equal(aggregate.AuditTrail.Select(a => a.Action.ToString()), own.Select(e => e.Type));
        Assert.Equal(aggregate.Revision, own.Select(e => e.AggregateRevision).Distinct().Count());
        foreach (var entry in aggregate.AuditTrail.Where(a => a.Action is AuditAction.ReleaseCreated or AuditAction.Promoted or AuditAction.NotesChanged))
        {
            var key = entry.Action.ToString();
            stored[key] = stored.GetValueOrDefault(key) + 1;
        }
    }
}
