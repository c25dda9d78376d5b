using NodaTime.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Diagnostics;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Diagnostics;

/// <summary>The ActivitySource and Meter named Versioning.Core report commands, refusals, conflicts and retries.</summary>
[Collection("Diagnostics")]
public class DiagnosticsTests
{
    [Fact]
    public async Task Commands_EmitActivitiesAndCounters_IncludingRefusalsConflictsAndRetries()
    {
        using var recorder = new DiagnosticsRecorder(nameof(Commands_EmitActivitiesAndCounters_IncludingRefusalsConflictsAndRetries));
        var activities = recorder.Activities;
        var measurements = recorder.Measurements;

        var store = new InMemoryStore();
        var flaky = new ConflictOnceTemplateRepository(new InMemoryTemplateRepository(store));
        var service = new TemplateService(flaky, new InMemoryInstallationRepository(store), new Versioning.Core.Authorization.DefaultAccessPolicy(), FakeClock.FromUtc(2026, 1, 1), new VersioningOptions());
        var actor = new ActorId("observer");
        var template = await service.CreateTemplateAsync("Observed", actor);
        var draft = await service.CreateDraftAsync(template.Id, null, actor);
        await service.PromoteAsync(template.Id, draft.Number, actor);
        await Assert.ThrowsAsync<VersioningRuleException>(() => service.EditContentAsync(template.Id, draft.Number, Content.WorkflowDefinition.Empty, actor));

        Assert.Contains(activities, a => a.OperationName == "PromoteRelease" && a.Status != ActivityStatusCode.Error);
        var refused = Assert.Single(activities, a => a.OperationName == "EditContent");
        Assert.Equal(ActivityStatusCode.Error, refused.Status);
        Assert.Equal("T3", refused.GetTagItem("versioning.rule"));
        Assert.True(measurements.GetValueOrDefault("versioning.commands") >= 3);
        Assert.True(measurements.GetValueOrDefault("versioning.refusals") >= 1);
        Assert.True(measurements.GetValueOrDefault("versioning.conflicts") >= 1);
        Assert.True(measurements.GetValueOrDefault("versioning.retries") >= 1);
    }

    /// <summary>Throws one <see cref="ConcurrencyConflictException"/> on the first update save, then delegates.</summary>
    private sealed class ConflictOnceTemplateRepository(ITemplateRepository inner) : ITemplateRepository
    {
        private int _saves;

        public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

        public Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default)
            => Interlocked.Increment(ref _saves) == 2
                ? throw new ConcurrencyConflictException("Template", templates[0].AggregateIdText, templates[0].Revision, templates[0].Revision + 1)
                : inner.SaveAllAsync(templates, cancellationToken);

        public Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
