using System.Collections.Immutable;
using System.Globalization;
using Versioning.Core.Content;
using Versioning.Core.Persistence;

namespace Versioning.Core.Services;

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
}
