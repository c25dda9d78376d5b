using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using NodaTime;
using Versioning.Core.Authorization;
using Versioning.Core.Diagnostics;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Services;
using Versioning.Core.Templates;
using Versioning.Core.Aggregates;

namespace Versioning.Core.Services;

/// <summary>
/// Moves installations between versions: migrations of integration installations (M1–M5) and upgrades of template
/// installations to the Live release (T13), as resumable batch jobs. Start a job, run it (all at once, or a few batches
/// at a time), resume it after any stop, abort it, and inspect its progress. Works on every lifecycle's products alike,
/// found through the <see cref="IProductRepository"/> registered for their kind; each product settles and re-checks its
/// own migrations (<see cref="Aggregates.IProduct.PlanMigration"/>, A2).
/// </summary>
/// <threadsafety>Thread-safe: one instance (a DI singleton) serves concurrent callers. Two runners may drive the same
/// job at once (for example two hosts): the stored checkpoint and the revision check move each selected installation once (M5,
/// X3).</threadsafety>
public sealed class MigrationService
{
    private readonly ProductDirectory _products;
    private readonly IInstallationRepository _installations;
    private readonly IMigrationRepository _migrations;
    private readonly AccessGuard _access;
    private readonly CommandRunner _runner;

    /// <summary>Creates the service.</summary>
    /// <param name="integrations">The integration store.</param>
    /// <param name="templates">The template store.</param>
    /// <param name="installations">The installation store.</param>
    /// <param name="migrations">The job store.</param>
    /// <param name="policy">Who may start, run and abort migrations and upgrades (X7).</param>
    /// <param name="clock">The clock.</param>
    /// <param name="options">Validated options; the service keeps a frozen copy, so changing them afterwards has no effect.</param>
    /// <param name="logger">Receives retries, escaped conflicts, refusals (debug) and migration progress; null logs nothing.</param>
    /// <param name="meterFactory">Makes the <c>Versioning.Core</c> meter (the container\'s, when it has one); null records on <see cref="Diagnostics.VersioningDiagnostics.Meter"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (the message lists every problem).</exception>
    public MigrationService(IIntegrationRepository integrations, ITemplateRepository templates, IInstallationRepository installations, IMigrationRepository migrations, IAccessPolicy policy, IClock clock, VersioningOptions options, ILogger<MigrationService>? logger = null, IMeterFactory? meterFactory = null)
        : this(installations, migrations, InstallationService.BuiltInProducts(templates, integrations), policy, clock, options, logger, meterFactory)
    {
    }

    /// <summary>Creates the service for the products of every kind in <paramref name="products"/> (A2).</summary>
    /// <param name="installations">The installation store.</param>
    /// <param name="migrations">The job store.</param>
    /// <param name="products">One repository per product kind (the last one of a kind wins).</param>
    /// <param name="policy">Who may start, run and abort migrations and upgrades (X7).</param>
    /// <param name="clock">The clock.</param>
    /// <param name="options">Validated options; the service keeps a frozen copy, so changing them afterwards has no effect.</param>
    /// <param name="logger">Receives retries, escaped conflicts, refusals (debug) and migration progress; null logs nothing.</param>
    /// <param name="meterFactory">Makes the <c>Versioning.Core</c> meter (the container's, when it has one); null records on <see cref="Diagnostics.VersioningDiagnostics.Meter"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (the message lists every problem).</exception>
    public MigrationService(IInstallationRepository installations, IMigrationRepository migrations, IEnumerable<IProductRepository> products, IAccessPolicy policy, IClock clock, VersioningOptions options, ILogger<MigrationService>? logger = null, IMeterFactory? meterFactory = null)
    {
        _products = new ProductDirectory(products ?? throw new ArgumentNullException(nameof(products)));
        _installations = installations ?? throw new ArgumentNullException(nameof(installations));
        _migrations = migrations ?? throw new ArgumentNullException(nameof(migrations));
        _access = new AccessGuard(policy ?? throw new ArgumentNullException(nameof(policy)), VersioningMetrics.For(meterFactory));
        _runner = new CommandRunner(clock, options, logger, meterFactory);
    }

