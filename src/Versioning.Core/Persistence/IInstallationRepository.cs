using Versioning.Core.Events;
using Versioning.Core.Installations;

namespace Versioning.Core.Persistence;

/// <summary>
/// Stores installations, which can number in the millions: keyset paging, counts per version, and set-based moves
/// (migrations move them in batches) instead of loading them all.
/// </summary>
public interface IInstallationRepository
{
    /// <summary>Loads an installation, or returns null.</summary>
    /// <param name="id">The installation's identifier.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The installation, or null.</returns>
    Task<Installation?> FindAsync(InstallationId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts (when <see cref="Installation.Revision"/> is 0) or updates an installation with a revision check, together
    /// with its event, atomically. Returns the stored value (revision incremented, event positioned).
    /// </summary>
    /// <param name="installation">The new value.</param>
    /// <param name="domainEvent">The event describing the change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored installation.</returns>
    /// <exception cref="ConcurrencyConflictException">The stored revision differs, or the id exists on insert.</exception>
    Task<Installation> SaveAsync(Installation installation, DomainEvent domainEvent, CancellationToken cancellationToken = default);

    /// <summary>Counts the installations of a product pinned to each release or version, by run status.</summary>
    /// <param name="product">The template or integration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Counts per pinned version; versions with none are absent.</returns>
    Task<IReadOnlyDictionary<VersionKey, InstallationCounts>> CountByVersionAsync(ProductRef product, CancellationToken cancellationToken = default);

    /// <summary>Counts the installations pinned to one release or version.</summary>
    /// <param name="product">The template or integration.</param>
    /// <param name="pinned">The release or version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts.</returns>
    Task<InstallationCounts> CountAsync(ProductRef product, VersionKey pinned, CancellationToken cancellationToken = default);

    /// <summary>Lists a product's installations in identifier order, a page at a time (keyset paging).</summary>
    /// <param name="product">The template or integration.</param>
    /// <param name="after">Start after this identifier; null for the first page.</param>
    /// <param name="take">The page size, 1 to 10 000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Up to <paramref name="take"/> installations.</returns>
    Task<IReadOnlyList<Installation>> ListAsync(ProductRef product, InstallationId? after, int take, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the installations of a product pinned to one release or version, in identifier order, a page at a time
    /// (keyset paging).
    /// </summary>
    /// <remarks>
    /// The default implementation pages through <see cref="ListAsync"/> and keeps the installations on
    /// <paramref name="pinned"/>: correct for every store, but it pages through the process. The SQLite and PostgreSQL
    /// stores answer with one query over the product's installations in id order (they keep the pinned version out of
    /// their indexes, so that a migration only rewrites rows); a store of your own may also index (product, pinned, id).
    /// </remarks>
    /// <param name="product">The template or integration.</param>
    /// <param name="pinned">The release or version.</param>
    /// <param name="after">Start after this identifier; null for the first page.</param>
    /// <param name="take">The page size, 1 to 10 000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Up to <paramref name="take"/> installations pinned to <paramref name="pinned"/>; fewer only at the end.</returns>
    /// <exception cref="ArgumentException"><paramref name="pinned"/> is the empty default.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="take"/> is outside 1–10 000.</exception>
    async Task<IReadOnlyList<Installation>> ListByVersionAsync(ProductRef product, VersionKey pinned, InstallationId? after, int take, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(pinned, nameof(pinned));
        Preconditions.InRange(take, 1, 10_000, nameof(take));
        var found = new List<Installation>(Math.Min(take, 256));
        while (true)
        {
            var page = await ListAsync(product, after, take, cancellationToken).ConfigureAwait(false);
            foreach (var installation in page)
            {
                if (installation.Pinned == pinned)
                {
                    found.Add(installation);
                    if (found.Count == take)
                    {
                        return found;
                    }
                }
            }

            if (page.Count < take)
            {
                return found;
            }

            after = page[^1].Id;
        }
    }
}
