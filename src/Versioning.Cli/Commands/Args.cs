using System.CommandLine;
using Versioning.Core;

namespace Versioning.Cli.Commands;

/// <summary>Arguments and options shared by several commands (a new instance each time: a symbol has one parent).</summary>
internal static class Args
{
    /// <summary>A template id argument.</summary>
    /// <returns>The argument.</returns>
    public static Argument<string> Template() => new("template") { Description = "The template id (a GUID; see 'template list')" };

    /// <summary>A release number argument.</summary>
    /// <returns>The argument.</returns>
    public static Argument<ReleaseNumber> Release() => new("release")
    {
        Description = "The release number (1 or more)",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (ReleaseNumber.TryParse(text, out var number))
            {
                return number;
            }

            var command = result.Parent is System.CommandLine.Parsing.CommandResult parent ? parent.Command.Name : "?";
            result.AddError($"Cannot parse argument '{text}' for command '{command}': expected a whole number, 1 or more.");
            return default;
        },
    };

    /// <summary>An integration id argument.</summary>
    /// <returns>The argument.</returns>
    public static Argument<string> Integration() => new("integration") { Description = "The integration id (a GUID; see 'integration list')" };

    /// <summary>A version number argument.</summary>
    /// <param name="name">The argument's name.</param>
    /// <param name="description">Its description.</param>
    /// <returns>The argument.</returns>
    public static Argument<string> Version(string name = "version", string description = "The version number, MAJOR.MINOR.PATCH[-label]")
        => new(name) { Description = description };

    /// <summary>A migration job id argument.</summary>
    /// <returns>The argument.</returns>
    public static Argument<string> Job() => new("job") { Description = "The migration or upgrade job id (a GUID)" };

    /// <summary><c>--content FILE</c>.</summary>
    /// <param name="required">Whether the command needs it.</param>
    /// <returns>The option.</returns>
    public static Option<FileInfo> Content(bool required) => new("--content")
    {
        Description = "A JSON file {\"steps\":[{\"name\",\"connector\",\"connectorVersion\",\"operation\",\"settings\":{}}]}",
        HelpName = "FILE",
        Required = required,
    };

    /// <summary><c>--account ACCOUNT</c>.</summary>
    /// <param name="description">What it means for the command.</param>
    /// <returns>The option.</returns>
    public static Option<string> Account(string description) => new("--account") { Description = description, HelpName = "ACCOUNT" };

    /// <summary><c>--user USER</c>.</summary>
    /// <param name="description">What it means for the command.</param>
    /// <returns>The option.</returns>
    public static Option<string> User(string description) => new("--user") { Description = description, HelpName = "USER" };

    /// <summary><c>--setting KEY=VALUE</c>, repeatable.</summary>
    /// <returns>The option.</returns>
    public static Option<string[]> Settings() => new("--setting")
    {
        Description = "An installation setting; repeat for several",
        HelpName = "KEY=VALUE",
    };

    /// <summary><c>--percent N</c>.</summary>
    /// <returns>The option.</returns>
    public static Option<int?> Percent() => new("--percent") { Description = "Move this percentage (1–100) of the installations, a sticky cohort [default: all]", HelpName = "N" };

    /// <summary><c>--batch-size N</c>.</summary>
    /// <returns>The option.</returns>
    public static Option<int?> BatchSize() => new("--batch-size") { Description = "Installations scanned per batch [default: 1000]", HelpName = "N" };

    /// <summary><c>--max-batches N</c>.</summary>
    /// <returns>The option.</returns>
    public static Option<int?> MaxBatches() => new("--max-batches") { Description = "Stop after this many batches (resume later with 'integration resume JOB') [default: run to the end]", HelpName = "N" };
}
