using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Authorization;
using Versioning.Core.Diagnostics;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Diagnostics;

/// <summary>Tag names from one constants class on activities and metrics, the duration histogram, every failure marked.</summary>
[Collection("Diagnostics")]
public class TelemetryTests
{
    private static readonly ActorId Team = new("team");

    private static TemplateService Service(ITemplateRepository? templates = null, int retries = 20)
    {
        var store = new InMemoryStore();
        return new TemplateService(templates ?? new InMemoryTemplateRepository(store), new InMemoryInstallationRepository(store), new DefaultAccessPolicy(), FakeClock.FromUtc(2026, 1, 1), new VersioningOptions { MaxConflictRetries = retries, ConflictRetryBaseDelay = TimeSpan.Zero });
    }

    [Fact]
    public void TagNames_AreNamespacedConstants()
    {
        var names = typeof(VersioningTelemetryTags).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Contains("versioning.command", names);
        Assert.All(names, n => Assert.True(n.StartsWith("versioning.", StringComparison.Ordinal) || n == "error.type", n));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public async Task Refusal_ActivityAndMeasurementsCarryTheSameCommandAndRuleTags()
    {
        using var recorder = new DiagnosticsRecorder(nameof(Refusal_ActivityAndMeasurementsCarryTheSameCommandAndRuleTags));
        var service = Service();
        var template = await service.CreateTemplateAsync("Observed", Team);
        var draft = await service.CreateDraftAsync(template.Id, null, Team);
        await service.PromoteAsync(template.Id, draft.Number, Team);
        await Assert.ThrowsAsync<VersioningRuleException>(() => service.EditContentAsync(template.Id, draft.Number, Content.WorkflowDefinition.Empty, Team));

        var activity = Assert.Single(recorder.Activities, a => a.OperationName == "EditContent");
        Assert.Equal("EditContent", activity.GetTagItem(VersioningTelemetryTags.Command));
        Assert.Equal("T3", activity.GetTagItem(VersioningTelemetryTags.Rule));
        var refusal = Assert.Single(recorder.Tagged, m => m.Instrument.Name == "versioning.refusals");
        Assert.Equal("EditContent", refusal.Tags[VersioningTelemetryTags.Command]);
        Assert.Equal("T3", refusal.Tags[VersioningTelemetryTags.Rule]);
    }

    [Fact]
    public async Task CommandDuration_IsAHistogramInSeconds_TaggedWithCommand_AndErrorTypeOnFailure()
    {
        using var recorder = new DiagnosticsRecorder(nameof(CommandDuration_IsAHistogramInSeconds_TaggedWithCommand_AndErrorTypeOnFailure));
        var service = Service();
        var template = await service.CreateTemplateAsync("Timed", Team);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => service.CreateDraftAsync(TemplateId.New(), null, Team));

        var durations = recorder.Tagged.Where(m => m.Instrument.Name == "versioning.command.duration").ToList();
        Assert.All(durations, d => Assert.Equal("s", d.Instrument.Unit));
        Assert.All(durations, d => Assert.IsType<Histogram<double>>(d.Instrument));
        var created = Assert.Single(durations, d => (string?)d.Tags[VersioningTelemetryTags.Command] == "CreateTemplate");
        Assert.False(created.Tags.ContainsKey(VersioningTelemetryTags.ErrorType));
        Assert.InRange(created.Value, 0, 60);
        var failed = Assert.Single(durations, d => (string?)d.Tags[VersioningTelemetryTags.Command] == "CreateDraft");
        Assert.Equal(typeof(EntityNotFoundException).FullName, failed.Tags[VersioningTelemetryTags.ErrorType]);
    }