    /// <summary>
    /// Starts migrating an integration's installations from one version to another (M1–M4). Migrating one user or account
    /// to a Private version shares it with them first, so nobody is moved onto a version they cannot open (M3).
    /// </summary>
    /// <param name="id">The integration.</param>
    /// <param name="from">The source version.</param>
    /// <param name="to">The target version.</param>
    /// <param name="scope">A percentage, one user, or one account.</param>
    /// <param name="by">A team member.</param>
    /// <param name="batchSize">Installations scanned per batch; null for the option's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored job, Requested.</returns>
    /// <exception cref="VersioningRuleException">M1, M3, Z5, Z11–Z14: the migration is not allowed.</exception>
    /// <exception cref="VersioningAccessDeniedException">The actor may not change the integration.</exception>
    public Task<MigrationJob> StartMigrationAsync(IntegrationId id, VersionNumber from, VersionNumber to, MigrationScope scope, ActorId by, int? batchSize = null, CancellationToken cancellationToken = default)
        => StartCoreAsync("StartMigration", ProductRef.Of(id), VersionKey.ForVersion(from), VersionKey.ForVersion(to), scope, by, batchSize, cancellationToken);

    /// <summary>Starts upgrading a template's installations to its Live release (T13): all, one account, or a percentage cohort.</summary>
    /// <param name="id">The template.</param>
    /// <param name="scope">Which installations.</param>
    /// <param name="by">The actor.</param>
    /// <param name="batchSize">Installations scanned per batch; null for the option's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored job, Requested.</returns>
    /// <exception cref="VersioningRuleException">T13: the template has no Live release.</exception>
    public Task<MigrationJob> StartUpgradeAsync(TemplateId id, MigrationScope scope, ActorId by, int? batchSize = null, CancellationToken cancellationToken = default)
        => StartCoreAsync("StartUpgrade", ProductRef.Of(id), null, null, scope, by, batchSize, cancellationToken);

    /// <summary>
    /// Starts moving a product's installations, for a product of any lifecycle (A2): the product checks the migration and
    /// settles its source and target (<see cref="Aggregates.IProduct.PlanMigration"/>: an integration's M1–M4 with the share
    /// of a Private target, a template's upgrade to its Live release, T13). Authorized as the kind's start command (<see cref="IProductRepository.StartMigrationCommand"/>: "StartUpgrade" for a template, "StartMigration" for an integration or by default), whichever entry point is used.
    /// </summary>
    /// <param name="product">The product.</param>
    /// <param name="from">The source release or version, or null for every installation not on the target.</param>
    /// <param name="to">The target, or null for the lifecycle's default (a template's Live release).</param>
    /// <param name="scope">A percentage, one user, or one account.</param>
    /// <param name="by">A team member.</param>
    /// <param name="batchSize">Installations scanned per batch; null for the option's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored job, Requested.</returns>
    /// <exception cref="VersioningRuleException">The product's rules forbid the migration.</exception>
    /// <exception cref="EntityNotFoundException">No such product, or a named release or version does not exist.</exception>
    /// <exception cref="VersioningAccessDeniedException">The actor may not change the product.</exception>
    public Task<MigrationJob> StartAsync(ProductRef product, VersionKey? from, VersionKey? to, MigrationScope scope, ActorId by, int? batchSize = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(product.Id, nameof(product));
        return StartCoreAsync(_products.For(product.Kind).StartMigrationCommand, product, from, to, scope, by, batchSize, cancellationToken);
    }

