using System.Diagnostics.CodeAnalysis;

namespace Versioning.Core;

/// <summary>Argument checks shared by every public entry point, so each failure names its parameter.</summary>
internal static class Preconditions
{
    /// <summary>Throws <see cref="ArgumentNullException"/> when <paramref name="value"/> is null.</summary>
    public static T NotNull<T>([NotNull] T? value, string paramName)
        where T : class
        => value ?? throw new ArgumentNullException(paramName);

    /// <summary>
    /// Trims <paramref name="value"/> and checks it has 1 to <paramref name="maxLength"/> characters and no control characters.
    /// </summary>
    public static string Text([NotNull] string? value, string paramName, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException($"{paramName} must not be empty or white space.", paramName);
        }

        if (trimmed.Length > maxLength)
        {
            throw new ArgumentException($"{paramName} must be at most {maxLength} characters after trimming; it has {trimmed.Length}.", paramName);
        }

        NoControlCharacters(trimmed, paramName);
        return trimmed;
    }

    /// <summary>Checks a template or integration name: <see cref="Text"/> plus the X11 rule for invisible characters (<see cref="TextLimits.Name"/>).</summary>
    public static string Name([NotNull] string? value, string paramName, int maxLength)
    {
        var checkedName = Text(value, paramName, maxLength);
        TextLimits.Name(checkedName, paramName);
        return checkedName;
    }

    /// <summary>Checks free text (notes, messages): at most <paramref name="maxLength"/> characters; tabs and line breaks allowed.</summary>
    public static string FreeText([NotNull] string? value, string paramName, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (value.Length > maxLength)
        {
            throw new ArgumentException($"{paramName} must be at most {maxLength} characters; it has {value.Length}.", paramName);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                throw new ArgumentException($"{paramName} must not contain control characters other than tab and line breaks (found U+{(int)c:X4}).", paramName);
            }
        }

        ValidUtf16(value, paramName);
        return value;
    }

    /// <summary>Throws when <paramref name="value"/> contains a control character.</summary>
    public static void NoControlCharacters(string value, string paramName)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{paramName} must not contain control characters (found U+{(int)c:X4}).", paramName);
            }
        }

        ValidUtf16(value, paramName);
    }

    /// <summary>
    /// Throws when <paramref name="value"/> has an unpaired surrogate: such text is not Unicode, cannot be encoded as
    /// UTF-8, and would not round-trip through a store.
    /// </summary>
    public static void ValidUtf16(string value, string paramName)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new ArgumentException($"{paramName} must be valid Unicode text; it has an unpaired surrogate U+{(int)c:X4} at position {i}.", paramName);
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="min"/> ≤ value ≤ <paramref name="max"/>.</summary>
    public static int InRange(int value, int min, int max, string paramName)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be between {min} and {max}.");
        }

        return value;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when a value type identity is its default (empty) value.</summary>
    public static T NotDefault<T>(T value, string paramName)
        where T : struct, IEquatable<T>
    {
        if (value.Equals(default))
        {
            throw new ArgumentException($"{paramName} must not be the default (empty) value.", paramName);
        }

        return value;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="actor"/> is the empty default.</summary>
    public static ActorId Actor(ActorId actor, string paramName)
        => actor.IsEmpty ? throw new ArgumentException($"{paramName} must name an actor; default(ActorId) is empty.", paramName) : actor;
}
