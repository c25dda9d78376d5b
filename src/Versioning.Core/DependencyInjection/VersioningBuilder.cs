using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.Services;

namespace Versioning.Core.DependencyInjection;

/// <summary>
/// Returned by <c>AddVersioning</c> so store packages can add <c>UseSqlite(...)</c> and <c>UsePostgreSql(...)</c>. It
/// exposes no options instance: options are configured in <c>AddVersioning</c> (or through the options system) and are
/// frozen once validated.
/// </summary>
public sealed class VersioningBuilder
{
    internal VersioningBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }
}
