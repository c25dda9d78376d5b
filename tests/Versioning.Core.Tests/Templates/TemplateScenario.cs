using Versioning.Core.Authorization;
using NodaTime.Testing;
using Versioning.Core.Content;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Testing;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.Templates;

/// <summary>The people who act in the template tests.</summary>
internal static class Actors
{
    public static readonly ActorId Alice = new("alice");
    public static readonly ActorId Bob = new("bob");
    public static readonly ActorId Carol = new("carol");
}

/// <summary>Workflow contents used across the template tests.</summary>
internal static class Workflows
{
    public static readonly ConnectorRef Salesforce = new("Salesforce", "2.1");
    public static readonly ConnectorRef HubSpot = new("HubSpot", "1.0");
    public static readonly ConnectorRef Slack = new("Slack", "3.0");

    /// <summary>Salesforce → Slack → Salesforce: two distinct connectors, the CRM used twice.</summary>
    public static WorkflowDefinition CrmToSlack() => new(
    [
        new Step("Find contact", Salesforce, "FindContact", [new("field", "email")]),
        new Step("Notify sales", Slack, "PostMessage", [new("channel", "#sales")]),
        new Step("Tag contact", Salesforce, "UpdateContact", [new("tag", "notified")]),
    ]);

    /// <summary>A one-step workflow whose operation names it, so different calls give different contents.</summary>
    public static WorkflowDefinition OneStep(string operation) => new([new Step(operation, Slack, operation)]);
}

/// <summary>
/// A <see cref="TemplateService"/> over fresh in-memory stores and a standing <see cref="FakeClock"/>, with the
/// stores exposed so tests can check what was (or was not) saved.
/// </summary>
internal sealed class TemplateScenario
{
    public static readonly Instant Start = Instant.FromUtc(2025, 3, 1, 9, 0);

    public TemplateScenario(VersioningOptions? options = null, Func<ITemplateRepository, ITemplateRepository>? decorate = null)
    {
        Options = options ?? new VersioningOptions();
        Repository = new InMemoryTemplateRepository(Store);
        Installations = new InMemoryInstallationRepository(Store);
        Events = new InMemoryEventReader(Store);
        Service = new TemplateService(decorate is null ? Repository : decorate(Repository), Installations, Colleagues, Clock, Options);
        Rival = new TemplateService(Repository, Installations, Colleagues, Clock, Options);
    }

    /// <summary>
    /// The host of the template tests: Alice, Bob and Carol work together, so each may change the others' templates, as
    /// a host's own access policy may decide (X7); everyone else gets the default policy.
    /// </summary>
    public static IAccessPolicy Colleagues { get; } = new ColleaguesPolicy();

    public FakeClock Clock { get; } = new(Start);

    public InMemoryStore Store { get; } = new();

    public InMemoryTemplateRepository Repository { get; }

    public InMemoryInstallationRepository Installations { get; }

    public InMemoryEventReader Events { get; }

    public VersioningOptions Options { get; }

    public TemplateService Service { get; }

    /// <summary>A second service over the same stores, never decorated: another user acting concurrently.</summary>
    public TemplateService Rival { get; }

    public async Task<TemplateId> NewTemplateAsync(string name = "CRM sync", bool published = false)
    {
        var template = await Service.CreateTemplateAsync(name, Actors.Alice);
        if (published)
        {
            await Service.SetPublishedAsync(template.Id, true, Actors.Alice);
        }

        return template.Id;
    }

    /// <summary>A published template with release 1 Deprecated, 2 Live and 3 Draft.</summary>
    public async Task<TemplateId> NewLineageAsync(bool published = true)
    {
        var id = await NewTemplateAsync(published: published);
        await Service.CreateDraftAsync(id, Workflows.OneStep("V1"), Actors.Alice);
        await Service.CreateDraftAsync(id, Workflows.OneStep("V2"), Actors.Alice);
        await Service.CreateDraftAsync(id, Workflows.OneStep("V3"), Actors.Alice);
        await Service.PromoteAsync(id, R(1), Actors.Alice);
        await Service.PromoteAsync(id, R(2), Actors.Alice);
        return id;
    }

