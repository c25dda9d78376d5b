using System.Text.Json;
using Versioning.Core.Content;
using Versioning.Core.Services;
using Versioning.Core;

namespace Versioning.Cli.Input;

/// <summary>
/// Reads release or version content from a JSON file shaped
/// <c>{"steps":[{"name":..,"connector":..,"connectorVersion":..,"operation":..,"settings":{..}}]}</c>
/// (the same shape the stores write inside a release record).
/// </summary>
internal static class ContentFile
{
    /// <summary>
    /// The largest content file read (X11): 4 MiB, four times the default stored-content limit (VersioningOptions.MaxContentBytes),
    /// leaving room for indentation and comments. Read through a bounded buffer, so a huge file or an endless one
    /// (a pipe, <c>/dev/zero</c>) is refused after at most this many bytes.
    /// </summary>
    public const int MaxFileBytes = 4 << 20;

    /// <summary>Reads and checks a content file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The workflow definition.</returns>
    /// <exception cref="CliUsageException">The file cannot be read.</exception>
    /// <exception cref="FormatException">The file is not content JSON; the message names the offending property.</exception>
    /// <exception cref="ArgumentException">A step breaks a content rule (for example a blank name).</exception>
    public static WorkflowDefinition Read(string path)
    {
        string json;
        try
        {
            json = ReadBounded(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"Cannot read the content file '{path}': {ex.Message}", ex);
        }

        try
        {
            return Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The content file '{path}' is not valid JSON: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"The content file '{path}' is not valid content: {ex.Message}", ex);
        }
    }

    private static string ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        var buffer = new byte[MaxFileBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        if (length > MaxFileBytes)
        {
            throw new CliUsageException($"The content file '{path}' is larger than {MaxFileBytes} bytes, the limit of --content (X11).");
        }

        return new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(buffer, 0, length).TrimStart('\uFEFF');
    }

    /// <summary>Parses content JSON.</summary>
    /// <param name="json">The text.</param>
    /// <returns>The workflow definition.</returns>
    /// <exception cref="JsonException">Not JSON.</exception>
    /// <exception cref="FormatException">Not the content shape.</exception>
    public static WorkflowDefinition Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("steps", out var steps) || steps.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("expected an object with a \"steps\" array.");
        }

        var list = new List<Step>();
        var index = 0;
        foreach (var step in steps.EnumerateArray())
        {
            var where = $"steps[{index++}]";
            if (step.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{where} must be an object.");
            }

            var settings = new List<KeyValuePair<string, string>>();
            if (step.TryGetProperty("settings", out var s) && s.ValueKind != JsonValueKind.Null)
            {
                if (s.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{where}.settings must be an object of strings.");
                }

                foreach (var setting in s.EnumerateObject())
                {
                    settings.Add(KeyValuePair.Create(setting.Name, setting.Value.ValueKind == JsonValueKind.String
                        ? setting.Value.GetString()!
                        : throw new FormatException($"{where}.settings.{setting.Name} must be a string.")));
                }
            }

            list.Add(new Step(
                Text(step, "name", where),
                new ConnectorRef(Text(step, "connector", where), Text(step, "connectorVersion", where)),
                Text(step, "operation", where),
                settings));
        }

        return list.Count == 0 ? WorkflowDefinition.Empty : new WorkflowDefinition(list);
    }

    private static string Text(JsonElement step, string name, string where)
        => step.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"{where}.{name} must be a string.");
}
