using Microsoft.Extensions.DependencyInjection;
using Versioning.Core.Services;

namespace Versioning.Core.DependencyInjection;

/// <summary>Returned by <c>AddVersioning</c> so store packages can add <c>UseSqlite(...)</c> and <c>UsePostgreSql(...)</c>.</summary>
public sealed class VersioningBuilder
{
    internal VersioningBuilder(IServiceCollection services, VersioningOptions options)
    {
        Services = services;
        Options = options;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The options registered for the library.</summary>
    public VersioningOptions Options { get; }
}
