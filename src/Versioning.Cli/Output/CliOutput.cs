using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Versioning.Cli.Output;

/// <summary>
/// Where a command's result goes: tables and text through a Spectre console bound to the given writer, or (with
/// <c>--json</c>) one JSON document on the same writer and nothing else.
/// </summary>
internal sealed class CliOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly TextWriter _writer;

    /// <summary>Creates the output.</summary>
    /// <param name="writer">Standard output, or a test's writer.</param>
    /// <param name="json">Whether to write JSON instead of tables.</param>
    public CliOutput(TextWriter writer, bool json)
    {
        _writer = writer;
        Json = json;
        Console = CreateConsole(writer);
    }

    /// <summary>True with <c>--json</c>.</summary>
    public bool Json { get; }

    /// <summary>The console for tables, text and progress bars (never used for JSON).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Writes the result: <paramref name="json"/> with <c>--json</c>, otherwise whatever <paramref name="human"/> renders.</summary>
    /// <param name="json">The machine-readable result.</param>
    /// <param name="human">Renders the result for people.</param>
    public void Emit(JsonNode? json, Action<IAnsiConsole> human)
    {
        ArgumentNullException.ThrowIfNull(human);
        if (Json)
        {
            WriteJson(json);
        }
        else
        {
            human(Console);
        }
    }

    /// <summary>Writes one JSON document.</summary>
    /// <param name="json">The document.</param>
    public void WriteJson(JsonNode? json)
    {
        _writer.WriteLine(json is null ? "null" : json.ToJsonString(JsonOptions));
        _writer.Flush();
    }

    /// <summary>Writes a line of plain text (not markup) unless <c>--json</c> is on.</summary>
    /// <param name="text">The text.</param>
    public void Line(string text = "")
    {
        if (!Json)
        {
            Console.WriteLine(text);
        }
    }

    private static IAnsiConsole CreateConsole(TextWriter writer)
    {
        // Colours and live redrawing only on a real terminal; a redirected stream or a test's writer gets plain text.
        var terminal = ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!terminal)
        {
            // Wide enough that GUIDs and timestamps are never wrapped in a table cell.
            console.Profile.Width = 200;
        }

        return console;
    }
}
