using Versioning.Core.Aggregates;
using Versioning.Core.Events;
using Versioning.Core.Installations;

namespace Versioning.Core.Persistence;

/// <summary>
/// Finds the products of one <see cref="ProductKind"/> for the services that work on every lifecycle (installations,
/// migrations, access checks, A2). Register one per kind in DI (<c>AddVersioning</c> registers the template and
/// integration ones, over whichever <see cref="ITemplateRepository"/> and <see cref="IIntegrationRepository"/> are
/// registered); a lifecycle defined outside the library registers its own, and the services find its products without
/// being changed.
/// </summary>
public interface IProductRepository
{
    /// <summary>The kind of product this repository finds.</summary>
    ProductKind Kind { get; }

    /// <summary>
    /// The command an install of this kind is authorized as (X7), through any entry point, so a policy keyed on command
    /// names sees the same name from <c>InstallationService.InstallAsync(ProductRef, …)</c> as from the kind's own service.
    /// </summary>
    /// <value>"InstallTemplate" and "InstallIntegration" for the built-in kinds; "InstallProduct" by default.</value>
    string InstallCommand => "InstallProduct";

    /// <summary>
    /// The command a migration start of this kind is authorized as (X7), through any entry point (see
    /// <see cref="InstallCommand"/>).
    /// </summary>
    /// <value>"StartUpgrade" for templates and "StartMigration" for integrations; "StartMigration" by default.</value>
    string StartMigrationCommand => "StartMigration";

    /// <summary>
    /// Loads a product to run a command on, without its stored audit trail (as the kind's own
    /// <c>FindWithoutAuditTrailAsync</c> does), or returns null.
    /// </summary>
    /// <param name="id">The product's identifier.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy, or null when there is none.</returns>
    Task<IProduct?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads a product to run one command on, narrowed to the items the command touches (as the kind's own
    /// <c>FindForCommandAsync</c> does), or returns null.
    /// </summary>
    /// <remarks>Store authors: the default implementation calls <see cref="FindAsync"/> (a whole copy is always a correct answer).</remarks>
    /// <param name="id">The product's identifier.</param>
    /// <param name="selection">What the command reads; <see cref="ItemSelection.All"/> loads every item.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A private copy, or null when there is none.</returns>
    Task<IProduct?> FindForCommandAsync(Guid id, ItemSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return FindAsync(id, cancellationToken);
    }

    /// <summary>
    /// Saves a migration job with its events and, in the same transaction, the product a migration start changed (its
    /// revision check, new audit entries and events): both or neither (X9).
    /// </summary>
    /// <param name="product">The changed product, loaded by <see cref="FindAsync"/>; marked saved once committed.</param>
    /// <param name="job">The new job.</param>
    /// <param name="events">The job's events.</param>
    /// <param name="migrations">The job store (the same database as this repository).</param>
    /// <param name="cancellationToken">Cancels the call; a cancelled call writes nothing.</param>
    /// <returns>The stored job.</returns>
    /// <exception cref="ConcurrencyConflictException">The job's or the product's stored revision differs; nothing was written.</exception>
    /// <exception cref="NotSupportedException">This kind's migrations never change the product.</exception>
    Task<MigrationJob> SaveWithJobAsync(IProduct product, MigrationJob job, IReadOnlyList<DomainEvent> events, IMigrationRepository migrations, CancellationToken cancellationToken = default);
}

/// <summary>The <see cref="IProductRepository"/> of templates, over any <see cref="ITemplateRepository"/>.</summary>
/// <param name="templates">The template store.</param>
public sealed class TemplateProductRepository(ITemplateRepository templates) : IProductRepository
{
    private readonly ITemplateRepository _templates = templates ?? throw new ArgumentNullException(nameof(templates));

    /// <inheritdoc />
    public ProductKind Kind => ProductKind.Template;

    /// <inheritdoc />
    public string InstallCommand => "InstallTemplate";

    /// <inheritdoc />
    public string StartMigrationCommand => "StartUpgrade";

    /// <inheritdoc />
    public async Task<IProduct?> FindAsync(Guid id, CancellationToken cancellationToken = default)
        => await _templates.FindWithoutAuditTrailAsync(new TemplateId(id), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IProduct?> FindForCommandAsync(Guid id, ItemSelection selection, CancellationToken cancellationToken = default)
        => await _templates.FindForCommandAsync(new TemplateId(id), selection, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>An upgrade (T13) never changes the template, so there is nothing to save with its job.</remarks>
    public Task<MigrationJob> SaveWithJobAsync(IProduct product, MigrationJob job, IReadOnlyList<DomainEvent> events, IMigrationRepository migrations, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("Starting a template upgrade never changes the template (T13); save the job alone.");
}

/// <summary>The <see cref="IProductRepository"/> of integrations, over any <see cref="IIntegrationRepository"/>.</summary>
/// <param name="integrations">The integration store.</param>
public sealed class IntegrationProductRepository(IIntegrationRepository integrations) : IProductRepository
{
    private readonly IIntegrationRepository _integrations = integrations ?? throw new ArgumentNullException(nameof(integrations));

    /// <inheritdoc />
    public ProductKind Kind => ProductKind.Integration;

    /// <inheritdoc />
    public string InstallCommand => "InstallIntegration";

    /// <inheritdoc />
    public string StartMigrationCommand => "StartMigration";

    /// <inheritdoc />
    public async Task<IProduct?> FindAsync(Guid id, CancellationToken cancellationToken = default)
        => await _integrations.FindWithoutAuditTrailAsync(new IntegrationId(id), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IProduct?> FindForCommandAsync(Guid id, ItemSelection selection, CancellationToken cancellationToken = default)
        => await _integrations.FindForCommandAsync(new IntegrationId(id), selection, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>Calls <see cref="IMigrationRepository.SaveWithIntegrationAsync"/> (a migration to a Private version shares it, M3).</remarks>
    public Task<MigrationJob> SaveWithJobAsync(IProduct product, MigrationJob job, IReadOnlyList<DomainEvent> events, IMigrationRepository migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var integration = product as Integrations.Integration ?? throw new ArgumentException("product must be an integration loaded by this repository.", nameof(product));
        return migrations.SaveWithIntegrationAsync(job, events, integration, cancellationToken);
    }
}
