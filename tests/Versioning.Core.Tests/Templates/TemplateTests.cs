using Versioning.Core.Templates;
using static Versioning.Core.Tests.Templates.Actors;

namespace Versioning.Core.Tests.Templates;

/// <summary>
/// Tests of the <see cref="Template"/> aggregate: pure domain, time and actor passed in. Split by aspect into
/// partial files (TemplateTests.Promote.cs, …); the service, stores and concurrency are in TemplateServiceTests.
/// </summary>
public partial class TemplateTests
{
    private static readonly Instant T0 = Instant.FromUtc(2025, 3, 1, 9, 0);

    /// <summary>The instant <paramref name="minutes"/> minutes after <see cref="T0"/>.</summary>
    private static Instant At(int minutes) => T0 + Duration.FromMinutes(minutes);

    private static Template NewTemplate(string name = "CRM sync") => Template.Create(TemplateId.New(), name, Alice, T0);

    /// <summary>A template with release 1 Deprecated, 2 Live and 3 Draft (contents V1, V2, V3).</summary>
    private static Template Lineage()
    {
        var template = NewTemplate();
        template.CreateDraft(Workflows.OneStep("V1"), Alice, At(1));
        template.CreateDraft(Workflows.OneStep("V2"), Alice, At(2));
        template.CreateDraft(Workflows.OneStep("V3"), Alice, At(3));
        template.Promote(R(1), Alice, At(4));
        template.Promote(R(2), Alice, At(5));
        return template;
    }

    [Fact]
    public void Lineage_HasOneReleaseInEachState()
    {
        var template = Lineage();
        Assert.Equal(
            [(R(1), ReleaseState.Deprecated), (R(2), ReleaseState.Live), (R(3), ReleaseState.Draft)],
            template.Releases.Select(r => (r.Number, r.State)));
    }
}
