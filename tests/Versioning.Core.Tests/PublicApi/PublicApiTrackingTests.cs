using System.Text.RegularExpressions;
using Mono.Cecil;
using Versioning.Core.Tests.Docs;
using Xunit;

namespace Versioning.Core.Tests.PublicApi;

/// <summary>
/// A5: every package tracks its public surface with Microsoft.CodeAnalysis.PublicApiAnalyzers. The analyzer fails the
/// build on a public member missing from a package's PublicAPI.Shipped.txt / PublicAPI.Unshipped.txt (RS0016) or listed
/// there but gone (RS0017); these tests make sure no package escapes it and that the files describe the built
/// assemblies.
/// </summary>
public sealed class PublicApiTrackingTests
{
    private static readonly string Src = Path.Combine(RepositoryRoot.Path, "src");

    public static TheoryData<string> Packages()
    {
        var data = new TheoryData<string>();
        foreach (var project in Directory.GetFiles(Src, "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(project));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void EveryPackage_HasItsPublicApiFiles_A5(string package)
    {
        foreach (var file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            var path = Path.Combine(Src, package, file);
            Assert.True(File.Exists(path), $"{package} has no {file} (A5)");
            Assert.StartsWith("#nullable enable", File.ReadAllText(path), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheAnalyzer_IsOnForEveryPackableProject_A5()
    {
        var props = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"));
        Assert.Matches(new Regex("""<ItemGroup Condition="'\$\(IsPackable\)' != 'false'">\s*<PackageReference Include="Microsoft.CodeAnalysis.PublicApiAnalyzers" PrivateAssets="all" />"""), props);
        Assert.Contains("""<AdditionalFiles Include="PublicAPI.Unshipped.txt" """, props, StringComparison.Ordinal);
        Assert.Contains("Microsoft.CodeAnalysis.PublicApiAnalyzers", File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props")), StringComparison.Ordinal);
        foreach (var project in Directory.GetFiles(Src, "*.csproj", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("<IsPackable>false</IsPackable>", File.ReadAllText(project), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void EveryPublicType_OfTheBuiltAssembly_IsListed_A5(string package)
    {
        var assemblyName = package == "Versioning.Cli" ? "versioning" : package;
        var path = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
        Assert.True(File.Exists(path), $"{path} is not next to the tests: reference {package} from the test project");
        var listed = File.ReadAllText(Path.Combine(Src, package, "PublicAPI.Shipped.txt")) + "\n" + File.ReadAllText(Path.Combine(Src, package, "PublicAPI.Unshipped.txt"));

        // The files spell generic types with their parameters (ActionSet<TAction>.Enumerator); compare without them.
        while (Regex.IsMatch(listed, "<[^<>]*>"))
        {
            listed = Regex.Replace(listed, "<[^<>]*>", string.Empty);
        }

        using var module = ModuleDefinition.ReadModule(path);
        var missing = module.GetTypes()
            .Where(IsVisible)
            .Select(t => t.FullName.Replace('/', '.'))
            .Select(name => Regex.Replace(name, "`\\d+", string.Empty))
            .Where(name => !Regex.IsMatch(listed, "(^|[ (,<!?])" + Regex.Escape(name) + "(\\b|$)", RegexOptions.Multiline))
            .ToList();
        Assert.True(missing.Count == 0, $"{package}: public types missing from its PublicAPI files (A5): {string.Join(", ", missing)}");
    }

    private static bool IsVisible(TypeDefinition type)
        => type.IsNested ? (type.IsNestedPublic || type.IsNestedFamily || type.IsNestedFamilyOrAssembly) && IsVisible(type.DeclaringType) : type.IsPublic;
}
