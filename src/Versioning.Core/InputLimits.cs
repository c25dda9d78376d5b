using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Versioning.Core.Content;
using Versioning.Core.Persistence;

namespace Versioning.Core;

/// <summary>
/// The configurable input limits (X11) shared by every service, checked before a command loads or saves anything: the
/// stored size of content, and the count, key and value lengths and stored size of installation settings. Each refusal
/// is an <see cref="ArgumentException"/> naming the parameter and the option that limits it.
/// </summary>
internal static class InputLimits
{
    /// <summary>Refuses content larger than <see cref="VersioningOptions.MaxContentBytes"/> as stored.</summary>
    /// <param name="content">The content, or null.</param>
    /// <param name="options">The limits.</param>
    /// <param name="paramName">The parameter the refusal names.</param>
    /// <param name="subject">What the message says is too large, when not the parameter itself (a swap's result).</param>
    public static WorkflowDefinition? Content(WorkflowDefinition? content, VersioningOptions options, string paramName, string? subject = null)
    {
        if (content is not null && StoreJson.ContentSize(content) is var size && size > options.MaxContentBytes)
        {
            throw new ArgumentException(
                $"{subject ?? paramName} is {size.ToString(CultureInfo.InvariantCulture)} bytes as stored; the limit is {options.MaxContentBytes.ToString(CultureInfo.InvariantCulture)} (VersioningOptions.MaxContentBytes, X11).", paramName);
        }

        return content;
    }

    /// <summary>Refuses settings beyond the options' count, key length, value length or stored size.</summary>
    public static ImmutableSortedDictionary<string, string> Settings(ImmutableSortedDictionary<string, string> settings, VersioningOptions options, string paramName)
    {
        if (settings.Count > options.MaxInstallationSettings)
        {
            throw new ArgumentException($"{paramName} has {settings.Count} entries; the limit is {options.MaxInstallationSettings} (VersioningOptions.MaxInstallationSettings, X11).", paramName);
        }

        foreach (var (key, value) in settings)
        {
            if (key.Length > options.MaxSettingKeyLength)
            {
                throw new ArgumentException($"{paramName} has a key of {key.Length} characters; the limit is {options.MaxSettingKeyLength} (VersioningOptions.MaxSettingKeyLength, X11).", paramName);
            }

            if (value.Length > options.MaxSettingValueLength)
            {
                throw new ArgumentException($"{paramName}['{key}'] has {value.Length} characters; the limit is {options.MaxSettingValueLength} (VersioningOptions.MaxSettingValueLength, X11).", paramName);
            }
        }

        if (StoreJson.SettingsSize(settings) is var size && size > options.MaxSettingsBytes)
        {
            throw new ArgumentException(
                $"{paramName} is {size.ToString(CultureInfo.InvariantCulture)} bytes as stored; the limit is {options.MaxSettingsBytes.ToString(CultureInfo.InvariantCulture)} (VersioningOptions.MaxSettingsBytes, X11).", paramName);
        }

        return settings;
    }

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
