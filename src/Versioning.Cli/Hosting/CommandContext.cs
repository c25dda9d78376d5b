using NodaTime;
using Versioning.Cli.Output;
using Versioning.Core;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Versioning.Core.Services;

namespace Versioning.Cli.Hosting;

/// <summary>What a command handler works with: the services, the actor, the clock and the output.</summary>
/// <param name="session">The services on the chosen store.</param>
/// <param name="output">Where results go.</param>
/// <param name="settings">The global options.</param>
internal sealed class CommandContext(CliSession session, CliOutput output, CliSettings settings)
{
    /// <summary>Where results go.</summary>
    public CliOutput Output { get; } = output;

    /// <summary>The global options.</summary>
    public CliSettings Settings { get; } = settings;

    /// <summary>Who performs the command (<c>--as</c>).</summary>
    public ActorId Actor => Settings.Actor;

    /// <summary>The current instant (fixed with <c>--at</c>).</summary>
    public Instant Now => session.Clock.GetCurrentInstant();

    /// <summary>Template release commands.</summary>
    public TemplateService Templates => session.Templates;

    /// <summary>Integration version commands.</summary>
    public IntegrationService Integrations => session.Integrations;

    /// <summary>Installation commands.</summary>
    public InstallationService Installations => session.Installations;

    /// <summary>Migration and upgrade jobs.</summary>
    public MigrationService Migrations => session.Migrations;
}
