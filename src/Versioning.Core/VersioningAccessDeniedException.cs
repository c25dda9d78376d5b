namespace Versioning.Core;

/// <summary>
/// The access policy (<c>Versioning.Core.Authorization.IAccessPolicy</c>) refused a command (X7): the actor may not change that template, integration,
/// installation or migration job. Nothing was changed.
/// </summary>
/// <remarks>
/// In 0.1 this derived from <see cref="UnauthorizedAccessException"/> (which .NET uses for file permissions) and
/// lived in <c>Versioning.Core.Authorization</c>; it now derives from <see cref="VersioningException"/>.
/// </remarks>
public sealed class VersioningAccessDeniedException : VersioningException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="actor">Who was refused.</param>
    /// <param name="aggregateKind">"Template", "Integration", "Installation" or "Migration".</param>
    /// <param name="aggregateId">The target's identifier.</param>
    /// <param name="command">What they tried.</param>
    public VersioningAccessDeniedException(ActorId actor, string aggregateKind, string aggregateId, string command)
        : base($"{actor} may not {command} on {aggregateKind} '{aggregateId}' (X7): only its team{(aggregateKind == "Installation" ? " or its owner" : string.Empty)} can; ask a team member to add you.")
    {
        Actor = actor;
        AggregateKind = aggregateKind;
        AggregateId = aggregateId;
        Command = command;
    }

    /// <inheritdoc/>
    /// <value>Always <c>"access-denied"</c>.</value>
    public override string ErrorCode => "access-denied";

    /// <summary>Who was refused.</summary>
    public ActorId Actor { get; }

    /// <summary>The kind of target.</summary>
    public string AggregateKind { get; }

    /// <summary>The target's identifier.</summary>
    public string AggregateId { get; }

    /// <summary>The command refused.</summary>
    public string Command { get; }
}
