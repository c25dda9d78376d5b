using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace Versioning.Core.Lifecycles;

/// <summary>
/// A set of lifecycle actions held in one 64-bit mask: asking for the permitted actions allocates nothing, and
/// enumerating them (in declaration order) allocates nothing either.
/// </summary>
/// <typeparam name="TAction">The action enum (at most 64 values).</typeparam>
[JsonConverter(typeof(ActionSetJsonConverter))]
public readonly struct ActionSet<TAction> : IEquatable<ActionSet<TAction>>
    where TAction : struct, Enum
{
    private readonly ulong _mask;

    internal ActionSet(ulong mask) => _mask = mask;

    /// <summary>The number of actions in the set.</summary>
    public int Count => System.Numerics.BitOperations.PopCount(_mask);

    /// <summary>True when the set is empty.</summary>
    public bool IsEmpty => _mask == 0;

    /// <summary>Tells whether <paramref name="action"/> is in the set.</summary>
    /// <param name="action">The action.</param>
    /// <returns>True when present.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(TAction action) => (_mask & (1UL << EnumIndex<TAction>.Of(action))) != 0;

    /// <summary>The set without <paramref name="action"/>.</summary>
    /// <param name="action">The action to remove.</param>
    /// <returns>A new set.</returns>
    internal ActionSet<TAction> Without(TAction action) => new(_mask & ~(1UL << EnumIndex<TAction>.Of(action)));

    /// <summary>Returns a struct enumerator over the actions, in declaration order.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(_mask);

    /// <summary>Copies the actions into a new list (allocates; for display and tests).</summary>
    /// <returns>The actions in declaration order.</returns>
    public IReadOnlyList<TAction> ToList()
    {
        var list = new List<TAction>(Count);
        foreach (var action in this)
        {
            list.Add(action);
        }

        return list;
    }

    /// <inheritdoc />
    public bool Equals(ActionSet<TAction> other) => _mask == other._mask;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ActionSet<TAction> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _mask.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", ToList());

    /// <summary>Compares two sets.</summary>
    /// <param name="left">The first set.</param>
    /// <param name="right">The second set.</param>
    /// <returns>True when they hold the same actions.</returns>
    public static bool operator ==(ActionSet<TAction> left, ActionSet<TAction> right) => left.Equals(right);

    /// <summary>Compares two sets.</summary>
    /// <param name="left">The first set.</param>
    /// <param name="right">The second set.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(ActionSet<TAction> left, ActionSet<TAction> right) => !left.Equals(right);

    /// <summary>Enumerates the actions of an <see cref="ActionSet{TAction}"/> without allocating.</summary>
    public struct Enumerator
    {
        private ulong _remaining;
        private int _current;

        internal Enumerator(ulong mask)
        {
            _remaining = mask;
            _current = -1;
        }

        /// <summary>The current action.</summary>
        public readonly TAction Current => EnumIndex<TAction>.At(_current);

        /// <summary>Moves to the next action.</summary>
        /// <returns>False when there are no more.</returns>
        public bool MoveNext()
        {
            if (_remaining == 0)
            {
                return false;
            }

            _current = System.Numerics.BitOperations.TrailingZeroCount(_remaining);
            _remaining &= _remaining - 1;
            return true;
        }
    }
}
