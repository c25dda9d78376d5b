using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime.Serialization.SystemTextJson;
using Versioning.Core.Aggregates;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Templates;
using Versioning.Core.Tests.Shared;

namespace Versioning.Core.Tests.Serialization;

/// <summary>
/// J1: every public value type of the library goes through System.Text.Json with default options and comes back
/// exactly; JSON that is not one of its values is refused with a <see cref="JsonException"/>, never read as another value.
/// </summary>
public sealed class JsonRoundTripTests
{
    /// <summary>The value types written as one JSON string (they may also be dictionary keys).</summary>
    private static readonly Type[] TextTypes =
        [typeof(VersionNumber), typeof(VersionKey), typeof(ActorId), typeof(OwnerRef), typeof(ProductRef), typeof(TemplateId), typeof(IntegrationId), typeof(InstallationId), typeof(MigrationId), typeof(CanaryId)];

    /// <summary>The value types with a converter of another shape.</summary>
    private static readonly Type[] OtherConverterTypes = [typeof(RuleViolation), typeof(ActionSet<>), typeof(CanaryScope), typeof(ReleaseNumber)];

    /// <summary>Plain data records: every property has a public init accessor, so default serialization is exact.</summary>
    private static readonly Type[] DataRecords = [typeof(MigrationPlan), typeof(InstallationCounts), typeof(ReleaseFacts), typeof(VersionFacts), typeof(NoFacts)];

