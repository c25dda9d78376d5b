using Versioning.Core.Integrations;
using Versioning.Core.Persistence;

namespace Versioning.Core.Tests.Persistence;

/// <summary>Users a version is shared with (Z6) are <see cref="ActorId"/>s in the API and the same JSON arrays of ids in the stores.</summary>
public sealed class StoreJsonShareTests
{
    private static readonly ActorId Alice = new("alice");
    private static readonly Instant T0 = Instant.FromUnixTimeTicks(5);

    [Fact]
    public void WriteHeaderAndVersion_SharedUsers_KeepTheStoredTextFormat_Z6()
    {
        var integration = Integration.Create(IntegrationId.New(), "Shares", Alice, T0);
        var number = new VersionNumber(1, 0, 0);
        integration.CreateVersion(number, null, null, false, Alice, T0);
        integration.Share(number, new ActorId("carol"), Alice, T0);
        integration.Share(number, new ActorId("bob"), Alice, T0);
        integration.Share(null, new ActorId("dave"), Alice, T0);

        var header = StoreJson.WriteHeader(integration.ToSnapshot());
        var version = StoreJson.Write(integration.GetVersion(number));

        Assert.Contains("\"sharedWithAll\":[\"dave\"]", header, StringComparison.Ordinal);
        Assert.Contains("\"sharedWith\":[\"bob\",\"carol\"]", version, StringComparison.Ordinal);
        var read = StoreJson.ReadVersion(version);
        Assert.Equal([new ActorId("bob"), new ActorId("carol")], read.SharedWith);
    }

    [Fact]
    public void ReadIntegration_SharedUserStoredBeforeTheX11Rule_StillLoads_Z6()
    {
        const string header = """{"createdBy":"alice","createdAt":0,"hasPromoted":false,"team":["alice"],"sharedWithAll":["zoe\u2028x","carol"],"usedNumbers":[]}""";

        var snapshot = StoreJson.ReadIntegration(IntegrationId.New(), "Old", 3, header, [], []);

        Assert.Equal([new ActorId("carol"), ActorId.FromStored("zoe\u2028x")], snapshot.SharedWithAllVersions);
    }
}
