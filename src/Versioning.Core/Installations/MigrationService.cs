using NodaTime;
using Versioning.Core.Authorization;
using Versioning.Core.Diagnostics;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Installations;

/// <summary>
/// Moves installations between versions: migrations of integration installations (M1–M5) and upgrades of template
/// installations to the Live release (T13), as resumable batch jobs. Start a job, run it (all at once, or a few batches
/// at a time), resume it after any stop, abort it, and inspect its progress.
/// </summary>
/// <threadsafety>Thread-safe: one instance (a DI singleton) serves concurrent callers. Two runners may drive the same
/// job at once (for example two hosts): the stored checkpoint and the revision check move each selected installation once (M5,
/// X3).</threadsafety>
public sealed class MigrationService
{
    private readonly IIntegrationRepository _integrations;
    private readonly ITemplateRepository _templates;
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
    /// <param name="options">Validated options.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public MigrationService(IIntegrationRepository integrations, ITemplateRepository templates, IInstallationRepository installations, IMigrationRepository migrations, IAccessPolicy policy, IClock clock, VersioningOptions options)
    {
        _integrations = integrations ?? throw new ArgumentNullException(nameof(integrations));
        _templates = templates ?? throw new ArgumentNullException(nameof(templates));
        _installations = installations ?? throw new ArgumentNullException(nameof(installations));
        _migrations = migrations ?? throw new ArgumentNullException(nameof(migrations));
        _access = new AccessGuard(policy ?? throw new ArgumentNullException(nameof(policy)));
        _runner = new CommandRunner(clock, options);
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
    {
        ArgumentNullException.ThrowIfNull(scope);
        var size = CheckBatchSize(batchSize);
        Preconditions.Actor(by, nameof(by));
        var jobId = MigrationId.New();
        return _runner.RunAsync("StartMigration", async (at, ct) =>
        {
            var integration = await LoadIntegrationAsync(id, ct).ConfigureAwait(false);
            _access.Demand(by, "StartMigration", AccessTarget.For(integration));
            integration.CheckMigration(from, to, scope.IsSingleOwner, _runner.Options.MigrationsWithinMajorOnly, at);
            if (scope.Owner is { } owner && integration.GetVersion(to).StateAt(at) == VersionState.Private)
            {
                // X8: shared with the owner as the principal it is (an account share is not a share with a user of that id).
                integration.Share(to, owner, by, at);
            }

            var counts = await _installations.CountAsync(ProductRef.Of(id), VersionKey.ForVersion(from), ct).ConfigureAwait(false);
            var job = NewJob(jobId, ProductRef.Of(id), VersionKey.ForVersion(from), VersionKey.ForVersion(to), scope, size, counts.Total, by, at);

            // X9: the share and the job commit together, or neither does.
            return integration.PendingEvents.Count > 0
                ? await _migrations.SaveWithIntegrationAsync(job, [job.Started()], integration, ct).ConfigureAwait(false)
                : await _migrations.SaveAsync(job, [job.Started()], ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Starts upgrading a template's installations to its Live release (T13): all, one account, or a percentage cohort.</summary>
    /// <param name="id">The template.</param>
    /// <param name="scope">Which installations.</param>
    /// <param name="by">The actor.</param>
    /// <param name="batchSize">Installations scanned per batch; null for the option's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored job, Requested.</returns>
    /// <exception cref="VersioningRuleException">T13: the template has no Live release.</exception>
    public Task<MigrationJob> StartUpgradeAsync(TemplateId id, MigrationScope scope, ActorId by, int? batchSize = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var size = CheckBatchSize(batchSize);
        Preconditions.Actor(by, nameof(by));
        var jobId = MigrationId.New();
        return _runner.RunAsync("StartUpgrade", async (at, ct) =>
        {
            var template = await LoadTemplateAsync(id, ct).ConfigureAwait(false);
            _access.Demand(by, "StartUpgrade", AccessTarget.For(template));
            var live = UpgradeTarget(template);
            var to = VersionKey.ForRelease(live.Number);
            var counts = await _installations.CountByVersionAsync(ProductRef.Of(id), ct).ConfigureAwait(false);
            var total = counts.Where(kv => kv.Key != to).Sum(kv => kv.Value.Total);
            var job = NewJob(jobId, ProductRef.Of(id), null, to, scope, size, total, by, at);
            return await _migrations.SaveAsync(job, [job.Started()], ct).ConfigureAwait(false);
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
                VersioningDiagnostics.InstallationsMigrated.Add(next.Moved - current.Moved);
                return next;
            }, cancellationToken).ConfigureAwait(false);
            progress?.Report(job);
        }

        return job;
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
        var team = await InstallationService.ProductTeamAsync(_templates, _integrations, job.Product, cancellationToken).ConfigureAwait(false);
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
        var team = await InstallationService.ProductTeamAsync(_templates, _integrations, product, cancellationToken).ConfigureAwait(false);
        var jobs = await _migrations.ListAsync(product, cancellationToken).ConfigureAwait(false);
        return jobs.Where(j => _access.Allows(viewer, "ListMigrationJobs", AccessTarget.For(j, team))).ToList();
    }

    private async Task<string?> TargetProblemAsync(MigrationJob job, Instant at, CancellationToken cancellationToken)
    {
        try
        {
            if (job.Product.Kind == ProductKind.Template)
            {
                var template = await LoadTemplateAsync(new TemplateId(job.Product.Id), cancellationToken).ConfigureAwait(false);
                var live = UpgradeTarget(template);
                return VersionKey.ForRelease(live.Number) == job.To ? null : $"release {job.To} is no longer the Live release (T13); start a new upgrade to release {live.Number}.";
            }

            var integration = await LoadIntegrationAsync(new IntegrationId(job.Product.Id), cancellationToken).ConfigureAwait(false);
            var to = job.To.ToVersionNumber();
            integration.RequirePermitted(to, VersionAction.MigrateTo, at);

            // M3: the start shared a Private target with the owner; if it was unshared since, moving them would put
            // them on a version they cannot open.
            if (job.Scope.Owner is { } owner && !integration.CanAccess(to, owner))
            {
                return $"Cannot move {owner}'s installations to version {to} of '{integration.Name}': it is Private and no longer shared with them (M3, Z6); share it again and start a new migration.";
            }

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
        var team = await InstallationService.ProductTeamAsync(_templates, _integrations, job.Product, cancellationToken).ConfigureAwait(false);
        _access.Demand(by, command, AccessTarget.For(job, team));
    }

    private static TemplateRelease UpgradeTarget(Template template)
    {
        if (template.LiveRelease is not { } live)
        {
            throw new VersioningRuleException("T13", $"Template '{template.Name}' has no Live release to upgrade installations to (T13): promote a Draft first.", template.AggregateKind, template.AggregateIdText);
        }

        return live;
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

    private async Task<Integration> LoadIntegrationAsync(IntegrationId id, CancellationToken cancellationToken)
        => await _integrations.FindWithoutAuditTrailAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new EntityNotFoundException("Integration", id.ToString());

    private async Task<Template> LoadTemplateAsync(TemplateId id, CancellationToken cancellationToken)
        => await _templates.FindWithoutAuditTrailAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new EntityNotFoundException("Template", id.ToString());
}
