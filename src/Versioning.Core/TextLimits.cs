using System.Globalization;
using System.Text;

namespace Versioning.Core;

/// <summary>
/// The input limits (X11) on text the kernel types check themselves: identity strings (actors, owners) and names
/// (templates, integrations). The configurable limits on content and settings are checked by the services.
/// </summary>
internal static class TextLimits
{
    /// <summary>
    /// X11, identity strings (actor ids, owner ids): refuses Unicode format characters (category Cf, such as U+200B
    /// ZERO WIDTH SPACE, U+200D, U+FEFF) and line and paragraph separators (Zl, Zp); control characters are refused by
    /// the general text check.
    /// </summary>
    public static void Identity(string value, string paramName)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                throw new ArgumentException($"{paramName} must not contain invisible format characters or line/paragraph separators (found U+{rune.Value:X4}, X11).", paramName);
            }
        }
    }

    /// <summary>
    /// X11, names (templates, integrations): line and paragraph separators (Zl, Zp) are refused anywhere; a format
    /// character (Cf) is accepted only between two visible characters — neither white space, nor another format,
    /// separator or control character — as in an emoji joined by U+200D or a word with U+200C. So a name cannot start
    /// or end with one, hold two in a row, or consist of them.
    /// </summary>
    public static void Name(string value, string paramName)
    {
        var runes = value.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            var category = Rune.GetUnicodeCategory(runes[i]);
            if (category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                throw new ArgumentException($"{paramName} must not contain line or paragraph separators (found U+{runes[i].Value:X4}, X11).", paramName);
            }

            if (category == UnicodeCategory.Format && (i == 0 || i == runes.Length - 1 || !Visible(runes[i - 1]) || !Visible(runes[i + 1])))
            {
                throw new ArgumentException(
                    $"{paramName} may contain an invisible format character (U+{runes[i].Value:X4}) only between two visible characters (X11).", paramName);
            }
        }

        static bool Visible(Rune rune) => !Rune.IsWhiteSpace(rune)
            && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator or UnicodeCategory.Control);
    }
}
