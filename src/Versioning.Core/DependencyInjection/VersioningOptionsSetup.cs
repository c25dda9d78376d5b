using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NodaTime;
using Versioning.Core.Services;

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
    /// Binds a configuration section, property by property so that every unreadable value becomes a validation problem
    /// (listed together with the others) instead of stopping at the first: numbers and booleans as usual, TimeSpans as
    /// <c>00:00:00.005</c>, <see cref="VersioningOptions.DeprecationTimeZone"/> as a TZDB id. Keys that name no option
    /// are left alone (the section may hold the application's own settings too).
    /// </summary>
    public static void Bind(IConfiguration section, VersioningOptions options)
    {
        foreach (var property in typeof(VersioningOptions).GetProperties())
        {
            if (!property.CanWrite || section.GetSection(property.Name) is not { Value: { } text })
            {
                continue;
            }

            if (property.PropertyType == typeof(DateTimeZone))
            {
                if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(text.Trim()) is { } zone)
                {
                    options.DeprecationTimeZone = zone;
                }
                else
                {
                    options.BindingProblems.Add($"DeprecationTimeZone '{text}' is not a TZDB time zone id (for example Etc/UTC or Europe/London)");
                }

                continue;
            }

            try
            {
                property.SetValue(options, section.GetValue(property.PropertyType, property.Name));
            }
            catch (InvalidOperationException)
            {
                options.BindingProblems.Add($"{property.Name} '{text}' is not a valid {property.PropertyType.Name}");
            }
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
