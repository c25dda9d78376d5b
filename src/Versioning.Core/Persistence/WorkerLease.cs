using NodaTime;

namespace Versioning.Core.Persistence;

/// <summary>
/// A lease on one resource of the background worker (a migration job, an event consumer), stored in the database so
/// that host instances sharing it agree on who works on what (H2, H3). Whoever holds the lease of a resource is its only
/// worker until <see cref="ExpiresAt"/>; the holder renews it while it works. Every acquisition by a new holder raises
/// <see cref="Generation"/>, and every write made under the lease is fenced with it: a holder whose lease was taken over
/// (because it stalled past the expiry) can no longer commit anything.
/// </summary>
/// <param name="Resource">What is leased, for example <c>migration:…</c> or <c>consumer:…</c> (see <see cref="ForJob"/>, <see cref="ForConsumer"/>).</param>
/// <param name="Holder">Who holds it: one name per worker instance.</param>
/// <param name="Generation">The fencing token: 1 for the first holder, one more for each later acquisition by anyone.</param>
/// <param name="ExpiresAt">When the lease lapses unless renewed.</param>
public sealed record WorkerLease(string Resource, string Holder, long Generation, Instant ExpiresAt)
{
    /// <summary>The longest resource or holder name, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The resource name of a migration or upgrade job.</summary>
    /// <param name="id">The job.</param>
    /// <returns><c>migration:</c> and the job's id.</returns>
    public static string ForJob(MigrationId id) => "migration:" + id;

    /// <summary>The resource name of a named event consumer.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <returns><c>consumer:</c> and the name.</returns>
    /// <exception cref="ArgumentException">The name is blank, too long or holds control or invisible characters.</exception>
    public static string ForConsumer(string consumer) => "consumer:" + CheckName(consumer, nameof(consumer));

    /// <summary>Checks a resource, holder or consumer name: no surrounding white space, 1–<see cref="MaxNameLength"/> characters, no control or invisible format characters, no line or paragraph separators (X11).</summary>
    /// <param name="name">The name.</param>
    /// <param name="paramName">The parameter named in the exception.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    public static string CheckName(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        var checkedName = Preconditions.Name(name, paramName, MaxNameLength);
        if (!string.Equals(checkedName, name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{paramName} must not start or end with white space (was '{name}').", paramName);
        }

        return name;
    }
}