    /// <summary>Reads the template as stored now (a fresh copy).</summary>
    public async Task<Template> LoadAsync(TemplateId id)
        => await Repository.FindAsync(id) ?? throw new InvalidOperationException($"Template {id} is not stored.");

    public async Task<IReadOnlyList<Installation>> InstallationsOfAsync(TemplateId id)
        => await Installations.ListAsync(ProductRef.Of(id), null, 10_000);

    /// <summary>Everything the stores hold about a template, to compare before and after a refused command (X1).</summary>
    public async Task<StoredState> CaptureAsync(TemplateId id)
        => new((await LoadAsync(id)).ToSnapshot(), await Events.ReadAsync(0, 10_000), await InstallationsOfAsync(id));
}

/// <summary>The default policy, plus: Alice, Bob and Carol may change any template one of them is on the team of.</summary>
internal sealed class ColleaguesPolicy : IAccessPolicy
{
    private static readonly DefaultAccessPolicy Default = new();
    private static readonly ActorId[] Names = [Actors.Alice, Actors.Bob, Actors.Carol];

    public bool CanChange(ActorId actor, string command, AccessTarget target)
        => Default.CanChange(actor, command, target)
           || (target.Kind == AccessTargetKind.Template && Names.Contains(actor) && Names.Any(target.Team.Contains));
}

/// <summary>What the stores hold about one template at a moment, and every event stored so far.</summary>
internal sealed record StoredState(TemplateSnapshot Template, IReadOnlyList<DomainEvent> Events, IReadOnlyList<Installation> Installations);

/// <summary>Assertions shared by the template tests.</summary>
internal static class TemplateAssert
{
    /// <summary>Asserts that two snapshots hold the same state, field by field and item by item.</summary>
    /// <remarks>
    /// <see cref="TemplateSnapshot"/> is a record, but its <c>ImmutableArray</c> fields compare by array reference,
    /// so two snapshots of one unchanged template are not <c>Equals</c>; the arrays are compared item by item instead.
    /// </remarks>
    public static void SameState(TemplateSnapshot expected, TemplateSnapshot actual)
    {
        Assert.Equal(expected with { Releases = [], AuditTrail = [] }, actual with { Releases = [], AuditTrail = [] });
        Assert.Equal(expected.Releases.ToArray(), actual.Releases.ToArray());
        Assert.Equal(expected.AuditTrail.ToArray(), actual.AuditTrail.ToArray());
    }

    /// <summary>Asserts that the stores hold exactly what they held before: template, revision, events, installations.</summary>
    public static void Unchanged(StoredState before, StoredState after)
    {
        SameState(before.Template, after.Template);
        Assert.Equal(before.Template.Revision, after.Template.Revision);
        Assert.Equal(before.Events.Count, after.Events.Count);
        Assert.Equal(before.Events.ToArray(), after.Events.ToArray());
        Assert.Equal(before.Installations.ToArray(), after.Installations.ToArray());
    }

    /// <summary>Asserts <paramref name="act"/> is refused by rule <paramref name="ruleId"/> and returns the exception.</summary>
    public static VersioningRuleException Refused(string ruleId, Action act)
    {
        var ex = Assert.Throws<VersioningRuleException>(act);
        Assert.Equal(ruleId, ex.RuleId);
        return ex;
    }

    /// <summary>Asserts <paramref name="act"/> is refused by rule <paramref name="ruleId"/> and returns the exception.</summary>
    public static async Task<VersioningRuleException> RefusedAsync(string ruleId, Func<Task> act)
    {
        var ex = await Assert.ThrowsAsync<VersioningRuleException>(act);
        Assert.Equal(ruleId, ex.RuleId);
        return ex;
    }
}
