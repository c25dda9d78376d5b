using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Versioning.Core.Authorization;
using Versioning.Core.DependencyInjection;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.DependencyInjection;

/// <summary>Options the .NET way: IOptions, bound from configuration, validated with every problem listed, frozen after validation.</summary>
public class VersioningOptionsTests
{
    private static IConfiguration Section(params (string Key, string Value)[] values)
        => new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Versioning:" + v.Key, v.Value)))
            .Build()
            .GetSection("Versioning");

    [Fact]
    public void AddVersioning_RegistersIOptions_WhoseValueIsTheInstanceTheServicesGet()
    {
        var services = new ServiceCollection();
        services.AddVersioning(o => o.EditInstallationLimit = 9);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<VersioningOptions>>().Value;
        Assert.Equal(9, options.EditInstallationLimit);
        Assert.Same(options, provider.GetRequiredService<VersioningOptions>());
        Assert.True(options.IsFrozen);
    }

    [Fact]
    public void AddVersioning_Configuration_BindsEveryKindOfOption()
    {
        var services = new ServiceCollection();
        services.AddVersioning(Section(
            ("MaxConflictRetries", "3"),
            ("ConflictRetryBaseDelay", "00:00:00.010"),
            ("ConflictRetryMaxDelay", "00:00:02"),
            ("SequentialVersionNumbers", "false"),
            ("DeprecationTimeZone", "Europe/London"),
            ("MigrationBatchSize", "250"),
            ("ConnectionString", "Data Source=app.db")));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<VersioningOptions>>().Value;
        Assert.Equal(3, options.MaxConflictRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(10), options.ConflictRetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ConflictRetryMaxDelay);
        Assert.False(options.SequentialVersionNumbers);
        Assert.Equal("Europe/London", options.DeprecationTimeZone.Id);
        Assert.Equal(250, options.MigrationBatchSize);
        Assert.Equal(5, options.EditInstallationLimit);
    }

    [Fact]
    public void AddVersioning_InvalidConfiguration_OneMessageListsEveryProblemAndRegistersNothing()
    {
        var services = new ServiceCollection();
        var ex = Assert.Throws<ArgumentException>(() => services.AddVersioning(Section(
            ("MaxConflictRetries", "-5"),
            ("MigrationBatchSize", "0"),
            ("EditInstallationLimit", "lots"),
            ("ConflictRetryBaseDelay", "soon"),
            ("DeprecationTimeZone", "Mars/Olympus_Mons"))));
        Assert.Equal("configuration", ex.ParamName);
        Assert.Contains("MaxConflictRetries must be 0–100 (was -5)", ex.Message);
        Assert.Contains("MigrationBatchSize", ex.Message);
        Assert.Contains("Mars/Olympus_Mons", ex.Message);
        Assert.Contains("EditInstallationLimit 'lots' is not a valid Int32", ex.Message);
        Assert.Contains("ConflictRetryBaseDelay 'soon' is not a valid TimeSpan", ex.Message);
        Assert.Empty(services);
    }

    [Fact]
    public void AddVersioning_ConfigurationThenAction_AppliesBothInOrder()
    {
        var services = new ServiceCollection();
        services.AddVersioning(Section(("MaxConflictRetries", "3"), ("EditInstallationLimit", "8")));
        services.AddVersioning(o => o.MaxConflictRetries = 4);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<VersioningOptions>();
        Assert.Equal((4, 8), (options.MaxConflictRetries, options.EditInstallationLimit));
    }

