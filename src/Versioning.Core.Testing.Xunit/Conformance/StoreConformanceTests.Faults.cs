using Versioning.Core.Authorization;
using NodaTime.Testing;
using Versioning.Core.Installations;
using Versioning.Core.Templates;
using Versioning.Core.Testing.Faults;
using Xunit;
using Versioning.Core.Services;

namespace Versioning.Core.Testing.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>
    /// Fault injection (X1, X4): a script of template commands runs with the N-th save failing before or after the store
    /// call, for every N. Afterwards the stored template is exactly the state after the last acknowledged save (fault
    /// before) or after the failed one (fault after) — never half: its revision, audit trail and events agree.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Fault_TemplateSaveFailsAtEveryPoint_StoredStateIsOldOrNewNeverHalf_X1_X4()
    {
        await using var stores = await CreateStoresAsync();
        const int Saves = 6;
        var checkedStates = 0;
        foreach (var phase in new[] { FaultPhase.Before, FaultPhase.After })
        {
            for (var failAt = 1; failAt <= Saves; failAt++)
            {
                var plan = new FaultPlan(failAt, phase);
                var service = new TemplateService(new FaultyTemplateRepository(stores.Templates, plan), stores.Installations, new DefaultAccessPolicy(), new FakeClock(T0), new VersioningOptions { MaxConflictRetries = 0 });
                var acknowledged = new List<TemplateSnapshot>();
                TemplateId? id = null;
                try
                {
                    var template = await service.CreateTemplateAsync("Faulty " + failAt, Actor);
                    id = template.Id;
                    acknowledged.Add(template.ToSnapshot());
                    acknowledged.Add((await Step(service.CreateDraftAsync(template.Id, Workflow(), Actor), service, template.Id)).ToSnapshot());
                    acknowledged.Add((await Step(service.SetNotesAsync(template.Id, R(1), Tricky, Actor), service, template.Id)).ToSnapshot());
                    acknowledged.Add((await Step(service.PromoteAsync(template.Id, R(1), Actor), service, template.Id)).ToSnapshot());
                    acknowledged.Add((await Step(service.CopyReleaseAsync(template.Id, R(1), null, Actor), service, template.Id)).ToSnapshot());
                    acknowledged.Add((await Step(service.PromoteAsync(template.Id, R(2), Actor), service, template.Id)).ToSnapshot());
                }
                catch (InjectedFaultException)
                {
                }

                Assert.True(plan.HasFired, $"the fault at save {failAt} did not strike");
                if (id is null)
                {
                    // The creating save failed: before means nothing exists; after means the template exists at revision 1.
                    Assert.Equal(phase == FaultPhase.After ? 1 : 0, (await stores.Templates.ListAsync()).Count(t => t.Name == "Faulty " + failAt));
                    checkedStates++;
                    continue;
                }

                var stored = (await stores.Templates.FindAsync(id.Value))!;
                var expectedRevision = acknowledged.Count + (phase == FaultPhase.After ? 1 : 0);
                Assert.Equal(expectedRevision, stored.Revision);
                if (phase == FaultPhase.Before)
                {
                    Assert.Equal(Describe(acknowledged[^1]), Describe(stored.ToSnapshot()));
                }

                var events = (await ReadAllEventsAsync(stores)).Where(e => e.AggregateId == id.Value.ToString()).ToList();
                Assert.Equal(stored.AuditTrail.Count, events.Count);
                Assert.Equal(stored.Revision, events.Select(e => e.AggregateRevision).Distinct().Count());
                Assert.True(stored.Releases.Count(r => r.State == ReleaseState.Live) <= 1);
                checkedStates++;
            }
        }

        Assert.Equal(2 * Saves, checkedStates);

        static async Task<Template> Step<T>(Task<T> command, TemplateService service, TemplateId id)
        {
            await command;
            return await service.GetTemplateAsync(id, Actor);
        }
    }

    /// <summary>
    /// Fault injection (M5): a migration whose N-th batch fails before or after the store call is resumed by a fresh runner
    /// that reloads the job; every selected installation is moved exactly once and no other, for every N.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Fault_MigrationBatchFailsAtEveryPoint_ResumeMovesEachSelectedExactlyOnce_M5()
    {
        await using var stores = await CreateStoresAsync();
        var from = VersionKey.ForVersion(new(4, 0, 0));
        var to = VersionKey.ForVersion(new(4, 1, 0));
        var back = false;
        var (product, installations) = await SeedAsync(stores, 24, from);
        for (var failAt = 1; failAt <= 5; failAt++)
        {
            foreach (var phase in new[] { FaultPhase.Before, FaultPhase.After })
            {
                var (source, target) = back ? (to, from) : (from, to);
                back = !back;
                var before = new Dictionary<InstallationId, Installation>();
                foreach (var i in installations)
                {
                    before[i.Id] = (await stores.Installations.FindAsync(i.Id))!;
                }

                var candidates = before.Values.Where(i => i.Pinned == source).ToList();
                var plan = new FaultPlan(failAt, phase);
                var faulty = new FaultyMigrationRepository(stores.Migrations, plan);
                var job = await stores.Migrations.SaveAsync(NewJob(product, source, target, MigrationScope.Percentage(60), 5, candidates.Count), []);
                try
                {
                    while (job.IsRunnable)
                    {
                        job = await faulty.RunBatchAsync(job, Actor, T0);
                    }
                }
                catch (InjectedFaultException)
                {
                }

                // Resume: a new runner knows only the job id.
                var resumed = (await (await ReopenAsync(stores)).Migrations.FindAsync(job.Id))!;
                while (resumed.IsRunnable)
                {
                    resumed = await stores.Migrations.RunBatchAsync(resumed, Actor, T0);
                }

                var expected = candidates.Where(i => Cohort.IsSelected(i.Id, source, target, 60)).Select(i => i.Id).ToHashSet();
                Assert.Equal(expected.Count, resumed.Moved);
                foreach (var (id, old) in before)
                {
                    var now = (await stores.Installations.FindAsync(id))!;
                    var moved = expected.Contains(id);
                    Assert.Equal(moved ? target : old.Pinned, now.Pinned);
                    Assert.Equal(old.Revision + (moved ? 1 : 0), now.Revision);
                }
            }
        }
    }
}
