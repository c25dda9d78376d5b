using System.CommandLine;
using NodaTime;
using Versioning.Cli.Hosting;
using Versioning.Cli.Output;
using Versioning.Core;
using Versioning.Core.Authorization;
using Versioning.Core.Persistence;
using Versioning.Cli.Input;

namespace Versioning.Cli.Commands;

/// <summary>
/// One invocation of the tool: builds the command tree, parses, runs the chosen command and turns every failure into
/// a message on stderr and an exit code (0 ok, 1 refused, 2 bad usage, 3 other failure).
/// </summary>
internal sealed partial class CliApplication
{
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    /// <summary>Creates the application.</summary>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    public CliApplication(TextWriter stdout, TextWriter stderr)
    {
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>The global options.</summary>
    public GlobalOptions Globals { get; } = new();

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var message in UsageErrors(parse))
            {
                await _stderr.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            }

            await _stderr.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            // Ctrl-C and SIGTERM are the caller's (Program.Main turns them into cancellationToken): System.CommandLine's own
            // handling would end the process after a timeout instead of letting the command stop between batches.
            var invocation = new InvocationConfiguration { Output = _stdout, Error = _stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every failure must become a message and an exit code, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var (code, message) = Describe(ex);
            await _stderr.WriteLineAsync(message).ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>Makes <paramref name="command"/> run <paramref name="handler"/> on a session opened from the global options.</summary>
    /// <param name="command">The command.</param>
    /// <param name="handler">What it does.</param>
    public void Bind(Command command, Func<ParseResult, CommandContext, CancellationToken, Task> handler) => BindCore(command, handler, readOnly: false);

    /// <summary>
    /// Like <see cref="Bind"/> for a command that only reads: it opens the store read-only, so it never creates a database
    /// (a mistyped <c>--db</c> is an error) and works on a database file it may not write.
    /// </summary>
    /// <param name="command">The command.</param>
    /// <param name="handler">What it does.</param>
    public void BindQuery(Command command, Func<ParseResult, CommandContext, CancellationToken, Task> handler) => BindCore(command, handler, readOnly: true);

    private void BindCore(Command command, Func<ParseResult, CommandContext, CancellationToken, Task> handler, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(handler);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = Globals.Read(parse);
            IClock clock = settings.At is { } at ? new Hosting.ManualClock(at) : SystemClock.Instance;
            await using var session = CliSession.Open(settings.Store, clock, readOnly);
            await handler(parse, new CommandContext(session, CreateOutput(settings), settings), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
    }

    /// <summary>Creates the output for a command.</summary>
    /// <param name="settings">The global options.</param>
    /// <returns>The output.</returns>
    public CliOutput CreateOutput(CliSettings settings) => new(_stdout, settings.Json);

    /// <summary>Maps a failure to its exit code and the message for stderr.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The exit code and the message.</returns>
    internal static (int Code, string Message) Describe(Exception exception) => exception switch
    {
        VersioningRuleException rule => (ExitCodes.Refused, RefusedMessage(rule)),
        VersioningAccessDeniedException denied => (ExitCodes.Refused, $"denied: {denied.Message}"),
        ConcurrencyConflictException conflict => (ExitCodes.Refused, $"conflict: {conflict.Message} Run the command again."),
        EntityNotFoundException notFound => (ExitCodes.Usage, $"error: {notFound.Message}"),
        CliUsageException usage => (ExitCodes.Usage, $"error: {usage.Message}"),
        ArgumentException argument when RuleIdIn(argument.Message) is { } ruleId => (ExitCodes.Refused, $"refused ({ruleId}): {WithoutParameterSuffix(argument)}"),
        ArgumentException argument => (ExitCodes.Usage, $"error: {WithoutParameterSuffix(argument)}"),
        FormatException format => (ExitCodes.Usage, $"error: {format.Message}"),
        OperationCanceledException => (ExitCodes.Failure, "cancelled: the command was stopped; a migration resumes where it stopped with 'versioning integration resume JOB'."),
        _ => (ExitCodes.Failure, $"failed: {exception.Message}"),
    };

    /// <summary>The stderr line for a refused command: "refused (RULE): message", then each problem when there are several.</summary>
    /// <param name="rule">The refusal.</param>
    /// <returns>The message.</returns>
    internal static string RefusedMessage(VersioningRuleException rule)
    {
        // Most messages already quote every problem (Z8); list only the ones they leave out.
        var unsaid = rule.Problems.Where(p => !rule.Message.Contains(p, StringComparison.Ordinal)).Select(p => $"{Environment.NewLine}  - {p}");
        return $"refused ({rule.RuleId}): {rule.Message}{string.Concat(unsaid)}";
    }

    /// <summary>
    /// The parse errors as people should read them: one message for an unknown command or argument (not also "required
    /// command was not provided"), and value types in words ("a whole number") instead of .NET type names.
    /// </summary>
    /// <param name="parse">A parse result with errors.</param>
    /// <returns>The messages, in order.</returns>
    internal static List<string> UsageErrors(ParseResult parse)
    {
        var errors = parse.Errors.Select(e => e.Message).ToList();
        if (parse.UnmatchedTokens.Count > 0)
        {
            var unknown = errors.Where(m => parse.UnmatchedTokens.Any(t => m.Contains($"'{t}'", StringComparison.Ordinal))).ToList();
            errors = unknown.Count > 0 ? [.. unknown.Take(1)] : errors;
        }

        return [.. errors.Select(m => ExpectedType().Replace(m, match => $": expected {TypeInWords(match.Groups[1].Value)}."))];
    }

    /// <summary>
    /// The rule an argument was refused by, when its message names one ("… (Z12): …"): a value that breaks a domain rule
    /// (such as a deprecation date outside the allowed window) is a refusal like any other, exit code 1.
    /// </summary>
    private static string? RuleIdIn(string message) => RuleId().Match(message) is { Success: true } match ? match.Groups[1].Value : null;

    private static string TypeInWords(string typeName)
    {
        var type = NullableOf().Match(typeName) is { Success: true } nullable ? nullable.Groups[1].Value : typeName;
        if (AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(type, throwOnError: false)).FirstOrDefault(t => t is not null) is { IsEnum: true } enumType)
        {
            return "one of " + string.Join(", ", Enum.GetNames(enumType));
        }

        return type switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" => "a whole number",
            "System.Boolean" => "true or false",
            "System.Double" or "System.Decimal" or "System.Single" => "a number",
            "System.IO.FileInfo" => "a file path",
            "System.Guid" => "a GUID",
            _ when type.LastIndexOf('.') is var dot and >= 0 => "a value of type " + type[(dot + 1)..].Split('`')[0],
            _ => "a value of type " + type,
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" as expected type '([^']+)'\.?(\s*Did you mean one of the following\?[\s\S]*)?$")]
    private static partial System.Text.RegularExpressions.Regex ExpectedType();

