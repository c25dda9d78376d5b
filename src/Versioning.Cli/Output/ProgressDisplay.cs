using System.Globalization;
using Spectre.Console;

namespace Versioning.Cli.Output;

/// <summary>
/// Shows the progress of a long operation: a live Spectre progress bar on an interactive terminal, or one line per
/// tenth of the work when the output is redirected (logs and CI keep a readable record). Nothing with <c>--json</c>.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/> while showing its progress.</summary>
    /// <param name="output">The output.</param>
    /// <param name="description">What is being done.</param>
    /// <param name="total">The amount of work (at least 1 is shown).</param>
    /// <param name="work">Does the work, reporting (done so far, current description) as it goes.</param>
    /// <returns>A task that completes with the work.</returns>
    public static async Task RunAsync(CliOutput output, string description, long total, Func<Action<long, string>, Task> work)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(work);
        var max = Math.Max(1, total);
        if (output.Json)
        {
            await work((_, _) => { }).ConfigureAwait(false);
            return;
        }

        if (!output.Console.Profile.Capabilities.Interactive)
        {
            var lastTenth = -1L;
            await work((done, text) =>
            {
                var tenth = Math.Clamp(done, 0, max) * 10 / max;
                if (tenth > lastTenth)
                {
                    lastTenth = tenth;
                    output.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{new string('#', (int)tenth),-10}] {tenth * 10,3}%  {text}"));
                }
            }).ConfigureAwait(false);
            return;
        }

        await output.Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(Markup.Escape(description), maxValue: max);
                await work((done, text) =>
                {
                    bar.Value = Math.Clamp(done, 0, max);
                    bar.Description = Markup.Escape(text);
                }).ConfigureAwait(false);
                bar.Value = max;
                bar.StopTask();
            }).ConfigureAwait(false);
    }
}
