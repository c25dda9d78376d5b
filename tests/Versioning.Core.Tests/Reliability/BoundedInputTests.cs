using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Tests.Installations;
using Versioning.Core.Services;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Reliability;

/// <summary>X11: content and settings have configurable size limits; identity strings refuse invisible characters.</summary>
public sealed class BoundedInputTests
{
    /// <summary>Content of about <paramref name="bytes"/> bytes as stored: one step with one long setting value per 9 000 bytes.</summary>
    private static WorkflowDefinition ContentOf(int bytes)
        => new(Enumerable.Range(0, (bytes / 9_000) + 1).Select(i => new Step($"s{i}", new ConnectorRef("Crm", "1"), "Op", [new("k", new string('x', 9_000))])));

    [Fact]
    public async Task ContentOverMaxContentBytes_RefusedNamingContentAndOption_NothingSaved_X11()
    {
        using var h = new VersioningHarness(o => o.MaxContentBytes = 64 << 10);
        var app = await h.NewIntegrationAsync();
        var template = (await h.Templates.CreateTemplateAsync("Bounded", Team)).Id;
        var draft = await h.Templates.CreateDraftAsync(template, ContentOf(50_000), Team);
        await h.Integrations.CreateVersionAsync(app, V("1.1.0"), ContentOf(50_000), Team);
        var events = h.Store.EventCount;
        var big = ContentOf(70_000);

        foreach (var refused in new Func<Task>[]
        {
            () => h.Templates.CreateDraftAsync(template, big, Team),
            () => h.Templates.EditContentAsync(template, draft.Number, big, Team),
            () => h.Integrations.CreateVersionAsync(app, V("1.2.0"), big, Team),
            () => h.Integrations.EditContentAsync(app, V("1.1.0"), big, Team),
        })
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(refused);
            Assert.Equal("content", ex.ParamName);
            Assert.Contains("MaxContentBytes", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(events, h.Store.EventCount);
        Assert.Single((await h.Templates.GetTemplateAsync(template, Team)).Releases);
        Assert.Equal(2, (await h.Integrations.GetIntegrationAsync(app, Team)).Versions.Count);
    }

    [Fact]
    public async Task SwapConnector_ToALongerNamePastMaxContentBytes_RefusedNamingReplacement_NothingSaved_X11()
    {
        using var h = new VersioningHarness(o => o.MaxContentBytes = 64 << 10);
        var template = (await h.Templates.CreateTemplateAsync("Bounded swap", Team)).Id;
        // 300 steps on "Crm" take about 46 KB as stored; a 100-character name adds about 29 KB.
        var steps = Enumerable.Range(0, 300).Select(i => new Step($"s{i}", new ConnectorRef("Crm", "1"), "Op", [new("k", new string('x', 60))]));
        var draft = await h.Templates.CreateDraftAsync(template, new WorkflowDefinition(steps), Team);
        var events = h.Store.EventCount;

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => h.Templates.SwapConnectorAsync(template, draft.Number, "Crm", new ConnectorRef(new string('C', 100), "1"), Team));

        Assert.Equal("replacement", ex.ParamName);
        Assert.Contains("MaxContentBytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(events, h.Store.EventCount);
        var stored = (await h.Templates.GetTemplateAsync(template, Team)).GetRelease(draft.Number);
        Assert.True(stored.Content.UsesConnector("Crm"));
        Assert.Equal(draft.Content, stored.Content);
        // A swap that stays within the limit still goes through.
        var swapped = await h.Templates.SwapConnectorAsync(template, draft.Number, "Crm", new ConnectorRef("Erp", "2"), Team);
        Assert.True(swapped.Content.UsesConnector("Erp"));
    }

    [Fact]
    public async Task DefaultContentLimit_OneMebibyte_AThousandStepsOfTenKilobyteSettingsRefused_X11()
    {
        using var h = new VersioningHarness();
        var template = (await h.Templates.CreateTemplateAsync("Issue example", Team)).Id;
        var huge = new WorkflowDefinition(Enumerable.Range(0, 1_000).Select(i => new Step($"s{i}", new ConnectorRef("Crm", "1"), "Op", [new("k", new string('x', 10_000))])));

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => h.Templates.CreateDraftAsync(template, huge, Team));

        Assert.Contains("limit is 1048576", ex.Message, StringComparison.Ordinal);
        Assert.Empty((await h.Templates.GetTemplateAsync(template, Team)).Releases);
    }

