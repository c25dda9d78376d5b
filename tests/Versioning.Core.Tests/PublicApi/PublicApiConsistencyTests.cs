using System.Reflection;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Versioning.Core.Services;

namespace Versioning.Core.Tests.PublicApi;

/// <summary>The public API reads the same way for both lifecycles.</summary>
public class PublicApiConsistencyTests
{
    [Fact]
    public void InstallAsync_BothOverloads_TakeIdOwnerActorThenOnlyOptionalParameters()
    {
        var template = typeof(TemplateService).GetMethod(nameof(TemplateService.InstallAsync))!.GetParameters();
        var integration = typeof(IntegrationService).GetMethod(nameof(IntegrationService.InstallAsync))!.GetParameters();

        Assert.Equal(["id", "owner", "by", "settings", "cancellationToken"], template.Select(p => p.Name));
        Assert.Equal(["id", "owner", "by", "settings", "version", "cancellationToken"], integration.Select(p => p.Name));
        foreach (var parameters in new[] { template, integration })
        {
            Assert.Equal(typeof(ActorId), parameters[2].ParameterType);
            // No positional nullable in the middle: everything after the actor is optional.
            Assert.All(parameters.Skip(3), p => Assert.True(p.IsOptional, p.Name));
        }
    }

    [Fact]
    public void PublicServiceMethods_HaveNoRequiredParameterAfterAnOptionalOne()
    {
        var services = typeof(TemplateService).Assembly.GetExportedTypes().Where(t => t.Name.EndsWith("Service", StringComparison.Ordinal));
        foreach (var method in services.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)))
        {
            var parameters = method.GetParameters();
            var firstOptional = Array.FindIndex(parameters, p => p.IsOptional);
            Assert.True(firstOptional < 0 || parameters.Skip(firstOptional).All(p => p.IsOptional), $"{method.DeclaringType!.Name}.{method.Name}");
        }
    }
}