    private Task<MigrationJob> StartCoreAsync(string command, ProductRef product, VersionKey? from, VersionKey? to, MigrationScope scope, ActorId by, int? batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var size = CheckBatchSize(batchSize);
        Preconditions.Actor(by, nameof(by));
        var repository = _products.For(product.Kind);
        var jobId = MigrationId.New();
        return _runner.RunAsync(command, async (at, ct) =>
        {
            var target = await _products.LoadAsync(product, ProductDirectory.Select(from, to), ct).ConfigureAwait(false);
            _access.Demand(by, command, AccessTarget.For(target));
            var plan = target.PlanMigration(from, to, scope.Owner, _runner.Options.MigrationsWithinMajorOnly, by, at);
            long total;
            if (plan.From is { } source)
            {
                total = (await _installations.CountAsync(product, source, ct).ConfigureAwait(false)).Total;
            }
            else
            {
                var counts = await _installations.CountByVersionAsync(product, ct).ConfigureAwait(false);
                total = counts.Where(kv => kv.Key != plan.To).Sum(kv => kv.Value.Total);
            }

            var job = NewJob(jobId, product, plan.From, plan.To, scope, size, total, by, at);

            // X9: a change the start made to the product (a share, M3) and the job commit together, or neither does.
            return target.PendingEvents.Count > 0
                ? await repository.SaveWithJobAsync(target, job, [job.Started()], _migrations, ct).ConfigureAwait(false)
                : await _migrations.SaveAsync(job, [job.Started()], ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs (or resumes) a job batch by batch until it completes, <paramref name="maxBatches"/> have run, or the token is
    /// cancelled. Before each batch the target is checked again; if it is no longer a valid target the job fails.
    /// </summary>
    /// <param name="id">The job.</param>
    /// <param name="by">The actor running it.</param>
    /// <param name="maxBatches">Stop after this many batches; null to run to the end.</param>
    /// <param name="progress">Receives the job after every batch.</param>
    /// <param name="cancellationToken">Stops between batches; a stopped job resumes where it left off.</param>
    /// <returns>The job as stored after the last batch run.</returns>
    public async Task<MigrationJob> RunAsync(MigrationId id, ActorId by, int? maxBatches = null, IProgress<MigrationJob>? progress = null, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(by, nameof(by));
        if (maxBatches is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatches), maxBatches, "maxBatches must be at least 1, or null to run to the end.");
        }

        // The whole run is one activity (its batches are children), so a denial is traced like any refusal.
        using var activity = VersioningDiagnostics.ActivitySource.StartActivity("RunMigration");
        activity?.SetTag(VersioningTelemetryTags.Command, "RunMigration");
        activity?.SetTag(VersioningTelemetryTags.MigrationId, id.ToString());
        try
        {
            var job = await LoadJobAsync(id, cancellationToken).ConfigureAwait(false);
            await DemandAsync(by, "RunMigration", job, cancellationToken).ConfigureAwait(false);
            for (var batches = 0; job.IsRunnable && (maxBatches is null || batches < maxBatches); batches++)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // The batch that completes the job records the completion on the product in its own transaction (X9).
                job = await _runner.RunAsync("RunMigrationBatch", async (at, ct) =>
                {
                    var current = await LoadJobAsync(id, ct).ConfigureAwait(false);
                    if (!current.IsRunnable)
                    {
                        return current;
                    }

                    if (await TargetProblemAsync(current, at, ct).ConfigureAwait(false) is { } problem)
                    {
                        var (failed, failedEvent) = current.Fail(problem, by, at);
                        return await _migrations.SaveAsync(failed, [failedEvent], ct).ConfigureAwait(false);
                    }

                    var next = await _migrations.RunBatchAsync(current, by, at, ct).ConfigureAwait(false);
                    _runner.Metrics.InstallationsMigrated.Add(next.Moved - current.Moved);
                    return next;
                }, cancellationToken).ConfigureAwait(false);
                LogBatch(job);
                progress?.Report(job);
            }

            return job;
        }
        catch (Exception ex)
        {
            // The batches mark their own activities; this marks the run (a denial, a missing job, a failed batch).
            VersioningDiagnostics.MarkFailed(activity, ex);
            throw;
        }
    }

    private void LogBatch(MigrationJob job)
    {
        var log = _runner.Logger;
        if (log.IsEnabled(LogLevel.Information))
        {
            log.MigrationBatchRun(job.Id.ToString(), job.Batches, job.Scanned, job.Total, job.Moved);
            if (job.State == MigrationState.Completed)
            {
                log.MigrationCompleted(job.Id.ToString(), job.Product.ToString(), job.To.ToString(), job.Moved, job.Batches);
            }
        }

        if (job.State == MigrationState.Failed && log.IsEnabled(LogLevel.Warning))
        {
            log.MigrationFailed(job.Id.ToString(), job.Product.ToString(), job.FailureReason ?? "unknown");
        }
    }

    /// <summary>Aborts a Requested or InProgress job (M5). Installations already moved stay moved.</summary>
    /// <param name="id">The job.</param>
    /// <param name="by">The actor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The aborted job.</returns>
    /// <exception cref="VersioningRuleException">M5: the job has already ended.</exception>
    public Task<MigrationJob> AbortAsync(MigrationId id, ActorId by, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(by, nameof(by));
        return _runner.RunAsync("AbortMigration", async (at, ct) =>
        {
            var job = await LoadJobAsync(id, ct).ConfigureAwait(false);
            await DemandAsync(by, "AbortMigration", job, ct).ConfigureAwait(false);
            var (aborted, abortedEvent) = job.Abort(by, at);
            return await _migrations.SaveAsync(aborted, [abortedEvent], ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// Loads a job as <paramref name="viewer"/> may see it (X8): a job names its versions (possibly never-public ones) and
    /// its scope (a user or account), so only the viewers the <see cref="IAccessPolicy"/> lets change it (by default the
    /// product's team) see it; anyone else is told it does not exist.
    /// </summary>
    /// <param name="id">The job.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job.</returns>
    /// <exception cref="ArgumentException"><paramref name="viewer"/> is empty.</exception>
    /// <exception cref="EntityNotFoundException">No such job, or the viewer may not see it.</exception>
    public async Task<MigrationJob> GetJobAsync(MigrationId id, ActorId viewer, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        var job = await LoadJobAsync(id, cancellationToken).ConfigureAwait(false);
        var team = await _products.TeamAsync(job.Product, cancellationToken).ConfigureAwait(false);
        return _access.Allows(viewer, "GetMigrationJob", AccessTarget.For(job, team)) ? job : throw new EntityNotFoundException("Migration", id.ToString());
    }

    /// <summary>Lists a template's or integration's jobs that <paramref name="viewer"/> may see (X8, as for <see cref="GetJobAsync"/>), newest first.</summary>
    /// <param name="product">The template or integration.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The jobs; empty for a viewer who may see none.</returns>
    /// <exception cref="ArgumentException"><paramref name="viewer"/> is empty.</exception>
    public async Task<IReadOnlyList<MigrationJob>> ListJobsAsync(ProductRef product, ActorId viewer, CancellationToken cancellationToken = default)
    {
        Preconditions.Actor(viewer, nameof(viewer));
        var team = await _products.TeamAsync(product, cancellationToken).ConfigureAwait(false);
        var jobs = await _migrations.ListAsync(product, cancellationToken).ConfigureAwait(false);
        return jobs.Where(j => _access.Allows(viewer, "ListMigrationJobs", AccessTarget.For(j, team))).ToList();
    }

    // The product re-checks the target before each batch (M3, T13); a refusal's message is why the job fails.
    private async Task<string?> TargetProblemAsync(MigrationJob job, Instant at, CancellationToken cancellationToken)
    {
        try
        {
            var product = await _products.LoadAsync(job.Product, ProductDirectory.Select(job.To), cancellationToken).ConfigureAwait(false);
            product.CheckMigrationTarget(job.To, job.Scope.Owner, at);
            return null;
        }
        catch (VersioningRuleException ex)
        {
            return ex.Message;
        }
        catch (EntityNotFoundException ex)
        {
            return ex.Message;
        }
    }

    // X7: a job is changed (run, aborted) by the team of its template or integration, as the policy decides.
    private async Task DemandAsync(ActorId by, string command, MigrationJob job, CancellationToken cancellationToken)
    {
        var team = await _products.TeamAsync(job.Product, cancellationToken).ConfigureAwait(false);
        _access.Demand(by, command, AccessTarget.For(job, team));
    }

    private static MigrationJob NewJob(MigrationId id, ProductRef product, VersionKey? from, VersionKey to, MigrationScope scope, int batchSize, long total, ActorId by, Instant at) => new()
    {
        Id = id,
        Product = product,
        From = from,
        To = to,
        Scope = scope,
        State = MigrationLifecycle.Definition.InitialState,
        BatchSize = batchSize,
        Total = total,
        RequestedBy = by,
        RequestedAt = at,
        UpdatedAt = at,
    };

    private int CheckBatchSize(int? batchSize) => batchSize is { } b ? Preconditions.InRange(b, 1, 100_000, nameof(batchSize)) : _runner.Options.MigrationBatchSize;

    private async Task<MigrationJob> LoadJobAsync(MigrationId id, CancellationToken cancellationToken)
        => await _migrations.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new EntityNotFoundException("Migration", id.ToString());
}
