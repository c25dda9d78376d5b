namespace Versioning.Core.Installations;

/// <summary>Which installations a migration or upgrade selects (M2): exactly one of a percentage, one user, or one account.</summary>
public sealed record MigrationScope
{
    private MigrationScope(int percent, OwnerRef? owner)
    {
        Percent = percent;
        Owner = owner;
    }

    /// <summary>The percentage 1–100, or 0 when the scope is one owner.</summary>
    public int Percent { get; }

    /// <summary>The one user or account, or null when the scope is a percentage.</summary>
    public OwnerRef? Owner { get; }

    /// <summary>True when the scope is one user or one account.</summary>
    public bool IsSingleOwner => Owner is not null;

    /// <summary>Every installation (100 %).</summary>
    public static MigrationScope All { get; } = new(100, null);

    /// <summary>A sticky percentage cohort (M4).</summary>
    /// <param name="percent">1–100.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside 1–100.</exception>
    public static MigrationScope Percentage(int percent) => new(Preconditions.InRange(percent, 1, 100, nameof(percent)), null);

    /// <summary>One user's installations.</summary>
    /// <param name="userId">The user.</param>
    /// <returns>The scope.</returns>
    public static MigrationScope ForUser(string userId) => new(0, OwnerRef.User(userId));

    /// <summary>One account's installations.</summary>
    /// <param name="accountId">The account.</param>
    /// <returns>The scope.</returns>
    public static MigrationScope ForAccount(string accountId) => new(0, OwnerRef.Account(accountId));

    /// <summary>One owner's installations.</summary>
    /// <param name="owner">The user or account.</param>
    /// <returns>The scope.</returns>
    public static MigrationScope ForOwner(OwnerRef owner) => new(0, Preconditions.NotDefault(owner, nameof(owner)));

    /// <summary>Whether the scope selects an installation moving from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="id">The installation.</param>
    /// <param name="owner">Its owner.</param>
    /// <param name="from">The version it is pinned to.</param>
    /// <param name="to">The target version.</param>
    /// <returns>True when selected.</returns>
    public bool Selects(InstallationId id, OwnerRef owner, VersionKey from, VersionKey to)
        => Owner is { } o ? o == owner : Cohort.IsSelected(id, from, to, Percent);

    /// <summary>Returns <c>50%</c> for a percentage, or the owner (<c>user:ada</c>, <c>account:acme</c>); stable, for people and the CLI.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Owner is { } o ? o.ToString() : $"{Percent}%";
}
