using Versioning.Core.Integrations;

namespace Versioning.Core.Tests.Integrations;

public partial class VersionNumberTests
{
    [Theory]
    [InlineData("0.0.0", 0, 0, 0, null)]
    [InlineData("1.2.3", 1, 2, 3, null)]
    [InlineData("999.999.999", 999, 999, 999, null)]
    [InlineData("10.20.30-beta", 10, 20, 30, "beta")]
    [InlineData("1.0.0-0", 1, 0, 0, "0")]
    [InlineData("1.0.0--", 1, 0, 0, "-")]
    [InlineData("1.0.0-a-b-c", 1, 0, 0, "a-b-c")]
    [InlineData("1.0.0-123456789012", 1, 0, 0, "123456789012")]
    [InlineData("1.0.0-ABCdef123-Z", 1, 0, 0, "ABCdef123-Z")]
    [InlineData("1.0.0-0a", 1, 0, 0, "0a")]
    public void Parse_WithinLimits_ReturnsPartsAndLabel_Z1(string text, int major, int minor, int patch, string? label)
    {
        var number = VersionNumber.Parse(text);

        Assert.Equal((major, minor, patch, label), (number.Major, number.Minor, number.Patch, number.PreRelease));
        Assert.Equal(label is not null, number.IsPreRelease);
        Assert.Equal(text, number.ToString());
        Assert.True(VersionNumber.TryParse(text, out var viaTry));
        Assert.Equal(number, viaTry);
        Assert.True(VersionNumber.TryParse(text.AsSpan(), out var viaSpan));
        Assert.Equal(number, viaSpan);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("01.2.3")]
    [InlineData("1.02.3")]
    [InlineData("1.2.03")]
    [InlineData("00.0.0")]
    [InlineData("1000.0.0")]
    [InlineData("0.1000.0")]
    [InlineData("0.0.1000")]
    [InlineData("1..3")]
    [InlineData(".1.2")]
    [InlineData("1.2.")]
    [InlineData("a.b.c")]
    [InlineData("1.2.x")]
    [InlineData(" 1.2.3")]
    [InlineData("1.2.3 ")]
    [InlineData("+1.2.3")]
    [InlineData("-1.2.3")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3-beta.1")]
    [InlineData("1.2.3-1234567890123")]
    [InlineData("1.2.3-be ta")]
    [InlineData("1.2.3-beta_1")]
    [InlineData("1.2.3-b\u00e9ta")]
    [InlineData("1.2.3+build")]
    [InlineData("1.2.3-01")]
    [InlineData("\uff11.2.3")]
    [InlineData("\u0661.2.3")]
    [InlineData("1.2.3-\n")]
    [InlineData("v1.2.3")]
    public void Parse_Malformed_ThrowsFormatExceptionAndTryParseFails_Z1(string text)
    {
        Assert.False(VersionNumber.TryParse(text, out var result));
        Assert.Equal(default, result);
        Assert.False(VersionNumber.TryParse(text.AsSpan(), out _));
        var ex = Assert.Throws<FormatException>(() => VersionNumber.Parse(text));
        Assert.Contains("is not a version number", ex.Message);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullNamingText_X6()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => VersionNumber.Parse(null!));
        Assert.Equal("text", ex.ParamName);
        Assert.False(VersionNumber.TryParse((string?)null, out _));
    }

    [Fact]
    public void Parse_Malformed_MessageSaysWhichPartAndWhy_X6()
    {
        Assert.Contains("MINOR", Assert.Throws<FormatException>(() => VersionNumber.Parse("1.02.3")).Message);
        Assert.Contains("leading zero", Assert.Throws<FormatException>(() => VersionNumber.Parse("1.02.3")).Message);
        Assert.Contains("PATCH", Assert.Throws<FormatException>(() => VersionNumber.Parse("1.2.1000")).Message);
        Assert.Contains("at most 12", Assert.Throws<FormatException>(() => VersionNumber.Parse("1.2.3-abcdefghijklm")).Message);
    }

    [Theory]
    [InlineData(-1, 0, 0, "major")]
    [InlineData(1000, 0, 0, "major")]
    [InlineData(0, -1, 0, "minor")]
    [InlineData(0, 1000, 0, "minor")]
    [InlineData(0, 0, -1, "patch")]
    [InlineData(0, 0, 1000, "patch")]
    public void Constructor_PartOutOfRange_ThrowsNamingThePart_Z1_X6(int major, int minor, int patch, string paramName)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new VersionNumber(major, minor, patch));
        Assert.Equal(paramName, ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghijklm")]
    [InlineData("a.b")]
    [InlineData("a b")]
    [InlineData("01")]
    public void Constructor_InvalidLabel_ThrowsNamingLabel_Z1_X6(string label)
    {
        var ex = Assert.Throws<ArgumentException>(() => new VersionNumber(1, 0, 0, label));
        Assert.Equal("preRelease", ex.ParamName);
    }

    [Theory]
    [InlineData("1.0.0-alpha", "1.0.0")]
    [InlineData("1.0.0", "1.0.1")]
    [InlineData("1.0.9", "1.1.0")]
    [InlineData("1.9.9", "2.0.0")]
    [InlineData("1.0.0-2", "1.0.0-10")]
    [InlineData("1.0.0-99999999999", "1.0.0-100000000000")]
    [InlineData("1.0.0-999", "1.0.0-a")]
    [InlineData("1.0.0-Z", "1.0.0-a")]
    [InlineData("1.0.0-alpha", "1.0.0-alpha-1")]
    [InlineData("1.0.0-10a", "1.0.0-9a")]
    [InlineData("2.0.0", "10.0.0")]
    public void CompareTo_SemanticVersionPrecedence_LeftPrecedesRight_Z1(string left, string right)
    {
        var a = VersionNumber.Parse(left);
        var b = VersionNumber.Parse(right);

        Assert.True(a < b);
        Assert.True(b > a);
        Assert.True(a <= b && b >= a);
        Assert.Equal(-1, Math.Sign(a.CompareTo(b)));
        Assert.Equal(1, Math.Sign(b.CompareTo(a)));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void CompareTo_Object_NullIsSmallerAndOtherTypesAreRejected_X6()
    {
        var v = VersionNumber.Parse("1.0.0");
        Assert.Equal(1, v.CompareTo(null));
        Assert.Equal(0, v.CompareTo((object)VersionNumber.Parse("1.0.0")));
        var ex = Assert.Throws<ArgumentException>(() => v.CompareTo("1.0.0"));
        Assert.Equal("obj", ex.ParamName);
    }

    [Fact]
    public void NextPatchMinorMajor_DropLabelAndResetLowerParts_Z2()
    {
        var v = VersionNumber.Parse("1.2.3-beta");
        Assert.Equal(VersionNumber.Parse("1.2.4"), v.NextPatch());
        Assert.Equal(VersionNumber.Parse("1.3.0"), v.NextMinor());
        Assert.Equal(VersionNumber.Parse("2.0.0"), v.NextMajor());
        Assert.Throws<ArgumentOutOfRangeException>(() => VersionNumber.Parse("1.2.999").NextPatch());
    }

    [Fact]
    public void TryFormat_TooSmallBuffer_ReturnsFalse_Z1()
    {
        var v = VersionNumber.Parse("123.456.789-rc1");
        Span<char> small = stackalloc char[5];
        Assert.False(v.TryFormat(small, out _, default, null));
        Span<char> big = stackalloc char[32];
        Assert.True(v.TryFormat(big, out var written, default, null));
        Assert.Equal("123.456.789-rc1", big[..written].ToString());
        Assert.Equal("123.456.789-rc1", $"{v}");
    }
}
