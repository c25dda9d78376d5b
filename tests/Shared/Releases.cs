global using static Versioning.Core.Tests.Shared.Releases;

namespace Versioning.Core.Tests.Shared;

/// <summary>Shorthand for release numbers in tests: <c>R(2)</c> is <c>new ReleaseNumber(2)</c>.</summary>
internal static class Releases
{
    /// <summary>The release number <paramref name="number"/>.</summary>
    /// <param name="number">1 or more.</param>
    /// <returns>The release number.</returns>
    public static ReleaseNumber R(int number) => new(number);
}