    [Fact]
    public async Task EveryFailure_IsMarkedOnTheActivity_WithStatusErrorErrorTypeAndAnExceptionEvent()
    {
        using var recorder = new DiagnosticsRecorder(nameof(EveryFailure_IsMarkedOnTheActivity_WithStatusErrorErrorTypeAndAnExceptionEvent));
        var store = new InMemoryStore();
        var service = Service();
        var template = await service.CreateTemplateAsync("Failing", Team);
        var draft = await service.CreateDraftAsync(template.Id, null, Team);
        await service.PromoteAsync(template.Id, draft.Number, Team);

        // A rule refusal, a missing template, an access denial and a conflict that outlasts the retries.
        await Assert.ThrowsAsync<VersioningRuleException>(() => service.EditContentAsync(template.Id, draft.Number, Content.WorkflowDefinition.Empty, Team));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => service.AddTeamMemberAsync(TemplateId.New(), new ActorId("m"), Team));
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => service.AddTeamMemberAsync(template.Id, new ActorId("m"), new ActorId("outsider")));
        var conflicting = Service(new AlwaysConflictingTemplateRepository(new InMemoryTemplateRepository(store)), retries: 2);
        var other = await conflicting.CreateTemplateAsync("Contended", Team);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => conflicting.RenameAsync(other.Id, "Renamed", Team));

        var expected = new Dictionary<string, Type>
        {
            ["EditContent"] = typeof(VersioningRuleException),
            ["AddTemplateTeamMember"] = typeof(EntityNotFoundException),
            ["RenameTemplate"] = typeof(ConcurrencyConflictException),
        };
        var failed = recorder.Activities.Where(a => a.Status == ActivityStatusCode.Error).ToList();
        Assert.Equal(4, failed.Count);
        Assert.All(failed, a =>
        {
            var type = (string?)a.GetTagItem(VersioningTelemetryTags.ErrorType);
            Assert.NotNull(type);
            var exception = Assert.Single(a.Events, e => e.Name == "exception");
            Assert.Equal(type, exception.Tags.Single(t => t.Key == "exception.type").Value);
            Assert.Contains(exception.Tags, t => t.Key == "exception.message");
            Assert.False(string.IsNullOrEmpty(a.StatusDescription));
        });
        Assert.Contains(failed, a => a.OperationName == "AddTemplateTeamMember" && (string?)a.GetTagItem(VersioningTelemetryTags.ErrorType) == typeof(VersioningAccessDeniedException).FullName && (string?)a.GetTagItem(VersioningTelemetryTags.Rule) == "X7");
        foreach (var (command, type) in expected)
        {
            Assert.Contains(failed, a => a.OperationName == command && (string?)a.GetTagItem(VersioningTelemetryTags.ErrorType) == type.FullName);
        }

        var renamed = Assert.Single(failed, a => a.OperationName == "RenameTemplate");
        Assert.Equal(2, renamed.GetTagItem(VersioningTelemetryTags.Retries));
        Assert.DoesNotContain(recorder.Activities, a => a.OperationName == "CreateTemplate" && a.Status == ActivityStatusCode.Error);
    }

    [Fact]
    public async Task FailedMigrationRun_IsMarkedOnTheRunMigrationActivity()
    {
        using var recorder = new DiagnosticsRecorder(nameof(FailedMigrationRun_IsMarkedOnTheRunMigrationActivity));
        var services = new ServiceCollection();
        services.AddVersioning();
        await using var provider = services.BuildServiceProvider();
        var missing = MigrationId.New();
        await Assert.ThrowsAsync<EntityNotFoundException>(() => provider.GetRequiredService<MigrationService>().RunAsync(missing, Team));

        var run = Assert.Single(recorder.Activities, a => a.OperationName == "RunMigration");
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Equal(typeof(EntityNotFoundException).FullName, run.GetTagItem(VersioningTelemetryTags.ErrorType));
        Assert.Equal(missing.ToString(), run.GetTagItem(VersioningTelemetryTags.MigrationId));
        Assert.Single(run.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task WithAMeterFactoryInTheContainer_ServicesRecordOnTheFactorysMeter()
    {
        var services = new ServiceCollection().AddMetrics();
        services.AddVersioning();
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(string Instrument, string Meter, object? Command)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Keep(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            object? command = null;
            foreach (var tag in tags)
            {
                command = tag.Key == VersioningTelemetryTags.Command ? tag.Value : command;
            }

            seen.Enqueue((instrument.Name, instrument.Meter.Name, command));
        }

        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Keep(instrument, tags));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Keep(instrument, tags));
        listener.Start();

        var service = provider.GetRequiredService<TemplateService>();
        var template = await service.CreateTemplateAsync("Metered", Team);
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => service.RenameAsync(template.Id, "Taken", new ActorId("outsider")));

        Assert.Contains(("versioning.commands", VersioningDiagnostics.Name, (object?)"CreateTemplate"), seen);
        Assert.Contains(("versioning.command.duration", VersioningDiagnostics.Name, (object?)"CreateTemplate"), seen);
        Assert.Contains(("versioning.refusals", VersioningDiagnostics.Name, (object?)"RenameTemplate"), seen);
        Assert.NotSame(VersioningDiagnostics.Meter, factory.Create(new MeterOptions(VersioningDiagnostics.Name) { Version = VersioningDiagnostics.Version }));
    }

    /// <summary>Every update save conflicts (creation goes through).</summary>
    internal sealed class AlwaysConflictingTemplateRepository(ITemplateRepository inner) : ITemplateRepository
    {
        public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

        public Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default)
            => templates[0].Revision > 0
                ? throw new ConcurrencyConflictException("Template", templates[0].AggregateIdText, templates[0].Revision, templates[0].Revision + 1)
                : inner.SaveAllAsync(templates, cancellationToken);

        public Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