    [Fact]
    public void EveryPublicValueType_HasARoundTripProperty_AndIdentityTypesCarryAConverter_J1()
    {
        // A new public struct fails here until it is listed above, with a round-trip property below (and a
        // [JsonConverter] on the type unless all its state is in public settable properties).
        var assemblies = new[] { typeof(VersionNumber).Assembly, typeof(Versioning.Core.Testing.Faults.FaultPlan).Assembly };
        var found = assemblies.SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsValueType && !t.IsEnum && !t.IsNested)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(TextTypes.Concat(OtherConverterTypes).Concat(DataRecords).OrderBy(t => t.FullName, StringComparer.Ordinal), found);
        Assert.All(TextTypes.Concat(OtherConverterTypes), t => Assert.NotNull(t.GetCustomAttribute<JsonConverterAttribute>()));
        Assert.All(DataRecords, t => Assert.All(t.GetConstructors().SelectMany(c => c.GetParameters()),
            p => Assert.True(t.GetProperty(p.Name!)?.SetMethod is { IsPublic: true }, $"{t.Name}.{p.Name} has no public setter: give {t.Name} a [JsonConverter]")));
        var tested = typeof(JsonRoundTripTests).GetMethods().Where(m => m.IsDefined(typeof(PropertyAttribute)) && m.Name.StartsWith("RoundTrip_", StringComparison.Ordinal))
            .Select(m => m.Name["RoundTrip_".Length..m.Name.IndexOf("_J1", StringComparison.Ordinal)]).ToHashSet();
        Assert.All(found, t => Assert.Contains(t.Name.Split('`')[0], tested));
    }

    [Fact]
    public void ProductRef_OfALifecycleDefinedElsewhere_WritesItsNumberAndComesBack_J1_A2()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var product = new ProductRef(ProductKind.FirstCustom + 7, id);

        var json = JsonSerializer.Serialize(product);

        Assert.Equal("\"product-107:0f8fad5b-d9cb-469f-a165-70867728950e\"", json);
        Assert.Equal(product, JsonSerializer.Deserialize<ProductRef>(json));
        foreach (var bad in new[] { "product-99:", "product-0107:", "product-+107:", "product-107 :", "Product-107:", "product-:" })
        {
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ProductRef>($"\"{bad}{id}\""));
        }

        Assert.Throws<JsonException>(() => JsonSerializer.Serialize(new ProductRef((ProductKind)50, id)));
    }

    [Fact]
    public void Serialize_LabelledVersionNumber_IsItsTextAndComesBack_J1()
    {
        var holder = new Holder<VersionNumber>(VersionNumber.Parse("1.2.3-rc1"), [VersionNumber.Parse("0.0.1")], new() { ["a"] = VersionNumber.Parse("10.4.1") });

        var json = JsonSerializer.Serialize(holder);

        Assert.Equal("""{"Value":"1.2.3-rc1","List":["0.0.1"],"Map":{"a":"10.4.1"}}""", json);
        Assert.Equal(holder, JsonSerializer.Deserialize<Holder<VersionNumber>>(json));
    }

    [Fact]
    public void Serialize_EachTextType_WritesItsCanonicalText_J1()
    {
        var id = Guid.Parse("0193a5b0-7c1e-7d2a-8b3c-4d5e6f708192");
        Assert.Equal("\"3\"", JsonSerializer.Serialize(VersionKey.ForRelease(R(3))));
        Assert.Equal("\"2.0.0-beta\"", JsonSerializer.Serialize(VersionKey.ForVersion(VersionNumber.Parse("2.0.0-beta"))));
        Assert.Equal("\"ada@example.com\"", JsonSerializer.Serialize(new ActorId("ada@example.com")));
        Assert.Equal("\"user:ada\"", JsonSerializer.Serialize(OwnerRef.User("ada")));
        Assert.Equal("\"account:acme:eu\"", JsonSerializer.Serialize(OwnerRef.Account("acme:eu")));
        Assert.Equal($"\"template:{id}\"", JsonSerializer.Serialize(ProductRef.Of(new TemplateId(id))));
        Assert.Equal($"\"integration:{id}\"", JsonSerializer.Serialize(ProductRef.Of(new IntegrationId(id))));
        Assert.Equal($"\"{id}\"", JsonSerializer.Serialize(new InstallationId(id)));
        Assert.Equal("""{"ruleId":"T3","message":"no"}""", JsonSerializer.Serialize(new RuleViolation("T3", "no")));
        Assert.Equal("{}", JsonSerializer.Serialize(default(RuleViolation)));
        Assert.Equal("\"\"", JsonSerializer.Serialize(default(ActorId)));
        Assert.Equal("""["Promote","Delete"]""", JsonSerializer.Serialize(new ActionSet<ReleaseAction>((1UL << (int)ReleaseAction.Promote) | (1UL << (int)ReleaseAction.Delete))));
    }

    // One property per type: arbitrary values (DomainArbitraries) come back equal, alone, in a list, in a map and as a key.
    [Property(MaxTest = 300)]
    public void RoundTrip_VersionNumber_J1(VersionNumber value) => AssertRoundTrips(value, asKey: true);

    [Property(MaxTest = 300)]
    public void RoundTrip_VersionKey_J1(VersionKey value) => AssertRoundTrips(value, asKey: true);

    [Property(MaxTest = 300)]
    public void RoundTrip_ActorId_J1(ActorId value) => AssertRoundTrips(value, asKey: true);

    [Property(MaxTest = 300)]
    public void RoundTrip_OwnerRef_J1(OwnerRef value) => AssertRoundTrips(value, asKey: true);

    [Property(MaxTest = 300)]
    public void RoundTrip_ProductRef_J1(ProductRef value) => AssertRoundTrips(value, asKey: true);

    [Property]
    public void RoundTrip_TemplateId_J1(TemplateId value) => AssertRoundTrips(value, asKey: true);

    [Property]
    public void RoundTrip_IntegrationId_J1(IntegrationId value) => AssertRoundTrips(value, asKey: true);

    [Property]
    public void RoundTrip_InstallationId_J1(InstallationId value) => AssertRoundTrips(value, asKey: true);

    [Property]
    public void RoundTrip_MigrationId_J1(MigrationId value) => AssertRoundTrips(value, asKey: true);

    [Property]
    public void RoundTrip_CanaryId_J1(Guid value) => AssertRoundTrips(new CanaryId(value), asKey: true);

    [Property(MaxTest = 300)]
    public void RoundTrip_ReleaseNumber_J1(PositiveInt value) => AssertRoundTrips(new ReleaseNumber(value.Get), asKey: true);

    [Fact]
    public void ReleaseNumber_IsAJsonNumber_AndWhatIsNoReleaseNumberIsRefused_J1()
    {
        Assert.Equal("3", JsonSerializer.Serialize(new ReleaseNumber(3)));
        Assert.Equal("0", JsonSerializer.Serialize(default(ReleaseNumber)));
        Assert.Equal(default, JsonSerializer.Deserialize<ReleaseNumber>("0"));
        Assert.Equal("{\"7\":1}", JsonSerializer.Serialize(new Dictionary<ReleaseNumber, int> { [new ReleaseNumber(7)] = 1 }));
        foreach (var bad in new[] { "-1", "1.5", "\"3\"", "null", "2147483648", "true" })
        {
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ReleaseNumber>(bad));
        }

        foreach (var bad in new[] { "-1", "03", "x", "" })
        {
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Dictionary<ReleaseNumber, int>>("{\"" + bad + "\":1}"));
        }
    }

    [Property(MaxTest = 300)]
    public void RoundTrip_CanaryScope_J1(bool hasUser, bool hasAccount, NonEmptyString user, NonEmptyString account)
    {
        // Identifiers a caller may pass: those CanaryScope refuses (blank, control characters, too long) are skipped.
        CanaryScope value;
        try
        {
            value = CanaryScope.Of(hasUser ? user.Get.Trim() : null, hasAccount ? account.Get.Trim() : null);
        }
        catch (ArgumentException)
        {
            return;
        }

        if (DomainArbitraries.HasLoneSurrogate(value.User ?? string.Empty) || DomainArbitraries.HasLoneSurrogate(value.Account ?? string.Empty))
        {
            Assert.ThrowsAny<Exception>(() => JsonSerializer.Serialize(value));
            return;
        }

        AssertRoundTrips(value, asKey: false);
    }

    [Fact]
    public void CanaryScope_WritesOnlyWhatItNames_AndRefusesWhatItCannotBe_J1()
    {
        Assert.Equal("{}", JsonSerializer.Serialize(CanaryScope.All));
        Assert.Equal("""{"user":"ada","account":"acme"}""", JsonSerializer.Serialize(CanaryScope.ForUserInAccount("ada", "acme")));
        Assert.Equal(CanaryScope.ForAccount("acme"), JsonSerializer.Deserialize<CanaryScope>("""{"account":"acme"}"""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CanaryScope>("null"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CanaryScope>("""{"user":" ada"}"""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CanaryScope>("""{"user":""}"""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CanaryScope>("""{"user":"a","user":"b"}"""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CanaryScope>("""{"team":"a"}"""));
    }

    [Property(MaxTest = 300)]
    public void RoundTrip_RuleViolation_J1(bool empty, NonEmptyString ruleId, string? message)
    {
        // Any UTF-16 a lifecycle author may write: text with an unpaired surrogate cannot be JSON and is refused.
        var value = empty ? default : new RuleViolation(ruleId.Get, message ?? string.Empty);
        if (!empty && (DomainArbitraries.HasLoneSurrogate(ruleId.Get) || DomainArbitraries.HasLoneSurrogate(message ?? string.Empty)))
        {
            Assert.ThrowsAny<Exception>(() => JsonSerializer.Serialize(value));
            return;
        }

        AssertRoundTrips(value, asKey: false);
    }

    [Property]
    public void RoundTrip_ActionSet_J1(ulong mask)
    {
        AssertRoundTrips(new ActionSet<ReleaseAction>(mask & ((1UL << Enum.GetValues<ReleaseAction>().Length) - 1)), asKey: false);
        AssertRoundTrips(new ActionSet<VersionAction>(mask & ((1UL << Enum.GetValues<VersionAction>().Length) - 1)), asKey: false);
        AssertRoundTrips(new ActionSet<MigrationAction>(mask & ((1UL << Enum.GetValues<MigrationAction>().Length) - 1)), asKey: false);
    }

    [Property(MaxTest = 300)]
    public void RoundTrip_MigrationPlan_J1(VersionKey from, VersionKey to, bool wholeProduct) => AssertRoundTrips(new MigrationPlan(wholeProduct ? null : from, to), asKey: false);

    [Property]
    public void RoundTrip_InstallationCounts_J1(long running, long paused) => AssertRoundTrips(new InstallationCounts(running, paused), asKey: false);

    [Property]
    public void RoundTrip_ReleaseFacts_J1(bool published, long installations) => AssertRoundTrips(new ReleaseFacts(published, installations), asKey: false);

    [Property]
    public void RoundTrip_VersionFacts_J1(bool labeled, long installations, int limit, bool other) => AssertRoundTrips(new VersionFacts(labeled, installations, limit, other), asKey: false);

    [Property(MaxTest = 1)]
    public void RoundTrip_NoFacts_J1(bool unused)
    {
        _ = unused;
        AssertRoundTrips(default(NoFacts), asKey: false);
    }

    /// <summary>Near misses of valid texts: one character inserted, removed or changed, case flipped, padded, cut.</summary>
    public static class NearMisses
    {
        public static Arbitrary<string> Strings()
        {
            var valid = Gen.OneOf(
                DomainArbitraries.VersionNumbers.Select(v => v.ToString()),
                DomainArbitraries.VersionKeys.Select(v => v.Value),
                DomainArbitraries.Names,
                ArbMap.Default.ArbFor<Guid>().Generator.Select(g => g.ToString("D")),
                DomainArbitraries.Names.Select(n => "user:" + n),
                DomainArbitraries.Names.Select(n => "account:" + n),
                ArbMap.Default.ArbFor<Guid>().Generator.Select(g => "template:" + g.ToString("D")),
                ArbMap.Default.ArbFor<Guid>().Generator.Select(g => "integration:" + g.ToString("D")));
            var odd = Gen.Elements(' ', '\t', '\n', '\u0000', '\u00a0', ':', '-', '.', '0', '+', 'é', '\ud800', '"', '\\');
            return (from text in valid
                    from kind in Gen.Choose(0, 6)
                    from at in Gen.Choose(0, text.Length)
                    from c in odd
                    select kind switch
                    {
                        0 => text.Insert(at, c.ToString()),
                        1 => at < text.Length ? text.Remove(at, 1) : text + c,
                        2 => at < text.Length ? text.Remove(at, 1).Insert(at, c.ToString()) : " " + text,
                        3 => text.ToUpperInvariant(),
                        4 => " " + text,
                        5 => text + " ",
                        _ => text[..at],
                    }).ToArbitrary();
        }
    }

    [Property(MaxTest = 1_000, Arbitrary = new[] { typeof(NearMisses) })]
    public void Deserialize_AnyString_IsReadExactlyOrRefusedWithAJsonException_J1(string text)
    {
        // For every text type: the string either is one of its values, written back identically (GUIDs in any case),
        // or is refused with a JsonException; never another exception, never a nearby value.
        string json;
        try
        {
            json = JsonSerializer.Serialize(text);
        }
        catch (ArgumentException)
        {
            return; // An unpaired surrogate is not JSON text at all.
        }

        foreach (var type in TextTypes)
        {
            object? value;
            try
            {
                value = JsonSerializer.Deserialize(json, type);
            }
            catch (JsonException)
            {
                continue;
            }

            var back = JsonSerializer.Serialize(value, type);
            var guidLike = type != typeof(VersionNumber) && type != typeof(VersionKey) && type != typeof(ActorId) && type != typeof(OwnerRef);
            Assert.True(string.Equals(json, back, guidLike ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal), $"{type.Name}: {json} was read as {back}");
        }
    }

    [Fact]
    public void Deserialize_OtherTokensAndShapes_AreRefusedWithAJsonException_J1()
    {
        string[] notText = ["null", "1", "1.5", "true", "{}", "[]", "{\"Value\":\"0193a5b0-7c1e-7d2a-8b3c-4d5e6f708192\"}", "{\"Major\":1,\"Minor\":2,\"Patch\":3}", "\" \""];
        foreach (var type in TextTypes)
        {
            foreach (var json in notText)
            {
                Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, type));
            }
        }

        // "" is the empty value of the types that have one (and what it is written as), and refused by the others.
        Assert.Equal(default, JsonSerializer.Deserialize<ActorId>("\"\""));
        Assert.Equal(default, JsonSerializer.Deserialize<OwnerRef>("\"\""));
        Assert.Equal(default, JsonSerializer.Deserialize<VersionKey>("\"\""));
        Assert.Equal(default, JsonSerializer.Deserialize<RuleViolation>("{}"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<VersionNumber>("\"\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TemplateId>("\"\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ProductRef>("\"\""));
        Assert.Null(JsonSerializer.Deserialize<ActorId?>("null"));

        // Wrong shapes of the object and array forms.
        foreach (var json in (string[])["null", "\"T3\"", "{\"ruleId\":\"T3\"}", "{\"message\":\"m\"}", "{\"ruleId\":\"T3\",\"message\":\"m\",\"x\":1}", "{\"ruleId\":1,\"message\":\"m\"}", "{\"ruleId\":\"T3\",\"ruleId\":\"T4\",\"message\":\"m\"}", "[]"])
        {
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RuleViolation>(json));
        }

        foreach (var json in (string[])["null", "\"Promote\"", "{}", "[\"Nope\"]", "[\"promote\"]", "[1]", "[\"0\"]", "[null]"])
        {
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ActionSet<ReleaseAction>>(json));
        }

        // GUID texts that Guid.TryParseExact alone would read as another id, or with white space around them.
        foreach (var json in (string[])["\"+ea8116f-5316-87ea-1895-b391a99fb7f8\"", "\" 0ea8116f-5316-87ea-1895-b391a99fb7f8\"", "\"0ea8116f-5316-87ea-1895-b391a99fb7f\"", "\"{0ea8116f-5316-87ea-1895-b391a99fb7f8}\""])
        {
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TemplateId>(json));
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ProductRef>(json.Insert(1, "template:")));
        }

        // A product of an undefined kind, or a stored key that is no release or version number, cannot be written (it would not come back).
        Assert.Throws<JsonException>(() => JsonSerializer.Serialize(new ProductRef((ProductKind)7, Guid.NewGuid())));
        Assert.Throws<JsonException>(() => JsonSerializer.Serialize(VersionKey.FromStored("03")));
        Assert.Throws<JsonException>(() => JsonSerializer.Serialize(VersionKey.FromStored("banana")));
    }

    private static void AssertRoundTrips<T>(T value, bool asKey)
        where T : struct
    {
        var json = JsonSerializer.Serialize(value);
        Assert.Equal(value, JsonSerializer.Deserialize<T>(json));
        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize<T>(json)));

        var holder = new Holder<T>(value, [value, default], new() { ["k"] = value });
        var back = JsonSerializer.Deserialize<Holder<T>>(JsonSerializer.Serialize(holder))!;
        Assert.Equal(holder.Value, back.Value);
        Assert.Equal(holder.List, back.List);
        Assert.Equal(holder.Map, back.Map);

        T? maybe = value;
        Assert.Equal(maybe, JsonSerializer.Deserialize<T?>(JsonSerializer.Serialize(maybe)));
        Assert.Null(JsonSerializer.Deserialize<T?>(JsonSerializer.Serialize<T?>(null)));

        if (asKey)
        {
            var keyed = new Dictionary<T, int> { [value] = 1 };
            Assert.Equal(keyed, JsonSerializer.Deserialize<Dictionary<T, int>>(JsonSerializer.Serialize(keyed)));
        }
    }

    public sealed record Holder<T>(T Value, List<T> List, Dictionary<string, T> Map)
    {
        public bool Equals(Holder<T>? other)
            => other is not null && EqualityComparer<T>.Default.Equals(Value, other.Value) && List.SequenceEqual(other.List) && Map.Count == other.Map.Count
               && Map.All(kv => other.Map.TryGetValue(kv.Key, out var v) && EqualityComparer<T>.Default.Equals(kv.Value, v));

        public override int GetHashCode() => EqualityComparer<T>.Default.GetHashCode(Value!);
    }
}

