using System.Collections.Immutable;
using NodaTime;
using Versioning.Core.Templates;

namespace Versioning.Core.Installations;

/// <summary>
/// One user's or account's use of a template or integration (I1): pinned to exactly one release or version, with a
/// run status and its own settings. Immutable; changes produce a new value saved with a revision check (X3).
/// </summary>
/// <threadsafety>Immutable: safe to share between threads. A change is a new value (<c>with</c>) saved with a
/// revision check (X3).</threadsafety>
public sealed record Installation
{
    /// <summary>The most settings an installation may have.</summary>
    public const int MaxSettings = 200;

    /// <summary>The installation's identifier.</summary>
    public required InstallationId Id { get; init; }

    /// <summary>The template or integration installed.</summary>
    public required ProductRef Product { get; init; }

    /// <summary>Who owns it.</summary>
    public required OwnerRef Owner { get; init; }

    /// <summary>The release or version it is pinned to.</summary>
    public required VersionKey Pinned { get; init; }

    /// <summary>Running or Paused. New installations start Paused (T12).</summary>
    public required RunStatus Status { get; init; }

    /// <summary>The installation's own settings, kept across upgrades and migrations (T13).</summary>
    public ImmutableSortedDictionary<string, string> Settings { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>When it was installed.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required Instant UpdatedAt { get; init; }

    /// <summary>The stored revision (0 before the first save).</summary>
    public long Revision { get; init; }

    /// <summary>Checks settings: at most 200, keys 1–200 characters, values at most 10 000 characters, no control characters in keys.</summary>
    /// <param name="settings">The settings to check.</param>
    /// <returns>The checked settings, sorted by key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> is null.</exception>
    /// <exception cref="ArgumentException">A key or value is invalid, or there are too many.</exception>
    public static ImmutableSortedDictionary<string, string> CheckSettings(IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            var checkedKey = Preconditions.Text(key, nameof(settings), Content.Step.MaxSettingKeyLength);
            if (!builder.TryAdd(checkedKey, Preconditions.FreeText(value, nameof(settings), Content.Step.MaxSettingValueLength)))
            {
                throw new ArgumentException($"settings has the key '{checkedKey}' twice.", nameof(settings));
            }

            if (builder.Count > MaxSettings)
            {
                throw new ArgumentException($"settings must have at most {MaxSettings} entries.", nameof(settings));
            }
        }

        return builder.ToImmutable();
    }
}
