namespace Versioning.Core;

/// <summary>
/// A command broke a domain rule. Carries the rule ID (for example <c>"T3"</c> or <c>"Z11"</c>), the aggregate,
/// the release or version concerned and its state, so a caller can react without parsing the message.
/// Nothing was changed when this is thrown (rule X1).
/// </summary>
/// <remarks>In 0.1 this derived from <see cref="InvalidOperationException"/>; it now derives from <see cref="VersioningException"/>.</remarks>
public sealed class VersioningRuleException : VersioningException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="ruleId">The ID of the broken rule, as listed in docs/rules.md.</param>
    /// <param name="message">What was attempted, why it was refused and what to do instead.</param>
    /// <param name="aggregateKind">"Template", "Integration", "Installation" or "Migration" ("Lifecycle" from a lifecycle's own Stateless machine).</param>
    /// <param name="aggregateId">The aggregate's identifier text.</param>
    /// <param name="subject">The release number or version number concerned, when there is one.</param>
    /// <param name="state">The current state of <paramref name="subject"/>, when there is one.</param>
    /// <param name="problems">Every problem found, when one refusal has several (for example all failed promotion checks).</param>
    public VersioningRuleException(string ruleId, string message, string aggregateKind, string aggregateId, string? subject = null, string? state = null, IReadOnlyList<string>? problems = null)
        : base(message)
    {
        Problems = problems ?? [];
        RuleId = ruleId;
        AggregateKind = aggregateKind;
        AggregateId = aggregateId;
        Subject = subject;
        State = state;
    }

    /// <inheritdoc/>
    /// <value>Always <c>"rule-violation"</c>.</value>
    public override string ErrorCode => "rule-violation";

    /// <summary>The ID of the broken rule (for example <c>"Z11"</c>).</summary>
    public string RuleId { get; }

    /// <summary>The kind of aggregate: "Template", "Integration", "Installation" or "Migration"; "Lifecycle" (with the lifecycle's name as <see cref="AggregateId"/>) when a lifecycle's Stateless machine refused without a wording of its own.</summary>
    public string AggregateKind { get; }

    /// <summary>The aggregate's identifier.</summary>
    public string AggregateId { get; }

    /// <summary>The release number or version number the command was about, if any.</summary>
    public string? Subject { get; }

    /// <summary>Every problem found, when one refusal has several (for example all failed promotion checks, Z8); otherwise empty.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The state of <see cref="Subject"/> when the command was refused, if any.</summary>
    public string? State { get; }
}