    [System.Text.RegularExpressions.GeneratedRegex(@"\(([TZIMXSKHA][0-9]{1,2})\)")]
    private static partial System.Text.RegularExpressions.Regex RuleId();

    [System.Text.RegularExpressions.GeneratedRegex(@"^System\.Nullable`1\[(.+)\]$")]
    private static partial System.Text.RegularExpressions.Regex NullableOf();

    private static string WithoutParameterSuffix(ArgumentException exception)
    {
        // The library's messages already say what is wrong; drop the " (Parameter 'x') Actual value was …" meant for developers.
        var text = exception.Message;
        var cut = exception.ParamName is { } name ? text.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal) : -1;
        return cut > 0 ? text[..cut] : text;
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? "versioning" : result.Command.Name);
        }

        return string.Join(' ', names);
    }

    private RootCommand BuildRoot()
    {
        var root = new RootCommand("versioning: manage template releases (Draft → Live → Deprecated) and integration versions (Private → Promoted → Available, Legacy, Deprecating → Deprecated) stored in a SQLite file or PostgreSQL.");
        foreach (var option in Globals.All)
        {
            root.Add(option);
        }

        root.Add(TemplateCommands.Build(this));
        root.Add(IntegrationCommands.Build(this));
        root.Add(InstallationCommands.Build(this));
        root.Add(DiagramCommand.Build(this));
        root.Add(DemoCommand.Build(this));
        return root;
    }
}
