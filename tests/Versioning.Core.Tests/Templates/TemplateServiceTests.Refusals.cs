using Versioning.Core.Installations;
using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

public partial class TemplateServiceTests
{
    public static TheoryData<string> RefusedServiceCommands() =>
    [
        "edit Live", "edit Deprecated", "promote Live", "promote Deprecated", "delete Live", "delete with installations",
        "run Deprecated", "install unpublished", "install without Live", "unknown release", "unknown destination",
        "null content", "over-long notes", "default actor", "blank new template name", "201-char new template name",
    ];

    [Theory]
    [MemberData(nameof(RefusedServiceCommands))]
    public async Task RefusedServiceCommand_StoreAndLoadedAggregateUnchanged_X1(string command)
    {
        var id = await _scenario.NewLineageAsync(published: command != "install unpublished");
        if (command == "install without Live")
        {
            id = await _scenario.NewTemplateAsync("No Live", published: true);
            await Service.CreateDraftAsync(id, null, Alice);
        }

        if (command == "delete with installations")
        {
            await Service.InstallAsync(id, Acme, Bob);
            await Service.PromoteAsync(id, R(3), Alice);
        }

        var before = await _scenario.CaptureAsync(id);
        var templateCount = (await Service.ListTemplatesAsync()).Count;
        Func<Task> act = command switch
        {
            "edit Live" => () => Service.EditContentAsync(id, R(2), Workflows.CrmToSlack(), Bob),
            "edit Deprecated" => () => Service.EditContentAsync(id, R(1), Workflows.CrmToSlack(), Bob),
            "promote Live" => () => Service.PromoteAsync(id, R(2), Bob),
            "promote Deprecated" => () => Service.PromoteAsync(id, R(1), Bob),
            "delete Live" => () => Service.DeleteReleaseAsync(id, R(2), Bob),
            "delete with installations" => () => Service.DeleteReleaseAsync(id, R(2), Bob),
            "run Deprecated" => () => Service.RunAsync(id, R(1), Bob),
            "install unpublished" => () => Service.InstallAsync(id, Acme, Bob),
            "install without Live" => () => Service.InstallAsync(id, Acme, Bob),
            "unknown release" => () => Service.SetNotesAsync(id, R(42), "x", Bob),
            "unknown destination" => () => Service.CopyReleaseAsync(id, R(2), TemplateId.New(), Bob),
            "null content" => () => Service.EditContentAsync(id, R(3), null!, Bob),
            "over-long notes" => () => Service.SetNotesAsync(id, R(3), new string('n', TemplateRelease.MaxNotesLength + 1), Bob),
            "default actor" => () => Service.CreateDraftAsync(id, null, default),
            "blank new template name" => () => Service.CopyReleaseToNewTemplateAsync(id, R(2), " ", Bob),
            "201-char new template name" => () => Service.CopyReleaseToNewTemplateAsync(id, R(2), new string('n', 201), Bob),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };

        var ex = await Record.ExceptionAsync(act);

        Assert.True(ex is VersioningRuleException or EntityNotFoundException or ArgumentException, $"unexpected {ex?.GetType().Name ?? "success"}");
        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
        Assert.Equal(templateCount, (await Service.ListTemplatesAsync()).Count);
        var reloaded = await _scenario.LoadAsync(id);
        Assert.Empty(reloaded.PendingEvents);
        Assert.Equal(before.Template.AuditTrail.Length, reloaded.AuditTrail.Count);
    }

    [Fact]
    public async Task RefusedCommands_InARow_NoEventAndNoRevisionWritten_X1()
    {
        var id = await _scenario.NewLineageAsync(published: false);
        var before = await _scenario.CaptureAsync(id);

        await TemplateAssert.RefusedAsync("T3", () => Service.EditContentAsync(id, R(2), Workflows.CrmToSlack(), Bob));
        await TemplateAssert.RefusedAsync("T7", () => Service.PromoteAsync(id, R(1), Bob));
        await TemplateAssert.RefusedAsync("T10", () => Service.DeleteReleaseAsync(id, R(2), Bob));
        await TemplateAssert.RefusedAsync("T11", () => Service.RunAsync(id, R(1), Bob));
        await TemplateAssert.RefusedAsync("T12", () => Service.InstallAsync(id, Acme, Bob));

        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
        Assert.Empty(await _scenario.Installations.CountByVersionAsync(ProductRef.Of(id)));
    }

    [Fact]
    public async Task NoOpCommands_SaveNothing_X1()
    {
        var id = await _scenario.NewLineageAsync();
        await Service.SetNotesAsync(id, R(3), "Same", Bob);
        var before = await _scenario.CaptureAsync(id);

        await Service.SetNotesAsync(id, R(3), "Same", Bob);
        await Service.PauseAsync(id, R(3), Bob);
        await Service.SetPublishedAsync(id, true, Bob);
        await Service.RenameAsync(id, "CRM sync", Bob);

        TemplateAssert.Unchanged(before, await _scenario.CaptureAsync(id));
    }
}
