using NodaTime;
using Versioning.Core.Events;

namespace Versioning.Core.Integrations;

/// <summary>
/// The outbox event that announces a deprecation notice once it falls due (H5). The background worker stores one per
/// notice, whichever instance sees it first, under a claim on <see cref="Key"/>; handlers receive it through the event
/// delivery (H4). The event's aggregate is the notice itself (kind <see cref="AggregateKind"/>, id <see cref="Key"/>,
/// revision 1): it names the integration and version, not the people to tell.
/// </summary>
public static class DeprecationNoticeEvents
{
    /// <summary>The aggregate kind of notice events.</summary>
    public const string AggregateKind = "DeprecationNotice";

    /// <summary>The event type raised when a notice falls due.</summary>
    public const string RaisedType = "DeprecationNoticeDue";

    /// <summary>A notice's key: the integration's id and the version (a version is deprecated once, on a date that never changes, Z12).</summary>
    /// <param name="notice">The notice.</param>
    /// <returns><c>{integration id}/{version}</c>.</returns>
    public static string Key(DeprecationNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return $"{notice.IntegrationId.Value:D}/{notice.Version}";
    }

    /// <summary>Reads a key made by <see cref="Key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="integration">The integration.</param>
    /// <param name="version">The version.</param>
    /// <returns>True when the key is well formed.</returns>
    public static bool TryParseKey(string? key, out IntegrationId integration, out VersionNumber version)
    {
        integration = default;
        version = default;
        var slash = key?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (key is null || slash < 0 || !Guid.TryParseExact(key.AsSpan(0, slash), "D", out var id) || !VersionNumber.TryParse(key[(slash + 1)..], out version))
        {
            return false;
        }

        integration = new IntegrationId(id);
        return true;
    }

    /// <summary>The event announcing <paramref name="notice"/>.</summary>
    /// <param name="notice">The notice that fell due.</param>
    /// <param name="by">The actor raising it (the worker's).</param>
    /// <param name="at">When it is raised.</param>
    /// <returns>The event, to store with <see cref="Persistence.IWorkerStateRepository.TryClaimNoticeAsync"/>.</returns>
    public static DomainEvent Raised(DeprecationNotice notice, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return new DomainEvent(AggregateKind, Key(notice), RaisedType, notice.Version.ToString(), by, at,
            $"Version {notice.Version} of '{notice.IntegrationName}' is deprecated on {notice.DeprecationDate:yyyy'-'MM'-'dd} ({notice.Reason}); its users must move to another version before then (notice due {notice.DueAt}).");
    }
}
