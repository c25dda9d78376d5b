using System.Runtime.InteropServices;
using Versioning.Cli.Input;
using Versioning.Cli.Commands;

namespace Versioning.Cli;

/// <summary>The <c>versioning</c> tool's entry point.</summary>
internal static class Program
{
    /// <summary>Runs the tool on the process's console.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> Main(string[] args)
    {
        // Ctrl-C (SIGINT) and SIGTERM stop the command gracefully: a migration stops between batches, and the tool prints
        // "cancelled: ..." and exits 3. A second signal ends the process at once, as usual.
        using var cancellation = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            if (!cancellation.IsCancellationRequested)
            {
                context.Cancel = true;
                cancellation.Cancel();
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await RunAsync(args, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one command line in-process: output on <paramref name="stdout"/>, errors on <paramref name="stderr"/>,
    /// never a stack trace. Thread-safe: concurrent calls share nothing.
    /// </summary>
    /// <param name="args">The command line, without the tool name.</param>
    /// <param name="stdout">Tables, JSON and progress go here.</param>
    /// <param name="stderr">Errors go here.</param>
    /// <param name="cancellationToken">Stops the command (between migration batches, for example).</param>
    /// <returns>0 when it succeeded, 1 when a rule refused it, 2 for bad usage, 3 for any other failure.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
        => new CliApplication(stdout, stderr).RunAsync(args, cancellationToken);
}
