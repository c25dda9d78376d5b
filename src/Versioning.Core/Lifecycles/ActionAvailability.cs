namespace Versioning.Core.Lifecycles;

/// <summary>Whether one action is available on a release or version now, and if not, the rule that blocks it (X5).</summary>
/// <typeparam name="TAction">The action enum.</typeparam>
/// <param name="Action">The action.</param>
/// <param name="IsPermitted">True when it may be applied now.</param>
/// <param name="BlockedBy">The blocking rule when not permitted; the default value otherwise.</param>
public sealed record ActionAvailability<TAction>(TAction Action, bool IsPermitted, RuleViolation BlockedBy)
    where TAction : struct, Enum;
