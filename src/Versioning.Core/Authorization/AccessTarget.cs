using Versioning.Core.Aggregates;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;

namespace Versioning.Core.Authorization;

/// <summary>What a command changes, for <see cref="IAccessPolicy"/> (X7).</summary>
public enum AccessTargetKind
{
    /// <summary>A template and its releases.</summary>
    Template,

    /// <summary>An integration and its versions.</summary>
    Integration,

    /// <summary>One installation of a template or integration.</summary>
    Installation,

    /// <summary>A migration or upgrade job of a template or integration.</summary>
    MigrationJob,

    /// <summary>A product of a lifecycle defined outside the library (<see cref="Aggregates.IProduct"/>), and its releases or versions.</summary>
    Product,
}

/// <summary>
/// The target of a command, as an <see cref="IAccessPolicy"/> sees it (X7): its kind and identifier, the product it
/// belongs to and that product's team, the owner for installations (and for installs, the owner-to-be), and the loaded
/// object itself for policies that need more. Immutable.
/// </summary>
public sealed class AccessTarget
{
    private readonly string? _displayKind;

    private AccessTarget(AccessTargetKind kind, string id, ProductRef product, IReadOnlySet<ActorId> team, OwnerRef? owner, object subject, bool isInstall, string? displayKind = null)
    {
        _displayKind = displayKind;
        Kind = kind;
        Id = id;
        Product = product;
        Team = team;
        Owner = owner;
        Subject = subject;
        IsInstall = isInstall;
    }

    /// <summary>The kind of target.</summary>
    public AccessTargetKind Kind { get; }

    /// <summary>The target's identifier (template, integration, installation or job id).</summary>
    public string Id { get; }

    /// <summary>The template or integration the target is or belongs to.</summary>
    public ProductRef Product { get; }

    /// <summary>The team of <see cref="Product"/>.</summary>
    public IReadOnlySet<ActorId> Team { get; }

    /// <summary>For an installation its owner; for an install command the owner of the installation to be created; else null.</summary>
    public OwnerRef? Owner { get; }

    /// <summary>
    /// The loaded object: a <see cref="Templates.Template"/>, <see cref="Integrations.Integration"/>, another
    /// <see cref="IProduct"/>, an <see cref="Installations.Installation"/> or a <see cref="MigrationJob"/>. Do not change it.
    /// </summary>
    public object Subject { get; }

    /// <summary>True for an install command (the target is the product; <see cref="Owner"/> is the new installation's owner).</summary>
    public bool IsInstall { get; }

    /// <summary>Tells whether <paramref name="actor"/> is on the product's team.</summary>
    /// <param name="actor">The actor.</param>
    /// <returns>True for a team member.</returns>
    public bool IsTeamMember(ActorId actor) => !actor.IsEmpty && Team.Contains(actor);

    /// <summary>A template.</summary>
    /// <param name="template">The template.</param>
    /// <returns>The target.</returns>
    public static AccessTarget For(Template template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new(AccessTargetKind.Template, template.AggregateIdText, ProductRef.Of(template.Id), template.Team, null, template, false);
    }

    /// <summary>An integration.</summary>
    /// <param name="integration">The integration.</param>
    /// <returns>The target.</returns>
    public static AccessTarget For(Integration integration)
    {
        ArgumentNullException.ThrowIfNull(integration);
        return new(AccessTargetKind.Integration, integration.AggregateIdText, ProductRef.Of(integration.Id), integration.Team, null, integration, false);
    }

    /// <summary>
    /// A product of any lifecycle (A2): a template or an integration gets the same target as <see cref="For(Template)"/> or
    /// <see cref="For(Integration)"/>; a product of a lifecycle defined outside the library gets kind
    /// <see cref="AccessTargetKind.Product"/>.
    /// </summary>
    /// <param name="product">The product.</param>
    /// <returns>The target.</returns>
    public static AccessTarget For(IProduct product)
    {
        ArgumentNullException.ThrowIfNull(product);
        return product switch
        {
            Template t => For(t),
            Integration i => For(i),
            _ => new(AccessTargetKind.Product, product.Product.Id.ToString("D"), product.Product, product.Team, null, product, false, product.AggregateKind),
        };
    }

    /// <summary>An install command: the product to install, and who will own the installation.</summary>
    /// <param name="product">The template, integration or other product.</param>
    /// <param name="owner">The new installation's owner.</param>
    /// <returns>The target.</returns>
    public static AccessTarget ForInstall(IProduct product, OwnerRef owner)
    {
        var target = For(product);
        return new(target.Kind, target.Id, target.Product, target.Team, owner, product, true, target._displayKind);
    }

    /// <summary>An installation, with the team of its product.</summary>
    /// <param name="installation">The installation.</param>
    /// <param name="productTeam">The team of the installation's template or integration (empty when the product is gone).</param>
    /// <returns>The target.</returns>
    public static AccessTarget For(Installation installation, IReadOnlySet<ActorId> productTeam)
    {
        ArgumentNullException.ThrowIfNull(installation);
        ArgumentNullException.ThrowIfNull(productTeam);
        return new(AccessTargetKind.Installation, installation.Id.ToString(), installation.Product, productTeam, installation.Owner, installation, false);
    }

    /// <summary>A migration or upgrade job, with the team of its product.</summary>
    /// <param name="job">The job.</param>
    /// <param name="productTeam">The team of the job's template or integration (empty when the product is gone).</param>
    /// <returns>The target.</returns>
    public static AccessTarget For(MigrationJob job, IReadOnlySet<ActorId> productTeam)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(productTeam);
        return new(AccessTargetKind.MigrationJob, job.Id.ToString(), job.Product, productTeam, null, job, false);
    }

    /// <summary>The aggregate kind named in a denial ("Template", "Integration", "Installation", "Migration").</summary>
    internal string DisplayKind => _displayKind ?? (Kind == AccessTargetKind.MigrationJob ? "Migration" : Kind.ToString());
}
