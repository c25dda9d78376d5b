using NodaTime;
using Versioning.Core.Events;

namespace Versioning.Core.Installations;

/// <summary>The domain events about installations, built in one place so every store and service names them alike.</summary>
public static class InstallationEvents
{
    /// <summary>The aggregate kind of installation events.</summary>
    public const string Kind = "Installation";

    /// <summary>An installation was created.</summary>
    /// <param name="installation">The new installation.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">When.</param>
    /// <returns>The event.</returns>
    public static DomainEvent Installed(Installation installation, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(installation);
        return new(Kind, installation.Id.ToString(), DomainEventTypes.Installed, installation.Pinned.Value, by, at,
            $"{installation.Owner} installed {installation.Product} at {installation.Pinned}.");
    }

    /// <summary>An installation's run status or settings changed.</summary>
    /// <param name="installation">The changed installation.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">When.</param>
    /// <returns>The event.</returns>
    public static DomainEvent Changed(Installation installation, ActorId by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(installation);
        return new(Kind, installation.Id.ToString(), DomainEventTypes.InstallationChanged, installation.Pinned.Value, by, at,
            $"Installation is {installation.Status} with {installation.Settings.Count} setting(s).");
    }
}
