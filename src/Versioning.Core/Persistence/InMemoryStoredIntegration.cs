using System.Collections.Immutable;
using Versioning.Core.Integrations;

namespace Versioning.Core.Persistence;

/// <summary>
/// One integration as the in-memory store holds it (immutable; a save stores a new instance, so reference equality means
/// "not saved"): the header (a snapshot without versions, used numbers or trail), the versions by number, every number
/// ever used, and the Promoted version's number. A command's load reads only the versions it selects (O(log n) each), and
/// a save merges only the versions the command changed, so both cost the same however many versions there are (P8).
/// </summary>
/// <param name="Header">The integration's state without versions, used numbers or trail; its revision is the stored one.</param>
/// <param name="Versions">The versions, each with its content.</param>
/// <param name="UsedNumbers">Every number ever used (Z1).</param>
/// <param name="Promoted">The Promoted version's number, if any.</param>
internal sealed record InMemoryStoredIntegration(
    IntegrationSnapshot Header,
    ImmutableSortedDictionary<VersionNumber, IntegrationVersion> Versions,
    ImmutableSortedSet<VersionNumber> UsedNumbers,
    VersionNumber? Promoted)
{
    /// <summary>The stored revision.</summary>
    public long Revision => Header.Revision;

    /// <summary>Stores a whole snapshot (an insert, or a test's setup) at <paramref name="revision"/>.</summary>
    public static InMemoryStoredIntegration From(IntegrationSnapshot snapshot, long revision)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Versions.Any(v => !v.HasContent))
        {
            throw new ArgumentException($"Integration '{snapshot.Id}': a new integration's versions must all have their content.", nameof(snapshot));
        }

        return new(
            HeaderOf(snapshot, revision),
            snapshot.Versions.ToImmutableSortedDictionary(v => v.Number, v => v),
            snapshot.UsedNumbers,
            snapshot.Versions.FirstOrDefault(v => v.StoredState == VersionState.Promoted)?.Number);
    }

    /// <summary>What a command's load returns: the selected versions with content, the Promoted one, the facts asked for.</summary>
    public IntegrationSnapshot Load(ItemSelection selection)
    {
        if (selection.IsAll)
        {
            return Header with { Versions = [.. Versions.Values], UsedNumbers = UsedNumbers, Loaded = ItemSelection.All };
        }

        var versions = new List<IntegrationVersion>(selection.Keys.Count + 1);
        foreach (var key in selection.Keys)
        {
            if (VersionNumber.TryParse(key.Value.AsSpan(), out var number) && Versions.TryGetValue(number, out var version))
            {
                versions.Add(version);
            }
        }

        if (Promoted is { } promoted && !versions.Exists(v => v.Number == promoted))
        {
            var current = Versions[promoted];
            versions.Add(selection.CurrentContent ? current : current.WithoutContent());
        }

        versions.Sort((a, b) => a.Number.CompareTo(b.Number));
        return Header with
        {
            Versions = [.. versions],
            UsedNumbers = selection.UsedNumbers ? UsedNumbers : [],
            Loaded = selection,
        };
    }

    /// <summary>
    /// The refusal a save of <paramref name="integration"/> meets on top of the revision check, or null: two Promoted
    /// versions (what the durable stores' unique index refuses), or a changed version that has no content and none stored.
    /// </summary>
    public string? Refusal(Integration integration)
    {
        var promoted = Promoted;
        foreach (var key in integration.RemovedItems)
        {
            if (promoted is { } p && key.Value == p.ToString())
            {
                promoted = null;
            }
        }

        var changedPromoted = new List<VersionNumber>();
        foreach (var key in integration.ChangedItems)
        {
            var version = integration.GetVersion(key.ToVersionNumber());
            if (!version.HasContent && !Versions.ContainsKey(version.Number))
            {
                return $"Integration '{integration.Id}': {version.Label} is new but has no content.";
            }

            if (version.StoredState == VersionState.Promoted)
            {
                changedPromoted.Add(version.Number);
            }
            else if (promoted == version.Number)
            {
                promoted = null;
            }
        }

        var count = changedPromoted.Count + (promoted is { } stillPromoted && !changedPromoted.Contains(stillPromoted) ? 1 : 0);
        return count > 1 ? $"Integration '{integration.Id}' would hold two Promoted versions; the store refuses it." : null;
    }

    /// <summary>
    /// The state after a checked save: the new header, the changed versions merged (a version loaded without its content
    /// keeps the stored one), the removed ones dropped, the numbers used so far added.
    /// </summary>
    public InMemoryStoredIntegration Merge(Integration integration, IntegrationSnapshot snapshot, long revision)
    {
        var versions = Versions.ToBuilder();
        var promoted = Promoted;
        foreach (var key in integration.RemovedItems)
        {
            var number = key.ToVersionNumber();
            versions.Remove(number);
            promoted = promoted == number ? null : promoted;
        }

        foreach (var key in integration.ChangedItems)
        {
            var version = integration.GetVersion(key.ToVersionNumber());
            if (!version.HasContent)
            {
                version = version with { Content = Versions[version.Number].Content };
            }

            versions[version.Number] = version;
            if (version.StoredState == VersionState.Promoted)
            {
                promoted = version.Number;
            }
            else if (promoted == version.Number)
            {
                promoted = null;
            }
        }

        var used = ReferenceEquals(UsedNumbers, snapshot.UsedNumbers) ? UsedNumbers : UsedNumbers.Union(snapshot.UsedNumbers);
        return new(HeaderOf(snapshot, revision), versions.ToImmutable(), used, promoted);
    }

    private static IntegrationSnapshot HeaderOf(IntegrationSnapshot snapshot, long revision)
        => snapshot with { Revision = revision, Versions = [], UsedNumbers = [], AuditTrail = [], AuditTrailStart = 0, Loaded = ItemSelection.All };
}
