using System.Runtime.CompilerServices;

namespace Versioning.Core.Lifecycles;

/// <summary>
/// Converts an enum whose values are 0..n-1 over <see cref="int"/> to and from its index without boxing.
/// </summary>
internal static class EnumIndex<T>
    where T : struct, Enum
{
    public static readonly T[] Values = Validate();

    public static int Count => Values.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Of(T value) => Unsafe.As<T, int>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T At(int index) => Unsafe.As<int, T>(ref index);

    private static T[] Validate()
    {
        if (Enum.GetUnderlyingType(typeof(T)) != typeof(int))
        {
            throw new InvalidOperationException($"{typeof(T).Name} must be an int-backed enum to be used in a lifecycle.");
        }

        var values = Enum.GetValues<T>();
        for (var i = 0; i < values.Length; i++)
        {
            if (Unsafe.As<T, int>(ref values[i]) != i)
            {
                throw new InvalidOperationException($"{typeof(T).Name} must have the values 0..{values.Length - 1} in order to be used in a lifecycle.");
            }
        }

        return values;
    }
}
