namespace Versioning.Core.Authorization;

/// <summary>An actor tried to change an integration they are not allowed to change (Z6). Nothing was changed.</summary>
public sealed class VersioningAccessDeniedException : UnauthorizedAccessException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="actor">Who was refused.</param>
    /// <param name="aggregateKind">"Integration".</param>
    /// <param name="aggregateId">The integration's identifier.</param>
    /// <param name="command">What they tried.</param>
    public VersioningAccessDeniedException(ActorId actor, string aggregateKind, string aggregateId, string command)
        : base($"{actor} may not {command} on {aggregateKind} '{aggregateId}' (Z6): only team members can change an integration; ask a team member to add you.")
    {
        Actor = actor;
        AggregateKind = aggregateKind;
        AggregateId = aggregateId;
        Command = command;
    }

    /// <summary>Who was refused.</summary>
    public ActorId Actor { get; }

    /// <summary>The kind of aggregate.</summary>
    public string AggregateKind { get; }

    /// <summary>The aggregate's identifier.</summary>
    public string AggregateId { get; }

    /// <summary>The command refused.</summary>
    public string Command { get; }
}
