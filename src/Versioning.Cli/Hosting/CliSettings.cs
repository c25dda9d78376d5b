using NodaTime;
using Versioning.Core;

namespace Versioning.Cli.Hosting;

/// <summary>The global options of one invocation, checked.</summary>
/// <param name="Store">Where the data lives.</param>
/// <param name="StoreIsExplicit">Whether <c>--db</c> or <c>--postgres</c> was given (the demo uses a fresh file otherwise).</param>
/// <param name="Actor">Who runs the commands (<c>--as</c>).</param>
/// <param name="At">The fixed instant of <c>--at</c>, or null for the system clock.</param>
/// <param name="Json">Whether to write JSON instead of tables.</param>
internal sealed record CliSettings(StoreChoice Store, bool StoreIsExplicit, ActorId Actor, Instant? At, bool Json);
