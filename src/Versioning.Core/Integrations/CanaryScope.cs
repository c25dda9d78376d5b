using System.Text.Json.Serialization;
using Versioning.Core.Installations;


namespace Versioning.Core.Integrations;

/// <summary>
/// Whose executions a canary may divert (K1): every installation (the default value), one user's, one account's, or one
/// user's within one account. An installation is owned by a user or an account (I1); the account an execution runs in is
/// told by the host at routing time (the <c>account</c> argument of <see cref="Integration"/>'s <c>Route</c>).
/// Immutable.
/// </summary>
[JsonConverter(typeof(CanaryScopeJsonConverter))]
public readonly struct CanaryScope : IEquatable<CanaryScope>
{
    private CanaryScope(string? user, string? account)
    {
        User = user;
        Account = account;
    }

    /// <summary>Every installation of the canary's source version: the default value.</summary>
    public static CanaryScope All => default;

    /// <summary>The one user, or null.</summary>
    public string? User { get; }

    /// <summary>The one account, or null.</summary>
    public string? Account { get; }

    /// <summary>True for the scope that covers every installation.</summary>
    public bool IsAll => User is null && Account is null;

    /// <summary>
    /// The principal a Private target is shared with when the canary starts (as a migration to one owner does, M3): the
    /// user when the scope names one, else the account — as an account principal, never as a user of the same id (X8);
    /// null for <see cref="All"/>.
    /// </summary>
    public OwnerRef? SharePrincipal => User is { } user ? OwnerRef.User(user) : Account is { } account ? OwnerRef.Account(account) : null;

    /// <summary>One user's installations.</summary>
    /// <param name="userId">The user: 1–200 characters after trimming, no control characters.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is null, blank, too long or has control characters.</exception>
    public static CanaryScope ForUser(string userId) => new(Preconditions.Text(userId, nameof(userId), OwnerRef.MaxIdLength), null);

    /// <summary>One account's installations, and every execution the host runs within that account.</summary>
    /// <param name="accountId">The account: 1–200 characters after trimming, no control characters.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="accountId"/> is null, blank, too long or has control characters.</exception>
    public static CanaryScope ForAccount(string accountId) => new(null, Preconditions.Text(accountId, nameof(accountId), OwnerRef.MaxIdLength));

    /// <summary>One user's installations, only when the host runs them within one account.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="accountId">The account.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException">An identifier is null, blank, too long or has control characters.</exception>
    public static CanaryScope ForUserInAccount(string userId, string accountId)
        => new(Preconditions.Text(userId, nameof(userId), OwnerRef.MaxIdLength), Preconditions.Text(accountId, nameof(accountId), OwnerRef.MaxIdLength));

    /// <summary>The scope for an optional user and an optional account (both null: <see cref="All"/>); for stores and the CLI.</summary>
    /// <param name="userId">The user, or null.</param>
    /// <param name="accountId">The account, or null.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException">A given identifier is blank, too long or has control characters.</exception>
    public static CanaryScope Of(string? userId, string? accountId) => (userId, accountId) switch
    {
        (null, null) => All,
        (not null, null) => ForUser(userId),
        (null, not null) => ForAccount(accountId),
        _ => ForUserInAccount(userId!, accountId!),
    };

    /// <summary>
    /// Whether the scope covers an execution of an installation owned by <paramref name="owner"/> that the host runs
    /// within <paramref name="account"/> (empty when it does not say). A user scope covers that user's installations; an
    /// account scope covers the account's installations and every execution within the account; a user-within-account
    /// scope covers the user's installations only when run within that account. Allocation-free (K6).
    /// </summary>
    /// <param name="owner">The installation's owner.</param>
    /// <param name="account">The account the execution runs in, or empty.</param>
    /// <returns>True when covered.</returns>
    public bool Covers(OwnerRef owner, ReadOnlySpan<char> account)
    {
        if (User is { } user)
        {
            return owner.Kind == OwnerKind.User && string.Equals(owner.Id, user, StringComparison.Ordinal)
                && (Account is not { } within || account.SequenceEqual(within));
        }

        return Account is not { } only
            || (owner.Kind == OwnerKind.Account && string.Equals(owner.Id, only, StringComparison.Ordinal))
            || account.SequenceEqual(only);
    }

    /// <inheritdoc />
    public bool Equals(CanaryScope other) => string.Equals(User, other.User, StringComparison.Ordinal) && string.Equals(Account, other.Account, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CanaryScope other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(User is null ? 0 : StringComparer.Ordinal.GetHashCode(User), Account is null ? 0 : StringComparer.Ordinal.GetHashCode(Account));

    /// <summary>"all", "user:U", "account:A" or "user:U in account:A".</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => (User, Account) switch
    {
        (null, null) => "all",
        (not null, null) => $"user:{User}",
        (null, not null) => $"account:{Account}",
        _ => $"user:{User} in account:{Account}",
    };

    /// <summary>Compares two scopes.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(CanaryScope left, CanaryScope right) => left.Equals(right);

    /// <summary>Compares two scopes.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(CanaryScope left, CanaryScope right) => !left.Equals(right);
}
