using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;

// Every [Property] of the assembly draws domain values from DomainArbitraries, quiet when it passes. A failure prints
// "Falsifiable, after N tests (k shrinks) (seed,gamma)": paste that pair into [Property(Replay = "seed,gamma")] to rerun it.
[assembly: Properties(Arbitrary = new[] { typeof(Versioning.Core.Tests.Shared.DomainArbitraries) }, QuietOnSuccess = true)]

namespace Versioning.Core.Tests.Shared;

/// <summary>
/// The FsCheck arbitraries of the domain's values, in one place: version numbers biased to the edges of each part,
/// version keys of both kinds, every id type, actors and owners with awkward but valid text. Registered for the whole
/// test assembly; a property takes these types as parameters.
/// </summary>
public static class DomainArbitraries
{
    /// <summary>Letters, digits and hyphens: what a version label may hold.</summary>
    public const string LabelAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";

    /// <summary>A part 0–999, biased to the edges.</summary>
    public static Gen<int> Parts { get; } = Gen.Frequency(
        (6, Gen.Choose(0, VersionNumber.MaxPart)),
        (4, Gen.Elements(0, 1, 9, 10, 99, 100, 998, 999)));

    /// <summary>A valid label: 1–12 letters, digits or hyphens; a numeric one has no leading zero.</summary>
    public static Gen<string> Labels { get; } =
        from length in Gen.Choose(1, VersionNumber.MaxPreReleaseLength)
        from chars in Gen.ArrayOf(Gen.Elements(LabelAlphabet.ToCharArray()), length)
        let label = new string(chars)
        where !(label.Length > 1 && label[0] == '0' && label.All(char.IsAsciiDigit))
        select label;

    /// <summary>Any valid version number, half of them labelled (built by the constructor, not the parser).</summary>
    public static Gen<VersionNumber> VersionNumbers { get; } =
        from major in Parts
        from minor in Parts
        from patch in Parts
        from label in Gen.Frequency((1, Gen.Constant<string?>(null)), (1, Labels.Select(l => (string?)l)))
        select new VersionNumber(major, minor, patch, label);

    /// <summary>Numbers from a small domain, so equal numbers, equal triples and label ties are common.</summary>
    public static Gen<VersionNumber> CrowdedVersionNumbers { get; } =
        from major in Gen.Choose(0, 2)
        from minor in Gen.Choose(0, 2)
        from patch in Gen.Choose(0, 2)
        from label in Gen.Elements<string?>(null, null, null, "0", "1", "2", "9", "10", "11", "123456789012", "99999999999", "a", "b", "A", "Z", "alpha", "alpha-1", "alpha-2", "-", "--", "1a", "10a", "9a", "rc-1", "RC-1")
        select new VersionNumber(major, minor, patch, label);

    /// <summary>Version keys: integration versions (two in three) and template release numbers.</summary>
    public static Gen<VersionKey> VersionKeys { get; } = Gen.Frequency(
        (2, VersionNumbers.Select(VersionKey.ForVersion)),
        (1, Gen.Choose(1, 100_000).Select(n => VersionKey.ForRelease(new ReleaseNumber(n)))));

    /// <summary>Any GUID: random ones, and the empty and all-ones edges.</summary>
    public static Gen<Guid> Guids { get; } = Gen.Frequency(
        (8, ArbMap.Default.ArbFor<Guid>().Generator),
        (1, Gen.Elements(Guid.Empty, Guid.AllBitsSet)));

    /// <summary>
    /// Valid identifier text (after trimming, 1–200 characters, no control characters, no unpaired surrogates): plain
    /// names, and names holding quotes, colons, backslashes, JSON and SQL metacharacters, accents and emoji.
    /// </summary>
    public static Gen<string> Names { get; } = Gen.Frequency(
            (3, Gen.Elements("system", "ada@example.com", "team", "bot:ci", "a")),
            (2, Gen.Elements("'", "\"", ":", "\\", "{\"a\":1}", "</script>", "DROP TABLE t;", "é", "\U0001F680", " ", "\u00a0", "user:x", "x")
                .NonEmptyListOf().Select(parts => string.Concat(parts))),
            (1, ArbMap.Default.ArbFor<NonWhiteSpaceString>().Generator.Select(s => s.Get)))
        .Select(s => s.Trim())
        .Where(s => s.Length is > 0 and <= ActorId.MaxLength && !s.Any(char.IsControl) && !HasLoneSurrogate(s));

    /// <summary>Version numbers.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<VersionNumber> ForVersionNumber() => VersionNumbers.ToArbitrary();

    /// <summary>Version keys.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<VersionKey> ForVersionKey() => VersionKeys.ToArbitrary();

    /// <summary>Template ids.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<TemplateId> ForTemplateId() => Guids.Select(g => new TemplateId(g)).ToArbitrary();

    /// <summary>Integration ids.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<IntegrationId> ForIntegrationId() => Guids.Select(g => new IntegrationId(g)).ToArbitrary();

    /// <summary>Installation ids.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<InstallationId> ForInstallationId() => Guids.Select(g => new InstallationId(g)).ToArbitrary();

    /// <summary>Migration job ids.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<MigrationId> ForMigrationId() => Guids.Select(g => new MigrationId(g)).ToArbitrary();

    /// <summary>Actors.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ActorId> ForActorId() => Names.Select(n => new ActorId(n)).ToArbitrary();

    /// <summary>Owners of both kinds.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<OwnerRef> ForOwnerRef() =>
        (from kind in Gen.Elements(OwnerKind.Account, OwnerKind.User)
         from id in Names
         select new OwnerRef(kind, id)).ToArbitrary();

    /// <summary>Products of both kinds.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ProductRef> ForProductRef() =>
        (from kind in Gen.Elements(ProductKind.Template, ProductKind.Integration)
         from id in Guids
         select new ProductRef(kind, id)).ToArbitrary();

    /// <summary>Whether <paramref name="text"/> has an unpaired surrogate (not Unicode, cannot be UTF-8 or JSON).</summary>
    /// <param name="text">The text.</param>
    /// <returns>True when one is found.</returns>
    public static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Register instead of the defaults (<c>Arbitrary = new[] { typeof(DomainArbitraries.Crowded) }</c>) to draw version numbers from a small domain.</summary>
    public static class Crowded
    {
        /// <summary>Crowded version numbers.</summary>
        /// <returns>The arbitrary.</returns>
        public static Arbitrary<VersionNumber> ForVersionNumber() => CrowdedVersionNumbers.ToArbitrary();
    }
}
