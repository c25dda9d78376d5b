using Versioning.Core.Content;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;

namespace Versioning.Core.Tests.Persistence;

/// <summary>StoreJson reuses one writer and buffer per thread: documents written one after another never leak into each other.</summary>
public sealed class StoreJsonWriterReuseTests
{
    private static readonly ActorId Alice = new("alice");
    private static readonly Instant T0 = Instant.FromUnixTimeTicks(5);

    [Fact]
    public void Write_LargeThenSmallThenLargeDocuments_EachReadsBackAsWritten()
    {
        var integration = Integration.Create(IntegrationId.New(), "Reuse", Alice, T0);
        var small = new VersionNumber(1, 0, 0);
        var large = new VersionNumber(2, 0, 0);
        integration.CreateVersion(small, null, null, false, Alice, T0);

        // Well over the size at which a thread's buffer is dropped after use (64 KB).
        var settings = Enumerable.Range(0, 400).Select(i => KeyValuePair.Create($"key{i:D4}", new string('v', 300))).ToList();
        var content = new WorkflowDefinition([new Step("big", new ConnectorRef("http", "1.0"), "call", settings)]);
        integration.CreateVersion(large, content, null, false, Alice, T0);

        var firstSmall = StoreJson.Write(integration.GetVersion(small));
        var firstLarge = StoreJson.Write(integration.GetVersion(large));
        var secondSmall = StoreJson.Write(integration.GetVersion(small));
        var secondLarge = StoreJson.Write(integration.GetVersion(large));
        var header = StoreJson.WriteHeader(integration.ToSnapshot());

        Assert.Equal(firstSmall, secondSmall);
        Assert.Equal(firstLarge, secondLarge);
        Assert.True(firstLarge.Length > 100_000);
        Assert.Equal(400, StoreJson.ReadVersion(secondLarge).Content.Steps[0].Settings.Count);
        Assert.Equal(small, StoreJson.ReadVersion(secondSmall).Number);
        Assert.Equal([small, large], StoreJson.ReadIntegration(integration.Id, "Reuse", 1, header, [], []).UsedNumbers);
    }

    [Fact]
    public async Task Write_OnManyThreadsAtOnce_EveryDocumentIsItsOwn()
    {
        var integration = Integration.Create(IntegrationId.New(), "Threads", Alice, T0);
        var numbers = Enumerable.Range(0, 32).Select(i => new VersionNumber(1, i, 0)).ToList();
        foreach (var number in numbers)
        {
            integration.CreateVersion(number, null, null, false, Alice, T0);
        }

        var written = await Task.WhenAll(numbers.Select(n => Task.Run(() => Enumerable.Range(0, 50).Select(_ => StoreJson.Write(integration.GetVersion(n))).Distinct().ToList())));

        for (var i = 0; i < numbers.Count; i++)
        {
            Assert.Equal(numbers[i], StoreJson.ReadVersion(Assert.Single(written[i])).Number);
        }
    }
}
