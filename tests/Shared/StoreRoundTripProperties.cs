using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Versioning.Core.Installations;
using Versioning.Core.Templates;
using Versioning.Core.Testing.Conformance;

namespace Versioning.Core.Tests.Shared;

/// <summary>
/// X6 and hostile input: FsCheck generates arbitrary strings (any UTF-16, null, control characters, unpaired surrogates,
/// SQL and JSON metacharacters) for names, notes and settings. Each is either refused with an argument exception naming
/// the parameter, or stored and read back exactly. Compiled into every store's test project.
/// </summary>
public abstract class StoreRoundTripProperties : IDisposable
{
    private static readonly ActorId Actor = new("fscheck");
    private static readonly Instant T0 = Instant.FromUtc(2026, 1, 1, 0, 0);

    protected abstract Task<VersioningStores> CreateStoresAsync();

    // FsCheck.Xunit makes one instance for all the cases of a property: one database for the run, dropped at the end.
    private VersioningStores? _stores;

    /// <summary>Any UTF-16 (null, control characters, unpaired surrogates), and SQL and JSON metacharacters glued together.</summary>
    public static class HostileStrings
    {
        public static Arbitrary<string> Strings()
        {
            var tricky = Gen.Elements("'", "\"", ";", "--", "DROP TABLE templates;", "\\", "%", "_", "\u00e9", "\U0001F680", "\u0000", "\ud800", "\n", "\t", " ", "{\"a\":1}", "<x/>")
                .ListOf().Select(parts => string.Concat(parts));
            return Gen.OneOf(ArbMap.Default.ArbFor<string>().Generator, tricky).ToArbitrary();
        }
    }

    [Property(MaxTest = 150, Arbitrary = new[] { typeof(HostileStrings) })]
    public async Task ArbitraryStrings_InNamesNotesAndSettings_AreRefusedOrRoundTripExactly_X6(string? name, string? notes, string? value)
    {
        _stores ??= await CreateStoresAsync();
        await RoundTrip(_stores, name, notes, value);
    }

    public void Dispose()
    {
        _stores?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    private static async Task RoundTrip(VersioningStores stores, string? name, string? notes, string? value)
    {
        Template template;
        try
        {
            template = Template.Create(TemplateId.New(), name!, Actor, T0);
        }
        catch (ArgumentException ex)
        {
            Assert.Equal("name", ex.ParamName);
            Assert.True(name is null || name.Trim().Length is 0 or > Template.MaxNameLength || name.Any(char.IsControl) || DomainArbitraries.HasLoneSurrogate(name));
            return;
        }

        Assert.Equal(name!.Trim(), template.Name);
        template.CreateDraft(null, Actor, T0);
        var notesAccepted = true;
        try
        {
            template.SetNotes(R(1), notes!, Actor, T0);
        }
        catch (ArgumentException ex)
        {
            Assert.Equal("notes", ex.ParamName);
            notesAccepted = false;
        }

        await stores.Templates.SaveAsync(template);
        var loaded = (await stores.Templates.FindAsync(template.Id))!;
        Assert.Equal(template.Name, loaded.Name);
        Assert.Equal(notesAccepted ? notes : string.Empty, loaded.GetRelease(R(1)).Notes);

        Installation installation;
        try
        {
            installation = new Installation
            {
                Id = InstallationId.New(),
                Product = ProductRef.Of(template.Id),
                Owner = OwnerRef.User("owner"),
                Pinned = VersionKey.ForRelease(R(1)),
                Status = RunStatus.Paused,
                Settings = Installation.CheckSettings([new("key", value!), new("other", "x")]),
                CreatedAt = T0,
                UpdatedAt = T0,
            };
        }
        catch (ArgumentException ex)
        {
            Assert.Equal("settings", ex.ParamName);
            return;
        }

        await stores.Installations.SaveAsync(installation, InstallationEvents.Installed(installation, Actor, T0));
        var stored = (await stores.Installations.FindAsync(installation.Id))!;
        Assert.Equal(value, stored.Settings["key"]);
    }
}
