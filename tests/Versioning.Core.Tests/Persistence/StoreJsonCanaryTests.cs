using Versioning.Core.Integrations;
using Versioning.Core.Persistence;

namespace Versioning.Core.Tests.Persistence;

/// <summary>Canaries (K1) live in the integration header JSON: databases written before canaries existed need no upgrade.</summary>
public sealed class StoreJsonCanaryTests
{
    [Fact]
    public void ReadIntegration_HeaderWrittenBeforeCanaries_ReadsNoCanary_K1()
    {
        const string header = """{"createdBy":"alice","createdAt":0,"hasPromoted":false,"team":["alice"],"sharedWithAll":[],"usedNumbers":["1.0.0"]}""";

        var snapshot = StoreJson.ReadIntegration(IntegrationId.New(), "Old", 3, header, [], []);

        Assert.Empty(snapshot.Canaries);
        Assert.False(snapshot.Canaries.IsDefault);
        Assert.DoesNotContain("canaries", StoreJson.WriteHeader(snapshot), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteHeader_WithACanary_ReadsItBackExactly_K1()
    {
        var integration = Integration.Create(IntegrationId.New(), "New", new ActorId("alice"), Instant.FromUnixTimeTicks(5));
        var canary = new Canary(CanaryId.New(), new VersionNumber(1, 0, 0), new VersionNumber(1, 1, 0), 42, CanaryScope.ForUser("o\"livia"), new ActorId("alice"), Instant.FromUnixTimeTicks(7), Instant.FromUnixTimeTicks(7) + Duration.FromMinutes(1));
        var snapshot = integration.ToSnapshot() with { Canaries = [canary] };

        var read = StoreJson.ReadIntegration(snapshot.Id, snapshot.Name, 1, StoreJson.WriteHeader(snapshot), [], []);

        var back = Assert.Single(read.Canaries);
        Assert.Equal((canary.Id, canary.From, canary.To, canary.Percent), (back.Id, back.From, back.To, back.Percent));
        Assert.Equal((canary.Scope, canary.StartedBy, canary.StartedAt, canary.EndsAt), (back.Scope, back.StartedBy, back.StartedAt, back.EndsAt));
        Assert.Equal((canary.FromKey, canary.ToKey), (back.FromKey, back.ToKey));
        Assert.Equal(canary, back);
    }

    [Fact]
    public void FromSnapshot_DefaultCanariesArray_ReadsAsNone_K1()
    {
        var snapshot = Integration.Create(IntegrationId.New(), "Plugin store", new ActorId("alice"), Instant.FromUnixTimeTicks(5)).ToSnapshot() with { Canaries = default };

        var integration = Integration.FromSnapshot(snapshot);

        Assert.Empty(integration.Canaries);
        Assert.False(integration.ToSnapshot().Canaries.IsDefault);
    }
}
