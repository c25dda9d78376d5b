using NodaTime;
using Versioning.Core.Events;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Testing.Faults;

/// <summary>Wraps a template repository so its writes fail as a <see cref="FaultPlan"/> says.</summary>
/// <param name="inner">The real repository.</param>
/// <param name="plan">When to fail.</param>
public sealed class FaultyTemplateRepository(ITemplateRepository inner, FaultPlan plan) : ITemplateRepository
{
    /// <inheritdoc />
    public Task<Template?> FindAsync(TemplateId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task SaveAsync(Template template, CancellationToken cancellationToken = default) => plan.RunAsync(() => inner.SaveAsync(template, cancellationToken));

    /// <inheritdoc />
    public Task SaveAllAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default) => plan.RunAsync(() => inner.SaveAllAsync(templates, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
}

/// <summary>Wraps an integration repository so its writes fail as a <see cref="FaultPlan"/> says.</summary>
/// <param name="inner">The real repository.</param>
/// <param name="plan">When to fail.</param>
public sealed class FaultyIntegrationRepository(IIntegrationRepository inner, FaultPlan plan) : IIntegrationRepository
{
    /// <inheritdoc />
    public Task<Integration?> FindAsync(IntegrationId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task SaveAsync(Integration integration, CancellationToken cancellationToken = default) => plan.RunAsync(() => inner.SaveAsync(integration, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<IntegrationSummary>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
}

/// <summary>Wraps an installation repository so its writes fail as a <see cref="FaultPlan"/> says.</summary>
/// <param name="inner">The real repository.</param>
/// <param name="plan">When to fail.</param>
public sealed class FaultyInstallationRepository(IInstallationRepository inner, FaultPlan plan) : IInstallationRepository
{
    /// <inheritdoc />
    public Task<Installation?> FindAsync(InstallationId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Installation> SaveAsync(Installation installation, DomainEvent domainEvent, CancellationToken cancellationToken = default)
        => plan.RunAsync(() => inner.SaveAsync(installation, domainEvent, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<VersionKey, InstallationCounts>> CountByVersionAsync(ProductRef product, CancellationToken cancellationToken = default)
        => inner.CountByVersionAsync(product, cancellationToken);

    /// <inheritdoc />
    public Task<InstallationCounts> CountAsync(ProductRef product, VersionKey pinned, CancellationToken cancellationToken = default)
        => inner.CountAsync(product, pinned, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Installation>> ListAsync(ProductRef product, InstallationId? after, int take, CancellationToken cancellationToken = default)
        => inner.ListAsync(product, after, take, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Installation>> ListByVersionAsync(ProductRef product, VersionKey pinned, InstallationId? after, int take, CancellationToken cancellationToken = default)
        => inner.ListByVersionAsync(product, pinned, after, take, cancellationToken);
}

/// <summary>Wraps a migration repository so its writes (job saves and batches) fail as a <see cref="FaultPlan"/> says.</summary>
/// <param name="inner">The real repository.</param>
/// <param name="plan">When to fail.</param>
public sealed class FaultyMigrationRepository(IMigrationRepository inner, FaultPlan plan) : IMigrationRepository
{
    /// <inheritdoc />
    public Task<MigrationJob?> FindAsync(MigrationId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<MigrationJob> SaveAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
        => plan.RunAsync(() => inner.SaveAsync(job, events, cancellationToken));

    /// <inheritdoc />
    public Task<MigrationJob> SaveWithIntegrationAsync(MigrationJob job, IReadOnlyList<DomainEvent> events, Integration integration, CancellationToken cancellationToken = default)
        => plan.RunAsync(() => inner.SaveWithIntegrationAsync(job, events, integration, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<MigrationJob>> ListAsync(ProductRef product, CancellationToken cancellationToken = default) => inner.ListAsync(product, cancellationToken);

    /// <inheritdoc />
    public Task<MigrationJob> RunBatchAsync(MigrationJob job, ActorId by, Instant at, CancellationToken cancellationToken = default)
        => plan.RunAsync(() => inner.RunBatchAsync(job, by, at, cancellationToken));
}
