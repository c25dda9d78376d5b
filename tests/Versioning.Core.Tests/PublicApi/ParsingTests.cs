using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;

namespace Versioning.Core.Tests.PublicApi;

/// <summary>Every id, <see cref="ActorId"/> and <see cref="VersionNumber"/> parses through IParsable/ISpanParsable and round-trips its ToString.</summary>
public class ParsingTests
{
    [Fact]
    public void Ids_ParseAndTryParse_ThroughTheGenericInterfaces()
    {
        var guid = Guid.Parse("0193a5b0-7c1e-4b6a-9f2d-3e4f5a6b7c8d");
        RoundTrips(new TemplateId(guid));
        RoundTrips(new IntegrationId(guid));
        RoundTrips(new InstallationId(guid));
        RoundTrips(new MigrationId(guid));
        RoundTrips(new CanaryId(guid));
        Assert.Equal("0193a5b0-7c1e-4b6a-9f2d-3e4f5a6b7c8d", new TemplateId(guid).ToString());
        Assert.Equal("00000000-0000-0000-0000-000000000000", default(CanaryId).ToString());
    }

    [Fact]
    public void Ids_TryParse_RefusesWhatIsNoGuidWithoutThrowing()
    {
        foreach (var text in new[] { null, "", "nope", "0193a5b0-7c1e-4b6a-9f2d", "0193a5b0-7c1e-4b6a-9f2d-3e4f5a6b7c8dX" })
        {
            Assert.False(TemplateId.TryParse(text, out var t));
            Assert.Equal(default, t);
            Assert.False(IntegrationId.TryParse(text.AsSpan(), out _));
            Assert.False(TryParseGeneric<InstallationId>(text, out _));
            Assert.False(TryParseGeneric<MigrationId>(text, out _));
            Assert.False(TryParseGeneric<CanaryId>(text, out _));
        }

        Assert.Throws<FormatException>(() => ParseSpan<MigrationId>("nope"));
    }

    [Fact]
    public void VersionNumber_ParsesThroughTheGenericInterfaces_AndKeepsItsMessages_Z1()
    {
        RoundTrips(new VersionNumber(1, 2, 0));
        RoundTrips(new VersionNumber(2, 0, 0, "beta-1"));
        Assert.Equal("0.0.0", default(VersionNumber).ToString());
        Assert.Equal(new VersionNumber(1, 2, 3), VersionNumber.Parse("1.2.3".AsSpan()));
        Assert.False(TryParseGeneric<VersionNumber>("01.2.3", out _));
        Assert.Contains("leading zero", Assert.Throws<FormatException>(() => ParseSpan<VersionNumber>("01.2.3")).Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ReleaseNumber_ParsesThroughTheGenericInterfaces_AndRefusesWhatIsNoReleaseNumber_T2()
    {
        RoundTrips(new ReleaseNumber(1));
        RoundTrips(new ReleaseNumber(int.MaxValue));
        Assert.Equal("0", default(ReleaseNumber).ToString());
        Assert.True(default(ReleaseNumber).IsEmpty);
        Assert.Equal(new ReleaseNumber(12), ReleaseNumber.Parse("12".AsSpan()));
        Assert.Equal(new ReleaseNumber(2), ReleaseNumber.First.Next());
        Assert.True(new ReleaseNumber(2) > ReleaseNumber.First);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => new ReleaseNumber(0)).ParamName);
        foreach (var text in new[] { null, "", "0", "-1", "+1", " 1", "1 ", "01", "1.0", "2147483648", "x" })
        {
            Assert.False(ReleaseNumber.TryParse(text, out var n));
            Assert.True(n.IsEmpty);
            Assert.False(TryParseGeneric<ReleaseNumber>(text, out _));
        }

        Assert.Throws<FormatException>(() => ParseSpan<ReleaseNumber>("01"));
        Assert.Throws<OverflowException>(() => new ReleaseNumber(int.MaxValue).Next());
    }

    [Fact]
    public void ActorId_ParsesLikeItsConstructor_AndTryParseRefusesWhatItRefuses_X11()
    {
        RoundTrips(new ActorId("ada@example.com"));
        Assert.Equal(new ActorId("ada"), ActorId.Parse("  ada "));
        Assert.Equal("ada", ActorId.Parse("  ada ").ToString());
        foreach (var text in new[] { null, "", "   ", "zero\u200Bwidth", "line\u2028break", new string('a', 201) })
        {
            Assert.False(ActorId.TryParse(text, out var actor));
            Assert.True(actor.IsEmpty);
            Assert.False(TryParseGeneric<ActorId>(text, out _));
        }

        Assert.Throws<ArgumentException>(() => ActorId.Parse("zero\u200Bwidth"));
    }

    private static void RoundTrips<T>(T value)
        where T : ISpanParsable<T>
    {
        var text = value.ToString()!;
        Assert.Equal(value, T.Parse(text, null));
        Assert.Equal(value, T.Parse(text.AsSpan(), null));
        Assert.True(T.TryParse(text, null, out var parsed));
        Assert.Equal(value, parsed);
        Assert.True(T.TryParse(text.AsSpan(), null, out parsed));
        Assert.Equal(value, parsed);
    }

    private static bool TryParseGeneric<T>(string? text, out T result)
        where T : IParsable<T>
        => T.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out result!);

    private static T ParseSpan<T>(string text)
        where T : ISpanParsable<T>
        => T.Parse(text.AsSpan(), null);
}
