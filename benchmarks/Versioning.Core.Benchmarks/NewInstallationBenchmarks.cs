using BenchmarkDotNet.Attributes;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// P3: the in-memory questions asked on every installation: which version a new installation gets
/// (<see cref="Integration.ResolveForNewInstallation"/> with no version named; target ≤ 50 ns, 0 B), and whether an
/// existing installation may run (<see cref="Integration.CanRun"/>, <see cref="Template.CanRun"/>).
/// </summary>
/// <remarks>
/// The <c>CanRun</c> rows walk <see cref="Installations"/> precomputed installations (Running and Paused, pinned to
/// Promoted, Available, Private and Legacy versions, or to Live, Deprecated and Draft releases) and report the time per
/// installation.
/// </remarks>
[MemoryDiagnoser]
public class NewInstallationBenchmarks
{
    /// <summary>Installations walked per <c>CanRun</c> invocation.</summary>
    public const int Installations = 16;

    private static readonly ActorId Outsider = new("someone.else@example.com");

    private Integration _integration = null!;
    private Template _template = null!;
    private VersionNumber _available;
    private Installation[] _integrationInstallations = [];
    private Installation[] _templateInstallations = [];

    /// <summary>How many versions (and releases) the integration (and the template) has.</summary>
    [Params(10, 10_000)]
    public int Versions { get; set; }

    /// <summary>Builds the integration, the template and the installations.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _integration = BenchmarkData.IntegrationWithVersions(Versions);
        _available = BenchmarkData.Number(Versions - 2);
        _integration.MarkLegacy(BenchmarkData.Number(0), BenchmarkData.Owner, BenchmarkData.At);

        _template = Template.Create(TemplateId.New(), "Benchmark template", BenchmarkData.Owner, BenchmarkData.At);
        _template.SetPublished(true, BenchmarkData.Owner, BenchmarkData.At);
        for (var i = 0; i < Versions; i++)
        {
            _template.CreateDraft(null, BenchmarkData.Owner, BenchmarkData.At);
        }

        _template.Promote(new ReleaseNumber(Versions - 2), BenchmarkData.Owner, BenchmarkData.At);
        _template.Promote(new ReleaseNumber(Versions - 1), BenchmarkData.Owner, BenchmarkData.At);

        var random = new Random(7);
        int[] versionIndexes = [Versions - 1, Versions - 2, 0, Versions / 2];
        int[] releaseNumbers = [Versions - 1, Versions - 2, Versions, 1];
        _integrationInstallations = new Installation[Installations];
        _templateInstallations = new Installation[Installations];
        for (var i = 0; i < Installations; i++)
        {
            var status = random.Next(4) == 0 ? RunStatus.Paused : RunStatus.Running;
            _integrationInstallations[i] = NewInstallation(ProductRef.Of(_integration.Id), VersionKey.ForVersion(BenchmarkData.Number(versionIndexes[random.Next(4)])), status);
            _templateInstallations[i] = NewInstallation(ProductRef.Of(_template.Id), VersionKey.ForRelease(new ReleaseNumber(releaseNumbers[random.Next(4)])), status);
        }
    }

    /// <summary>The version a new installation gets when the user names none: the Promoted one (Z10).</summary>
    /// <returns>The version number.</returns>
    [Benchmark]
    public VersionNumber ResolveForNewInstallation_Default() => _integration.ResolveForNewInstallation(null, Outsider, BenchmarkData.At);

    /// <summary>For comparison: a team member names an Available version (access check, lookup and lifecycle check).</summary>
    /// <returns>The version number.</returns>
    [Benchmark]
    public VersionNumber ResolveForNewInstallation_NamedAvailable() => _integration.ResolveForNewInstallation(_available, BenchmarkData.Owner, BenchmarkData.At);

    /// <summary>Whether an integration installation may run now (I3), per installation.</summary>
    /// <returns>How many may run.</returns>
    [Benchmark(OperationsPerInvoke = Installations)]
    public int Integration_CanRun()
    {
        var running = 0;
        foreach (var installation in _integrationInstallations)
        {
            if (_integration.CanRun(installation, BenchmarkData.At))
            {
                running++;
            }
        }

        return running;
    }

    /// <summary>Whether a template installation may run now (I3), per installation.</summary>
    /// <returns>How many may run.</returns>
    [Benchmark(OperationsPerInvoke = Installations)]
    public int Template_CanRun()
    {
        var running = 0;
        foreach (var installation in _templateInstallations)
        {
            if (_template.CanRun(installation, BenchmarkData.At))
            {
                running++;
            }
        }

        return running;
    }

    private static Installation NewInstallation(ProductRef product, VersionKey pinned, RunStatus status) => new()
    {
        Id = InstallationId.New(),
        Product = product,
        Owner = OwnerRef.Account("account-1"),
        Pinned = pinned,
        Status = status,
        CreatedAt = BenchmarkData.At,
        UpdatedAt = BenchmarkData.At,
    };
}