    [Fact]
    public void AddVersioning_NullConfiguration_ThrowsWithParameterName()
        => Assert.Equal("configuration", Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddVersioning((IConfiguration)null!)).ParamName);

    [Fact]
    public void RegisteredOptions_CannotBeChangedAfterValidation()
    {
        var services = new ServiceCollection();
        services.AddVersioning();
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<VersioningOptions>>().Value;
        var ex = Assert.Throws<InvalidOperationException>(() => options.MaxConflictRetries = -5);
        Assert.Contains("VersioningOptions.MaxConflictRetries", ex.Message);
        Assert.Throws<InvalidOperationException>(() => options.DeprecationTimeZone = DateTimeZone.Utc);
        Assert.Equal(20, provider.GetRequiredService<VersioningOptions>().MaxConflictRetries);
    }

    [Fact]
    public void Builder_ExposesNoOptionsInstance()
        => Assert.Null(typeof(VersioningBuilder).GetProperty("Options"));

    [Fact]
    public void LaterConfigureOutsideAddVersioning_InvalidValue_FailsOnResolutionWithEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddVersioning();
        services.Configure<VersioningOptions>(o =>
        {
            o.MaxConflictRetries = -5;
            o.MaxContentBytes = 1;
        });
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TemplateService>());
        Assert.Contains("MaxConflictRetries", ex.Message);
        Assert.Contains("MaxContentBytes", ex.Message);
    }

    [Fact]
    public void AddVersioning_RegistersStartupValidation()
    {
        // ValidateOnStart: a host runs IStartupValidator before it starts; without a host the first resolution validates.
        var services = new ServiceCollection();
        services.AddVersioning();
        services.Configure<VersioningOptions>(o => o.MigrationBatchSize = 0);
        using var provider = services.BuildServiceProvider();
        var validator = provider.GetRequiredService<IStartupValidator>();
        var ex = Assert.Throws<OptionsValidationException>(validator.Validate);
        Assert.Contains("MigrationBatchSize", ex.Message);
    }

    [Fact]
    public async Task ServiceBuiltByHand_KeepsAFrozenCopy_SoLaterChangesHaveNoEffect()
    {
        var options = new VersioningOptions { MaxContentBytes = 1 << 10 };
        var store = new InMemoryStore();
        var service = new TemplateService(new InMemoryTemplateRepository(store), new InMemoryInstallationRepository(store), new DefaultAccessPolicy(), FakeClock(), options);
        options.MaxContentBytes = 64 << 20;
        Assert.False(options.IsFrozen);
        var big = new Content.WorkflowDefinition([.. Enumerable.Range(0, 40).Select(i => new Content.Step($"step {i} with a name long enough to add up", new Content.ConnectorRef("Crm", "1"), "Create"))]);
        var t = await service.CreateTemplateAsync("T", new ActorId("a"));
        var draft = await service.CreateDraftAsync(t.Id, null, new ActorId("a"));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => service.EditContentAsync(t.Id, draft.Number, big, new ActorId("a")));
        Assert.Contains("MaxContentBytes", ex.Message);
    }

    [Fact]
    public void ServiceBuiltByHand_InvalidOptions_ThrowsListingEveryProblem()
    {
        var store = new InMemoryStore();
        var ex = Assert.Throws<ArgumentException>(() => new TemplateService(new InMemoryTemplateRepository(store), new InMemoryInstallationRepository(store), new DefaultAccessPolicy(), FakeClock(), new VersioningOptions { MaxConflictRetries = -5, EditInstallationLimit = 0 }));
        Assert.Contains("MaxConflictRetries", ex.Message);
        Assert.Contains("EditInstallationLimit", ex.Message);
    }

    [Fact]
    public void Clone_OfFrozenOptions_IsChangeable()
    {
        var services = new ServiceCollection();
        services.AddVersioning();
        using var provider = services.BuildServiceProvider();
        var copy = provider.GetRequiredService<VersioningOptions>().Clone();
        copy.MaxConflictRetries = 1;
        Assert.False(copy.IsFrozen);
        Assert.Equal(1, copy.MaxConflictRetries);
    }

    public static TheoryData<string> RangedOptions()
        => [.. typeof(VersioningOptions).GetProperties().Where(p => p.GetCustomAttribute<RangeAttribute>() is not null).Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(RangedOptions))]
    public void RangeAttribute_AgreesWithValidation(string name)
    {
        var property = typeof(VersioningOptions).GetProperty(name)!;
        var range = property.GetCustomAttribute<RangeAttribute>()!;
        var problems = (object value) =>
        {
            var options = new VersioningOptions();
            property.SetValue(options, value);
            return options.Problems().Where(p => p.StartsWith(name + " ", StringComparison.Ordinal)).ToList();
        };
        if (property.PropertyType == typeof(TimeSpan))
        {
            var min = TimeSpan.Parse((string)range.Minimum, System.Globalization.CultureInfo.InvariantCulture);
            var max = TimeSpan.Parse((string)range.Maximum, System.Globalization.CultureInfo.InvariantCulture);
            Assert.NotEmpty(problems(min - TimeSpan.FromTicks(1)));
            Assert.NotEmpty(problems(max + TimeSpan.FromTicks(1)));
        }
        else
        {
            Assert.NotEmpty(problems((int)range.Minimum - 1));
            Assert.NotEmpty(problems((int)range.Maximum + 1));
        }

        var defaults = new VersioningOptions();
        Assert.True(Validator.TryValidateProperty(property.GetValue(defaults), new ValidationContext(defaults) { MemberName = name }, null), $"the default of {name} is outside its [Range]");
    }

    [Fact]
    public void EveryOption_DocumentsItsDefault()
    {
        var xml = System.Xml.Linq.XDocument.Load(Path.ChangeExtension(typeof(VersioningOptions).Assembly.Location, ".xml"));
        var documented = xml.Descendants("member")
            .Where(m => ((string?)m.Attribute("name"))?.StartsWith("P:Versioning.Core.Services.VersioningOptions.", StringComparison.Ordinal) == true && m.Element("value") is not null)
            .Select(m => ((string)m.Attribute("name")!)["P:Versioning.Core.Services.VersioningOptions.".Length..])
            .ToHashSet();
        var settable = typeof(VersioningOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name);
        Assert.All(settable, name => Assert.Contains(name, documented));
        Assert.All(
            xml.Descendants("member").Where(m => ((string?)m.Attribute("name"))?.StartsWith("P:Versioning.Core.Services.VersioningOptions.", StringComparison.Ordinal) == true && typeof(VersioningOptions).GetProperty(((string)m.Attribute("name")!)["P:Versioning.Core.Services.VersioningOptions.".Length..])?.CanWrite == true),
            m => Assert.Contains("Default:", m.Element("value")!.Value));
    }

    private static NodaTime.Testing.FakeClock FakeClock() => NodaTime.Testing.FakeClock.FromUtc(2026, 1, 1);
}
