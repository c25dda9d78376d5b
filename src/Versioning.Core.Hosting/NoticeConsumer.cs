using Versioning.Core.Events;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Services;

namespace Versioning.Core.Hosting;

/// <summary>
/// Delivers the notice events (<see cref="DeprecationNoticeEvents.RaisedType"/>) to one <see cref="IDeprecationNoticeHandler"/>
/// as an event consumer of its own, so notices get the same checkpoint, retries and parking as any event (H4, H5).
/// </summary>
internal sealed class NoticeConsumer(IDeprecationNoticeHandler handler, IIntegrationRepository integrations, VersioningOptions options) : IVersioningEventHandler
{
    public string Name { get; } = "notices:" + handler.Name;

    public async Task HandleAsync(DomainEvent domainEvent, CancellationToken cancellationToken)
    {
        if (domainEvent.AggregateKind != DeprecationNoticeEvents.AggregateKind || domainEvent.Type != DeprecationNoticeEvents.RaisedType
            || !DeprecationNoticeEvents.TryParseKey(domainEvent.AggregateId, out var id, out var version))
        {
            return;
        }

        // The notice as it was when it was raised (a version is deprecated once, on a date that never changes).
        var integration = await integrations.FindWithoutAuditTrailAsync(id, cancellationToken).ConfigureAwait(false);
        var notice = integration?.NoticesDue(domainEvent.At, options.DeprecationNoticeDays, options.DeprecationTimeZone).FirstOrDefault(n => n.Version == version);
        if (notice is not null)
        {
            await handler.HandleAsync(notice, domainEvent.Position, cancellationToken).ConfigureAwait(false);
        }
    }
}
