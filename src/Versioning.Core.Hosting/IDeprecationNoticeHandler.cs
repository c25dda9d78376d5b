using Versioning.Core.Integrations;
using Versioning.Core.Services;

namespace Versioning.Core.Hosting;

/// <summary>
/// Receives each deprecation notice when it falls due (H5, Z13), registered with
/// <c>AddDeprecationNoticeHandler&lt;T&gt;()</c>. The worker raises a notice once across the fleet (an outbox event of
/// type <see cref="DeprecationNoticeEvents.RaisedType"/>), and delivers it to each handler as an event consumer named
/// <c>notices:</c> + <see cref="Name"/>: at least once, retried and parked like any event (H4).
/// </summary>
/// <remarks>
/// The notice names the integration and the version, which may be one that was never public: whoever the handler
/// tells must be able to see it (X8) — for example the version's users, through <c>IntegrationService.ListNoticesDueAsync</c>
/// with each viewer.
/// </remarks>
public interface IDeprecationNoticeHandler
{
    /// <summary>The handler's name (its consumer is <c>notices:</c> + this name). Keep it stable.</summary>
    string Name { get; }

    /// <summary>Handles a notice that fell due.</summary>
    /// <param name="notice">The notice.</param>
    /// <param name="idempotencyKey">The position of the notice's event: the same on every redelivery.</param>
    /// <param name="cancellationToken">Signalled when the host stops.</param>
    /// <returns>A task; a fault means "retry".</returns>
    Task HandleAsync(DeprecationNotice notice, long idempotencyKey, CancellationToken cancellationToken);
}