/// <summary>J1 with NodaTime: a host that calls <c>ConfigureForNodaTime</c> round-trips the library's records too.</summary>
public sealed class JsonWithNodaTimeTests
{
    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions(JsonSerializerDefaults.Web).ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

    [Property(MaxTest = 300)]
    public void RoundTrip_DeprecationNoticeAndVersionListing_WithConfigureForNodaTime_J1(IntegrationId id, VersionNumber version, ActorId actor, long ticks, int days, bool legacy)
    {
        var at = Instant.FromUnixTimeTicks(ticks % (Instant.MaxValue.ToUnixTimeTicks() / 2));
        var date = new LocalDate(2026, 1, 1).PlusDays(days % 100_000);
        var notice = new DeprecationNotice(id, actor.Value, version, date, at, at.Plus(Duration.FromDays(1)), "Replaced");
        var listing = new VersionListing(version, VersionState.Deprecating, ticks, legacy ? at : null, legacy ? null : date, at, at);

        Assert.Equal(notice, JsonSerializer.Deserialize<DeprecationNotice>(JsonSerializer.Serialize(notice, Options), Options));
        Assert.Equal(listing, JsonSerializer.Deserialize<VersionListing>(JsonSerializer.Serialize(listing, Options), Options));
    }

    [Fact]
    public void Serialize_VersionListing_UsesNodaTimeAndOurTexts_J1()
    {
        var at = Instant.FromUtc(2026, 3, 1, 9, 30);
        var json = JsonSerializer.Serialize(new VersionListing(VersionNumber.Parse("1.2.3-rc1"), VersionState.Available, 4, null, new LocalDate(2026, 4, 1), at, at), Options);

        Assert.Equal("""{"number":"1.2.3-rc1","state":2,"installationCount":4,"legacyAt":null,"deprecationDate":"2026-04-01","createdAt":"2026-03-01T09:30:00Z","updatedAt":"2026-03-01T09:30:00Z"}""", json);
    }
}
