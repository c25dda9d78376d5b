using System.Text.Json.Nodes;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;

namespace Versioning.Core.Tests.Persistence;

/// <summary>Z8: the durable stores' version rows keep each promotion warning's check, and still read rows written without it.</summary>
public sealed class StoreJsonWarningTests
{
    private static readonly IntegrationVersion Version = new()
    {
        Number = new VersionNumber(1, 0, 0),
        StoredState = VersionState.Promoted,
        Notes = "n",
        Content = Versioning.Core.Content.WorkflowDefinition.Empty,
        CreatedBy = new ActorId("ada"),
        CreatedAt = Instant.FromUtc(2026, 1, 1, 0, 0),
        UpdatedAt = Instant.FromUtc(2026, 1, 1, 0, 0),
        PromotionWarnings = [new("Naming", PromotionSeverity.Warning, "names \"should\" be title case"), new("Other", PromotionSeverity.Warning, "second")],
    };

    [Fact]
    public void Version_WithWarnings_RoundTripsCheckAndMessage_Z8()
    {
        var read = StoreJson.ReadVersion(StoreJson.Write(Version));

        Assert.Equal(Version.PromotionWarnings.ToArray(), read.PromotionWarnings.ToArray());
    }

    [Fact]
    public void Version_RowWrittenBeforeChecksWereKept_ReadsMessagesWithAnEmptyCheck_Z8()
    {
        var json = JsonNode.Parse(StoreJson.Write(Version))!.AsObject();
        json["warnings"] = new JsonArray("old warning", "another");

        var read = StoreJson.ReadVersion(json.ToJsonString());

        Assert.Equal(
            [new PromotionFinding("", PromotionSeverity.Warning, "old warning"), new PromotionFinding("", PromotionSeverity.Warning, "another")],
            read.PromotionWarnings.ToArray());
    }

    [Fact]
    public void Version_RowWithoutWarnings_ReadsNone_Z8()
    {
        var json = JsonNode.Parse(StoreJson.Write(Version))!.AsObject();
        json.Remove("warnings");

        Assert.Empty(StoreJson.ReadVersion(json.ToJsonString()).PromotionWarnings);
    }
}
