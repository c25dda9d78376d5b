using System.Collections.Immutable;

namespace Versioning.Core;

/// <summary>
/// What a command reads of one product: every version or release (<see cref="All"/>, for queries, views and listings),
/// or only some of them (<see cref="Of(VersionKey[])"/>) plus the Promoted or Live one, and, when a rule needs them,
/// the facts that span the whole product (<see cref="WithUsedNumbers"/>). Stores load only what is selected, so a
/// command costs the same however many items the product has. Immutable; equal by value.
/// </summary>
/// <remarks>
/// An item a selection lists is loaded whole, with its content; the Promoted or Live item is always loaded, without its
/// content unless it is listed. An item that is listed but does not exist is simply absent. An aggregate loaded with a
/// partial selection refuses to answer about an item it did not load (<see cref="InvalidOperationException"/>), never
/// as if the item did not exist.
/// </remarks>
public sealed class ItemSelection : IEquatable<ItemSelection>
{
    private readonly ImmutableArray<VersionKey> _keys;

    private ItemSelection(bool isAll, ImmutableArray<VersionKey> keys, bool usedNumbers)
    {
        IsAll = isAll;
        _keys = keys;
        UsedNumbers = usedNumbers;
    }

    /// <summary>Every item, with content, and every fact: the default, and what queries use.</summary>
    public static ItemSelection All { get; } = new(isAll: true, [], usedNumbers: true);

    /// <summary>True when every item is selected (<see cref="All"/>).</summary>
    public bool IsAll { get; }

    /// <summary>The items listed, distinct and in ordinal order; empty for <see cref="All"/> (which lists none but holds every one).</summary>
    public IReadOnlyList<VersionKey> Keys => _keys;

    /// <summary>
    /// True when every number ever used is loaded (the integration rules Z1/Z2 read them when a version is created or
    /// cloned); always true for <see cref="All"/>.
    /// </summary>
    public bool UsedNumbers { get; }

    /// <summary>Selects the listed items, with their content, and the Promoted or Live item (without content unless listed).</summary>
    /// <param name="keys">The items; duplicates count once; none selects only the Promoted or Live item.</param>
    /// <returns>The selection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is the default (empty) value.</exception>
    public static ItemSelection Of(params VersionKey[] keys) => Of((IEnumerable<VersionKey>)keys);

    /// <summary>Selects the listed items, with their content, and the Promoted or Live item (without content unless listed).</summary>
    /// <param name="keys">The items; duplicates count once; none selects only the Promoted or Live item.</param>
    /// <returns>The selection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is the default (empty) value.</exception>
    public static ItemSelection Of(IEnumerable<VersionKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var sorted = ImmutableSortedSet.CreateBuilder<VersionKey>();
        foreach (var key in keys)
        {
            if (key.Value.Length == 0)
            {
                throw new ArgumentException("A selected key is empty (the default value); name a version or a release.", nameof(keys));
            }

            sorted.Add(key);
        }

        return new(isAll: false, [.. sorted], usedNumbers: false);
    }

    /// <summary>The same selection, plus every number ever used (Z1, Z2).</summary>
    /// <returns>The selection; <see cref="All"/> is returned unchanged.</returns>
    public ItemSelection WithUsedNumbers() => UsedNumbers ? this : new(IsAll, _keys, usedNumbers: true);

    /// <summary>Whether <paramref name="key"/> is selected with its content: listed, or every item is.</summary>
    /// <param name="key">The item.</param>
    /// <returns>True when selected.</returns>
    public bool Includes(VersionKey key) => IsAll || _keys.BinarySearch(key) >= 0;

    /// <inheritdoc />
    public bool Equals(ItemSelection? other)
        => other is not null && IsAll == other.IsAll && UsedNumbers == other.UsedNumbers && _keys.SequenceEqual(other._keys);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ItemSelection);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(IsAll);
        hash.Add(UsedNumbers);
        foreach (var key in _keys)
        {
            hash.Add(key);
        }

        return hash.ToHashCode();
    }

    /// <summary>"all", or the listed keys (and "+used numbers"), for messages and logs.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => IsAll ? "all" : $"[{string.Join(", ", _keys)}]{(UsedNumbers ? " + used numbers" : string.Empty)}";

    /// <summary>Compares two selections by value.</summary>
    /// <param name="left">The first selection.</param>
    /// <param name="right">The second selection.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(ItemSelection? left, ItemSelection? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two selections by value.</summary>
    /// <param name="left">The first selection.</param>
    /// <param name="right">The second selection.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(ItemSelection? left, ItemSelection? right) => !(left == right);
}
