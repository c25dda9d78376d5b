using System.CommandLine;
using NodaTime;
using Versioning.Cli.Commands;
using Versioning.Cli.Hosting;
using Versioning.Cli.Output;
using Versioning.Core;
using Versioning.Core.Authorization;
using Versioning.Core.Persistence;

namespace Versioning.Cli;

/// <summary>
/// One invocation of the tool: builds the command tree, parses, runs the chosen command and turns every failure into
/// a message on stderr and an exit code (0 ok, 1 refused, 2 bad usage, 3 other failure).
/// </summary>
internal sealed class CliApplication
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
            foreach (var error in parse.Errors)
            {
                await _stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await _stderr.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            var invocation = new InvocationConfiguration { Output = _stdout, Error = _stderr, EnableDefaultExceptionHandler = false };
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
    public void Bind(Command command, Func<ParseResult, CommandContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(handler);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = Globals.Read(parse);
            IClock clock = settings.At is { } at ? new Hosting.ManualClock(at) : SystemClock.Instance;
            await using var session = CliSession.Open(settings.Store, clock);
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
        ArgumentException argument => (ExitCodes.Usage, $"error: {WithoutParameterSuffix(argument)}"),
        FormatException format => (ExitCodes.Usage, $"error: {format.Message}"),
        OperationCanceledException => (ExitCodes.Failure, "cancelled: the command was stopped; a migration resumes where it stopped with 'versioning integration resume JOB'."),
        _ => (ExitCodes.Failure, $"failed: {exception.GetType().Name}: {exception.Message}"),
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