    [Fact]
    public async Task SettingsOverAnyLimit_RefusedNamingSettingsAndOption_NothingSaved_X11()
    {
        using var h = new VersioningHarness(o =>
        {
            o.MaxInstallationSettings = 3;
            o.MaxSettingKeyLength = 10;
            o.MaxSettingValueLength = 2_000;
            o.MaxSettingsBytes = 4_096;
        });
        var app = await h.NewIntegrationAsync();
        var installation = await h.InstallAsync(app, OwnerRef.User("alice"), settings: [new("a", "1")]);
        var events = h.Store.EventCount;

        var cases = new (KeyValuePair<string, string>[] Settings, string Option)[]
        {
            ([new("a", "1"), new("b", "2"), new("c", "3"), new("d", "4")], "MaxInstallationSettings"),
            ([new(new string('k', 11), "1")], "MaxSettingKeyLength"),
            ([new("a", new string('v', 2_001))], "MaxSettingValueLength"),
            ([new("a", new string('v', 1_999)), new("b", new string('v', 1_999)), new("c", new string('v', 1_999))], "MaxSettingsBytes"),
            ([new("a", new string('\u00e9', 1_999)), new("b", new string('\u00e9', 1_999))], "MaxSettingsBytes"),
        };
        foreach (var (settings, option) in cases)
        {
            var set = await Assert.ThrowsAsync<ArgumentException>(() => h.Installations.SetSettingsAsync(installation.Id, settings, Team));
            var install = await Assert.ThrowsAsync<ArgumentException>(() => h.Integrations.InstallAsync(app, OwnerRef.User("bob"), Team, settings));
            foreach (var ex in new[] { set, install })
            {
                Assert.Equal("settings", ex.ParamName);
                Assert.Contains(option, ex.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(events, h.Store.EventCount);
        Assert.Equal(installation.Revision, (await h.Installations.GetAsync(installation.Id, VersioningHarness.Team)).Revision);
    }

    [Theory]
    [InlineData(nameof(VersioningOptions.MaxContentBytes))]
    [InlineData(nameof(VersioningOptions.MaxInstallationSettings))]
    [InlineData(nameof(VersioningOptions.MaxSettingKeyLength))]
    [InlineData(nameof(VersioningOptions.MaxSettingValueLength))]
    [InlineData(nameof(VersioningOptions.MaxSettingsBytes))]
    public void Options_InputLimitOutOfRange_RefusedNamingTheOption_X11(string option)
    {
        foreach (var value in new[] { 0, int.MaxValue })
        {
            var options = new VersioningOptions();
            typeof(VersioningOptions).GetProperty(option)!.SetValue(options, value);
            var ex = Assert.Throws<ArgumentException>(options.Validate);
            Assert.Contains(option, ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\uFEFFadmin")]
    [InlineData("ad\u200Bmin")]
    [InlineData("admin\u200D")]
    [InlineData("admin\u2060")]
    [InlineData("a\u2028b")]
    [InlineData("a\u2029b")]
    [InlineData("a\u202Eb")]
    [InlineData("a\u0085b")]
    public void ActorId_FormatOrSeparatorCharacters_Refused_X11(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ActorId(value));
        Assert.Equal("value", ex.ParamName);
    }

    [Fact]
    public void ActorId_FromStored_StillReadsIdsRecordedBeforeTheRule_X11()
    {
        Assert.Equal("ad\u200Bmin", ActorId.FromStored("ad\u200Bmin").Value);
        Assert.Throws<ArgumentException>(() => ActorId.FromStored(" "));
        Assert.Equal("alice@example.com", new ActorId("alice@example.com").Value);
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200B\u200B")]
    [InlineData("\uFEFF")]
    [InlineData("CRM\u200B")]
    [InlineData("\u200BCRM")]
    [InlineData("CRM \u200B sync")]
    [InlineData("CRM\u200B\u200Bsync")]
    [InlineData("CRM\u2028sync")]
    [InlineData("CRM\u2029sync")]
    public async Task Names_InvisibleOrSeparatorCharactersNotBetweenVisibleText_Refused_X11(string name)
    {
        using var h = new VersioningHarness();
        var template = (await h.Templates.CreateTemplateAsync("Kept", Team)).Id;
        var app = await h.NewIntegrationAsync();

        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => h.Templates.CreateTemplateAsync(name, Team))).ParamName);
        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => h.Templates.RenameAsync(template, name, Team))).ParamName);
        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => h.Integrations.CreateIntegrationAsync(name, Team))).ParamName);
        Assert.Equal("Kept", (await h.Templates.GetTemplateAsync(template, Team)).Name);
        Assert.Single(await h.Templates.ListTemplatesAsync());
        Assert.Single(await h.Integrations.ListIntegrationsAsync(), i => i.Id == app);
    }

    [Theory]
    [InlineData("CRM\u200Dsync")]
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467 family")]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")]
    [InlineData("co\u00ADoperate")]
    public async Task Names_FormatCharacterBetweenVisibleText_Accepted_X11(string name)
    {
        using var h = new VersioningHarness();
        Assert.Equal(name, (await h.Templates.CreateTemplateAsync(name, Team)).Name);
        Assert.Equal(name, (await h.Integrations.CreateIntegrationAsync(name, Team)).Name);
    }
}
