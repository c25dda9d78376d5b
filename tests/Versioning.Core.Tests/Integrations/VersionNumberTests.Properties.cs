using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Versioning.Core.Integrations;
using Versioning.Core.Tests.Shared;

namespace Versioning.Core.Tests.Integrations;

/// <summary>Z1 as properties: round trips, rejection of malformed text, and ordering as a total order matching semver.</summary>
public partial class VersionNumberTests
{
    /// <summary>Any valid version number as its parts (generated independently of the parser).</summary>
    private static Gen<(int Major, int Minor, int Patch, string? Label)> ValidPartsGen { get; } =
        DomainArbitraries.VersionNumbers.Select(v => (v.Major, v.Minor, v.Patch, v.PreRelease));

    private static Gen<string> LabelGen => DomainArbitraries.Labels;

    private static string Format((int Major, int Minor, int Patch, string? Label) p)
        => string.Create(CultureInfo.InvariantCulture, $"{p.Major}.{p.Minor}.{p.Patch}") + (p.Label is null ? string.Empty : "-" + p.Label);

    [Property(MaxTest = 2_000)]
    public void ParseFormat_EveryValidNumber_RoundTrips_Z1(VersionNumber number)
    {
        var parts = (number.Major, number.Minor, number.Patch, number.PreRelease);
        var text = Format(parts);
        var parsed = VersionNumber.Parse(text);
        var constructed = new VersionNumber(parts.Major, parts.Minor, parts.Patch, parts.PreRelease);

        Assert.Equal(text, parsed.ToString());
        Assert.Equal(constructed, parsed);
        Assert.Equal(parts, (parsed.Major, parsed.Minor, parsed.Patch, parsed.PreRelease));
        Assert.Equal(constructed.GetHashCode(), parsed.GetHashCode());
        Assert.True(VersionNumber.TryParse(text, out var viaTry) && viaTry == parsed);
        Assert.Equal(parsed, VersionNumber.Parse(parsed.ToString()));
    }

    /// <summary>Malformed text, one kind of defect at a time, built from a valid number.</summary>
    private static Gen<string> MalformedGen { get; } = Gen.OneOf(
        // A leading zero on a numeric part.
        from p in ValidPartsGen
        from which in Gen.Choose(0, 2)
        from zeros in Gen.Elements("0", "00")
        select ReplacePart(p, which, zeros + PartText(p, which)),
        // A part greater than 999.
        from p in ValidPartsGen
        from which in Gen.Choose(0, 2)
        from big in Gen.Choose(1_000, 999_999)
        select ReplacePart(p, which, big.ToString(CultureInfo.InvariantCulture)),
        // A label longer than 12 characters.
        from p in ValidPartsGen
        from length in Gen.Choose(VersionNumber.MaxPreReleaseLength + 1, 40)
        from chars in Gen.ArrayOf(Gen.Elements(DomainArbitraries.LabelAlphabet.ToCharArray()), length)
        select Format(p with { Label = new string(chars) }),
        // A label with a dot (semver's identifier separator is not allowed here).
        from p in ValidPartsGen
        from left in LabelGen
        from right in LabelGen
        where left.Length + right.Length < VersionNumber.MaxPreReleaseLength
        select Format(p with { Label = left + "." + right }),
        // A label with a character that is not a letter, digit or hyphen.
        from p in ValidPartsGen
        from label in LabelGen
        from bad in Gen.Elements(' ', '_', '+', '.', '/', '\u00e9', '\u0661', '\t', '\u00a0')
        from at in Gen.Choose(0, label.Length)
        select Format(p with { Label = label.Insert(Math.Min(at, label.Length), bad.ToString()) }),
        // An empty label after the hyphen.
        from p in ValidPartsGen
        select Format(p with { Label = null }) + "-",
        // An empty part.
        from p in ValidPartsGen
        from which in Gen.Choose(0, 2)
        select ReplacePart(p, which, string.Empty),
        // A non-digit inside a numeric part.
        from p in ValidPartsGen
        from which in Gen.Choose(0, 2)
        from junk in Gen.Elements("x", "1a", "a1", " 1", "1 ", "+1", "1_0", "\u0661", "\uff11", "1e2", "0x1", "\u00bd")
        select ReplacePart(p, which, junk),
        // Too few or too many parts.
        from p in ValidPartsGen
        from shape in Gen.Elements("{0}", "{0}.{1}", "{0}.{1}.{2}.{0}", "{0}.{1}.{2}.", ".{0}.{1}.{2}")
        select string.Format(CultureInfo.InvariantCulture, shape, p.Major, p.Minor, p.Patch) + (p.Label is null ? string.Empty : "-" + p.Label),
        // A numeric label with a leading zero.
        from p in ValidPartsGen
        from n in Gen.Choose(0, 99_999)
        select Format(p with { Label = "0" + n.ToString(CultureInfo.InvariantCulture) }));

    private static string PartText((int Major, int Minor, int Patch, string? Label) p, int which)
        => (which switch { 0 => p.Major, 1 => p.Minor, _ => p.Patch }).ToString(CultureInfo.InvariantCulture);

    private static string ReplacePart((int Major, int Minor, int Patch, string? Label) p, int which, string part)
    {
        string[] parts = [PartText(p, 0), PartText(p, 1), PartText(p, 2)];
        parts[which] = part;
        return string.Join('.', parts) + (p.Label is null ? string.Empty : "-" + p.Label);
    }

