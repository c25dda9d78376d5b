namespace Versioning.Core;

/// <summary>Binary search over a list kept sorted by a key: releases by number, versions by precedence.</summary>
internal static class SortedSearch
{
    /// <summary>The index of <paramref name="key"/>, or the bitwise complement of where it would be inserted.</summary>
    public static int IndexOf<T, TKey>(List<T> items, TKey key, Func<T, TKey> keyOf)
        where TKey : IComparable<TKey>
    {
        int lo = 0, hi = items.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var c = keyOf(items[mid]).CompareTo(key);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
