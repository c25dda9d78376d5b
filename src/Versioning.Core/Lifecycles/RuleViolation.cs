using System.Text.Json.Serialization;

namespace Versioning.Core.Lifecycles;

/// <summary>
/// Why an action is not permitted: the rule ID (as in docs/rules.md) and a message for people, suitable for a
/// tooltip on a disabled button. Both strings are built once when the lifecycle is defined, so asking costs nothing.
/// </summary>
[JsonConverter(typeof(RuleViolationJsonConverter))]
public readonly struct RuleViolation : IEquatable<RuleViolation>
{
    /// <summary>Creates a violation.</summary>
    /// <param name="ruleId">The rule ID, for example <c>"T3"</c>.</param>
    /// <param name="message">What is refused, why, and what to do instead.</param>
    public RuleViolation(string ruleId, string message)
    {
        RuleId = ruleId ?? throw new ArgumentNullException(nameof(ruleId));
        Message = message ?? throw new ArgumentNullException(nameof(message));
    }

    /// <summary>The broken rule's ID; null for the default value (no violation).</summary>
    public string? RuleId { get; }

    /// <summary>The explanation; null for the default value (no violation).</summary>
    public string? Message { get; }

    /// <summary>True for <c>default(RuleViolation)</c>: nothing was violated.</summary>
    public bool IsEmpty => RuleId is null;

    /// <inheritdoc />
    public bool Equals(RuleViolation other) => RuleId == other.RuleId && Message == other.Message;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RuleViolation other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(RuleId, Message);

    /// <summary>Returns <c>{RuleId}: {Message}</c> (for example <c>T3: …</c>), or <c>(none)</c> for the empty value; stable.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => IsEmpty ? "(none)" : $"{RuleId}: {Message}";

    /// <summary>Compares two violations.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(RuleViolation left, RuleViolation right) => left.Equals(right);

    /// <summary>Compares two violations.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(RuleViolation left, RuleViolation right) => !left.Equals(right);
}