    [Property(MaxTest = 2_000)]
    public Property Parse_EveryMalformedNumber_IsRejected_Z1()
        => Prop.ForAll(MalformedGen.ToArbitrary(), text =>
        {
            Assert.False(VersionNumber.TryParse(text, out _), $"TryParse accepted '{text}'");
            Assert.False(VersionNumber.TryParse(text.AsSpan(), out _), $"TryParse(span) accepted '{text}'");
            Assert.Throws<FormatException>(() => VersionNumber.Parse(text));
        });

    [Property(MaxTest = 2_000, Arbitrary = new[] { typeof(DomainArbitraries.Crowded) })]
    public void CompareTo_IsATotalOrderConsistentWithEquals_Z1(VersionNumber a, VersionNumber b, VersionNumber c)
    {
        var ab = Math.Sign(a.CompareTo(b));

        // Antisymmetric, and zero exactly when equal (with equal hashes).
        Assert.Equal(ab, -Math.Sign(b.CompareTo(a)));
        Assert.Equal(ab == 0, a.Equals(b));
        Assert.Equal(ab == 0, a == b);
        Assert.Equal(ab != 0, a != b);
        Assert.Equal(ab == 0, a.Equals((object)b));
        if (ab == 0)
        {
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
        }

        // Operators agree with CompareTo.
        Assert.Equal(ab < 0, a < b);
        Assert.Equal(ab <= 0, a <= b);
        Assert.Equal(ab > 0, a > b);
        Assert.Equal(ab >= 0, a >= b);

        // Transitive.
        if (a <= b && b <= c)
        {
            Assert.True(a <= c, $"{a} <= {b} <= {c} but not {a} <= {c}");
        }

        if (a < b && b < c)
        {
            Assert.True(a < c, $"{a} < {b} < {c} but not {a} < {c}");
        }

        Assert.Equal(0, a.CompareTo(a));
    }

    [Property(MaxTest = 2_000)]
    public Property CompareTo_AgreesWithReferenceSemverPrecedence_Z1()
        => Prop.ForAll(Gen.Two(Gen.OneOf(DomainArbitraries.CrowdedVersionNumbers, DomainArbitraries.VersionNumbers)).ToArbitrary(), pair =>
        {
            var (a, b) = pair;
            var expected = SemverReference.Compare(a.ToString(), b.ToString());
            Assert.True(expected == Math.Sign(a.CompareTo(b)), $"{a} vs {b}: reference says {expected}, CompareTo says {a.CompareTo(b)}");
        });

    [Property(MaxTest = 300, Arbitrary = new[] { typeof(DomainArbitraries.Crowded) })]
    public void Sort_AgreesWithReferenceSemverPrecedence_Z1(VersionNumber[] list)
    {
        var sorted = list.Order().Select(v => v.ToString()).ToList();
        var reference = list.Select(v => v.ToString()).ToList();
        reference.Sort(SemverReference.Compare);
        Assert.Equal(reference, sorted);
    }

    /// <summary>
    /// An independent reading of semver 2.0.0 §11 precedence over text: numbers compared numerically; a version with a
    /// pre-release has lower precedence; pre-release identifiers (dot-separated) compare numerically when both are
    /// digits, numeric ones before alphanumeric ones, alphanumeric ones by ASCII; a shorter list of equal identifiers first.
    /// </summary>
    private static class SemverReference
    {
        public static int Compare(string? left, string? right)
        {
            var (lCore, lPre) = Split(left!);
            var (rCore, rPre) = Split(right!);
            for (var i = 0; i < 3; i++)
            {
                var c = long.Parse(lCore[i], CultureInfo.InvariantCulture).CompareTo(long.Parse(rCore[i], CultureInfo.InvariantCulture));
                if (c != 0)
                {
                    return Math.Sign(c);
                }
            }

            if (lPre is null || rPre is null)
            {
                return lPre is null && rPre is null ? 0 : lPre is null ? 1 : -1;
            }

            var l = lPre.Split('.');
            var r = rPre.Split('.');
            for (var i = 0; i < Math.Min(l.Length, r.Length); i++)
            {
                var c = CompareIdentifier(l[i], r[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return Math.Sign(l.Length.CompareTo(r.Length));
        }

        private static int CompareIdentifier(string a, string b)
        {
            var aNumeric = a.All(char.IsAsciiDigit);
            var bNumeric = b.All(char.IsAsciiDigit);
            if (aNumeric && bNumeric)
            {
                return Math.Sign(System.Numerics.BigInteger.Parse(a, CultureInfo.InvariantCulture).CompareTo(System.Numerics.BigInteger.Parse(b, CultureInfo.InvariantCulture)));
            }

            if (aNumeric != bNumeric)
            {
                return aNumeric ? -1 : 1;
            }

            return Math.Sign(string.CompareOrdinal(a, b));
        }

        private static (string[] Core, string? PreRelease) Split(string text)
        {
            var dash = text.IndexOf('-', StringComparison.Ordinal);
            var core = dash < 0 ? text : text[..dash];
            return (core.Split('.'), dash < 0 ? null : text[(dash + 1)..]);
        }
    }
}
