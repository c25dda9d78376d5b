using NodaTime;
using NodaTime.Text;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Versioning.Core;

namespace Versioning.Cli.Input;

/// <summary>Turns command-line text into the library's value types, with messages that name the argument.</summary>
internal static class Parse
{
    /// <summary>Parses a template id.</summary>
    /// <param name="text">A GUID.</param>
    /// <returns>The id.</returns>
    /// <exception cref="FormatException">Not a GUID.</exception>
    public static TemplateId TemplateId(string text) => new(Guid(text, "template id", "versioning template list"));

    /// <summary>Parses an integration id.</summary>
    /// <param name="text">A GUID.</param>
    /// <returns>The id.</returns>
    /// <exception cref="FormatException">Not a GUID.</exception>
    public static IntegrationId IntegrationId(string text) => new(Guid(text, "integration id", "versioning integration list"));

    /// <summary>Parses a migration job id.</summary>
    /// <param name="text">A GUID.</param>
    /// <returns>The id.</returns>
    /// <exception cref="FormatException">Not a GUID.</exception>
    public static MigrationId MigrationId(string text) => new(Guid(text, "migration job id", "versioning integration jobs INTEGRATION"));

    /// <summary>Parses an installation id.</summary>
    /// <param name="text">A GUID.</param>
    /// <returns>The id.</returns>
    /// <exception cref="FormatException">Not a GUID.</exception>
    public static InstallationId InstallationId(string text) => new(Guid(text, "installation id", "the output of an install command"));

    /// <summary>Parses <c>MAJOR.MINOR.PATCH[-label]</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The version number.</returns>
    /// <exception cref="FormatException">Malformed; the message says why.</exception>
    public static VersionNumber Version(string text) => VersionNumber.Parse(text);

    /// <summary>Parses an optional version number.</summary>
    /// <param name="text">The text, or null.</param>
    /// <returns>The version number, or null.</returns>
    public static VersionNumber? OptionalVersion(string? text) => text is null ? null : VersionNumber.Parse(text);

    /// <summary>Parses an ISO-8601 instant such as <c>2026-05-01T00:00:00Z</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="what">The option, for the message.</param>
    /// <returns>The instant.</returns>
    /// <exception cref="FormatException">Malformed.</exception>
    public static Instant Instant(string text, string what)
    {
        var result = InstantPattern.ExtendedIso.Parse(text.Trim());
        if (result.Success)
        {
            return result.Value;
        }

        var offset = OffsetDateTimePattern.ExtendedIso.Parse(text.Trim());
        return offset.Success
            ? offset.Value.ToInstant()
            : throw new FormatException($"{what} '{text}' is not an ISO-8601 instant: write it like 2026-05-01T00:00:00Z.");
    }

    /// <summary>Parses an ISO date such as <c>2026-06-30</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="what">The option, for the message.</param>
    /// <returns>The date.</returns>
    /// <exception cref="FormatException">Malformed.</exception>
    public static LocalDate Date(string text, string what)
    {
        var result = LocalDatePattern.Iso.Parse(text.Trim());
        return result.Success ? result.Value : throw new FormatException($"{what} '{text}' is not a date: write it like 2026-06-30.");
    }

    /// <summary>Reads the owner of a new installation from <c>--account</c> or <c>--user</c> (exactly one).</summary>
    /// <param name="account">The account id, or null.</param>
    /// <param name="user">The user id, or null.</param>
    /// <returns>The owner.</returns>
    /// <exception cref="CliUsageException">Neither or both were given.</exception>
    public static OwnerRef Owner(string? account, string? user) => (account, user) switch
    {
        ({ } a, null) => OwnerRef.Account(a),
        (null, { } u) => OwnerRef.User(u),
        (null, null) => throw new CliUsageException("Name the installation's owner with --account ACCOUNT or --user USER."),
        _ => throw new CliUsageException("Give either --account or --user, not both."),
    };

    /// <summary>Reads a migration scope from <c>--percent</c>, <c>--account</c> or <c>--user</c> (at most one; none means all).</summary>
    /// <param name="percent">The percentage, or null.</param>
    /// <param name="account">The account id, or null.</param>
    /// <param name="user">The user id, or null.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="CliUsageException">More than one was given.</exception>
    public static MigrationScope Scope(int? percent, string? account, string? user)
    {
        if ((percent is null ? 0 : 1) + (account is null ? 0 : 1) + (user is null ? 0 : 1) > 1)
        {
            throw new CliUsageException("Give at most one of --percent, --account and --user.");
        }

        return percent is { } p ? MigrationScope.Percentage(p)
            : account is { } a ? MigrationScope.ForAccount(a)
            : user is { } u ? MigrationScope.ForUser(u)
            : MigrationScope.All;
    }

    /// <summary>Parses <c>KEY=VALUE</c> settings.</summary>
    /// <param name="pairs">The texts, or null.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="FormatException">A text has no <c>=</c> or an empty key.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(string[]? pairs)
    {
        var settings = new List<KeyValuePair<string, string>>();
        foreach (var pair in pairs ?? [])
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                throw new FormatException($"--setting '{pair}' must look like KEY=VALUE.");
            }

            settings.Add(KeyValuePair.Create(pair[..split], pair[(split + 1)..]));
        }

        return settings;
    }

    private static Guid Guid(string text, string what, string listCommand)
        => System.Guid.TryParseExact(text?.Trim(), "D", out var value)
            ? value
            : throw new FormatException($"'{text}' is not a {what}: expected a GUID like 0f8fad5b-d9cb-469f-a165-70867728950e (see '{listCommand}').");
}
