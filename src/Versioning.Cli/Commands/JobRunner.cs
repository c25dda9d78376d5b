using Versioning.Cli.Hosting;
using Versioning.Cli.Output;
using Versioning.Core;
using Versioning.Core.Installations;
using Versioning.Core.Services;

namespace Versioning.Cli.Commands;

/// <summary>Runs a migration or upgrade job batch by batch, showing its progress (a live bar on a terminal).</summary>
internal static class JobRunner
{
    /// <summary>Runs <paramref name="job"/> to the end, or for <paramref name="maxBatches"/> batches.</summary>
    /// <param name="context">The command context.</param>
    /// <param name="job">The job as stored.</param>
    /// <param name="maxBatches">Stop after this many batches; null to run to the end.</param>
    /// <param name="cancellationToken">Stops between batches; the job resumes where it stopped.</param>
    /// <returns>The job after the last batch.</returns>
    public static Task<MigrationJob> RunAsync(CommandContext context, MigrationJob job, int? maxBatches, CancellationToken cancellationToken)
        => RunAsync(context.Output, context.Migrations, context.Actor, job, maxBatches, cancellationToken);

    /// <summary>Runs <paramref name="job"/> to the end, or for <paramref name="maxBatches"/> batches.</summary>
    /// <param name="output">Where the progress goes.</param>
    /// <param name="migrations">The migration service.</param>
    /// <param name="actor">Who runs it.</param>
    /// <param name="job">The job as stored.</param>
    /// <param name="maxBatches">Stop after this many batches; null to run to the end.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The job after the last batch.</returns>
    public static async Task<MigrationJob> RunAsync(CliOutput output, MigrationService migrations, ActorId actor, MigrationJob job, int? maxBatches, CancellationToken cancellationToken)
    {
        if (!job.IsRunnable)
        {
            return job;
        }

        var last = job;
        await ProgressDisplay.RunAsync(output, Describe(job), job.Total, async report =>
        {
            report(job.Scanned, Describe(job));
            var progress = new ImmediateProgress<MigrationJob>(j => report(j.State == MigrationState.Completed ? Math.Max(j.Total, 1) : j.Scanned, Describe(j)));
            last = await migrations.RunAsync(job.Id, actor, maxBatches, progress, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return last;
    }

    private static string Describe(MigrationJob job)
        => $"{(job.From is { } from ? from.Value : "*")} → {job.To.Value} ({job.Scope}): {Format.Count(job.Moved)} moved, {Format.Count(job.Scanned)}/{Format.Count(job.Total)} scanned";

    /// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, in order (unlike <see cref="Progress{T}"/>).</summary>
    /// <typeparam name="T">The report type.</typeparam>
    /// <param name="report">Called with each report.</param>
    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
