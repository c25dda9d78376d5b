using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime.Testing;
using Versioning.Core.Authorization;
using Versioning.Core.Content;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Tests.Shared;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Diagnostics;

/// <summary>What an operator reads: retries, escaped conflicts, refusals (debug), migration batches and completion.</summary>
public class LoggingTests
{
    private static readonly ActorId Team = new("team");

    private static ServiceProvider Provider(LogCapture capture, Action<IServiceCollection>? before = null, Action<VersioningOptions>? configure = null)
    {
        var services = new ServiceCollection().AddSingleton<IClock>(FakeClock.FromUtc(2026, 1, 1));
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        before?.Invoke(services);
        services.AddVersioning(configure);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task ConflictRetry_IsLoggedAtInformation_AndAnEscapedConflictAtWarningWithTheException()
    {
        var capture = new LogCapture();
        using var provider = Provider(
            capture,
            s => s.AddSingleton<ITemplateRepository>(sp => new TelemetryTests.AlwaysConflictingTemplateRepository(new InMemoryTemplateRepository(sp.GetRequiredService<InMemoryStore>()))),
            o => (o.MaxConflictRetries, o.ConflictRetryBaseDelay) = (2, TimeSpan.Zero));
        var service = provider.GetRequiredService<TemplateService>();
        var template = await service.CreateTemplateAsync("Contended", Team);
        var thrown = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => service.RenameAsync(template.Id, "Renamed", Team));

        var retries = capture.WithId(1001);
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r => Assert.Equal(LogLevel.Information, r.Level));
        Assert.All(retries, r => Assert.Equal("CommandRetrying", r.EventId.Name));
        Assert.All(retries, r => Assert.Equal(typeof(TemplateService).FullName, r.Category));
        Assert.Equal([1, 2], retries.Select(r => (int)r.State["Retry"]!));
        Assert.StartsWith("RenameTemplate met a concurrency conflict; retry 1 of 2", retries[0].Message, StringComparison.Ordinal);
        var escaped = Assert.Single(capture.WithId(1002));
        Assert.Equal(LogLevel.Warning, escaped.Level);
        Assert.Same(thrown, escaped.Exception);
        Assert.Equal("RenameTemplate", escaped.State["Command"]);
    }

    [Fact]
    public async Task Refusal_IsLoggedAtDebugWithItsRule()
    {
        var capture = new LogCapture();
        using var provider = Provider(capture);
        var service = provider.GetRequiredService<TemplateService>();
        var template = await service.CreateTemplateAsync("Refusing", Team);
        var draft = await service.CreateDraftAsync(template.Id, null, Team);
        await service.PromoteAsync(template.Id, draft.Number, Team);
        await Assert.ThrowsAsync<VersioningRuleException>(() => service.EditContentAsync(template.Id, draft.Number, WorkflowDefinition.Empty, Team));
        await Assert.ThrowsAsync<VersioningAccessDeniedException>(() => service.RenameAsync(template.Id, "Taken", new ActorId("outsider")));

        var refused = Assert.Single(capture.WithId(1003));
        Assert.Equal(LogLevel.Debug, refused.Level);
        Assert.Equal("T3", refused.State["RuleId"]);
        Assert.Equal("EditContent", refused.State["Command"]);
        var denied = Assert.Single(capture.WithId(1004));
        Assert.Equal(LogLevel.Debug, denied.Level);
        Assert.Equal("RenameTemplate", denied.State["Command"]);
        Assert.DoesNotContain(capture.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Migration_LogsEveryBatchAndItsCompletion()
    {
        var capture = new LogCapture();
        using var provider = Provider(capture);
        var integrations = provider.GetRequiredService<IntegrationService>();
        var migrations = provider.GetRequiredService<MigrationService>();
        var content = new WorkflowDefinition([new Step("s", new ConnectorRef("Crm", "1"), "Create")]);
        var app = await integrations.CreateIntegrationAsync("App", Team);
        await integrations.CreateVersionAsync(app.Id, VersionNumber.Parse("1.0.0"), content, Team);
        await integrations.SetNotesAsync(app.Id, VersionNumber.Parse("1.0.0"), "first", Team);
        await integrations.PromoteAsync(app.Id, VersionNumber.Parse("1.0.0"), Team);
        for (var i = 0; i < 5; i++)
        {
            await integrations.InstallAsync(app.Id, OwnerRef.User($"u{i}"), new ActorId($"u{i}"));
        }

        await integrations.CloneVersionAsync(app.Id, VersionNumber.Parse("1.0.0"), VersionNumber.Parse("1.1.0"), Team);
        await integrations.SetNotesAsync(app.Id, VersionNumber.Parse("1.1.0"), "second", Team);
        await integrations.PromoteAsync(app.Id, VersionNumber.Parse("1.1.0"), Team);
        var job = await migrations.StartMigrationAsync(app.Id, VersionNumber.Parse("1.0.0"), VersionNumber.Parse("1.1.0"), MigrationScope.All, Team, batchSize: 2);
        job = await migrations.RunAsync(job.Id, Team);

        var batches = capture.WithId(1010);
        Assert.Equal(job.Batches, batches.Count);
        Assert.All(batches, b => Assert.Equal(LogLevel.Information, b.Level));
        Assert.All(batches, b => Assert.Equal(job.Id.ToString(), b.State["MigrationId"]));
        Assert.Equal(5L, batches[^1].State["Moved"]);
        var completed = Assert.Single(capture.WithId(1011));
        Assert.Equal(LogLevel.Information, completed.Level);
        Assert.Equal(5L, completed.State["Moved"]);
        Assert.Contains("1.1.0", completed.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(MigrationService).FullName, completed.Category);
    }

    [Fact]
    public void LogEvents_AreDocumentedWithStableIdsNamesAndLevels()
        => LogEventDoc.AssertDocumented(typeof(VersioningOptions).Assembly, 1000, 1999);
}
