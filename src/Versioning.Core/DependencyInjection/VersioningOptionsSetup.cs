using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Versioning.Core.DependencyInjection;

/// <summary>
/// The configuration steps of every <c>AddVersioning</c> call, in order, registered once as the
/// <see cref="IConfigureOptions{TOptions}"/> of <see cref="VersioningOptions"/>; a second call appends its step here
/// instead of registering a second service.
/// </summary>
internal sealed class VersioningOptionsSetup : IConfigureOptions<VersioningOptions>
{
    private readonly List<Action<VersioningOptions>> _steps = [];

    /// <summary>Adds a step if the options stay valid with it; otherwise throws and adds nothing.</summary>
    /// <exception cref="ArgumentException">The options would be invalid; the message lists every problem.</exception>
    public void Add(Action<VersioningOptions> step, string paramName)
    {
        var candidate = new VersioningOptions();
        foreach (var s in _steps)
        {
            s(candidate);
        }

        step(candidate);
        var problems = candidate.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(VersioningOptions.Describe(problems), paramName);
        }

        _steps.Add(step);
    }

    /// <inheritdoc />
    public void Configure(VersioningOptions options)
    {
        foreach (var step in _steps)
        {
            step(options);
        }
    }

    /// <summary>
    /// Binds a configuration section: every property by name (TimeSpans as <c>00:00:00.005</c>), and
    /// <see cref="VersioningOptions.DeprecationTimeZone"/> from a TZDB id, an unknown id becoming a validation problem.
    /// </summary>
    public static void Bind(IConfiguration section, VersioningOptions options)
    {
        var zoneId = section[nameof(VersioningOptions.DeprecationTimeZone)];
        var zone = options.DeprecationTimeZone;
        section.Bind(options);
        if (zoneId is null)
        {
            return;
        }

        var found = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId.Trim());
        if (found is null)
        {
            options.BindingProblems.Add($"DeprecationTimeZone '{zoneId}' is not a TZDB time zone id (for example Etc/UTC or Europe/London)");
            options.DeprecationTimeZone = zone;
        }
        else
        {
            options.DeprecationTimeZone = found;
        }
    }
}

/// <summary>Validates <see cref="VersioningOptions"/> for the options system (every problem in one failure), then freezes them.</summary>
internal sealed class VersioningOptionsValidator : IValidateOptions<VersioningOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, VersioningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            return ValidateOptionsResult.Fail(VersioningOptions.Describe(problems));
        }

        options.Freeze();
        return ValidateOptionsResult.Success;
    }
}
