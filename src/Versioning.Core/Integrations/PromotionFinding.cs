namespace Versioning.Core.Integrations;

/// <summary>How serious a promotion check's finding is (Z8).</summary>
public enum PromotionSeverity
{
    /// <summary>Recorded on the version; never blocks.</summary>
    Warning,

    /// <summary>Blocks the promotion.</summary>
    Error,
}

/// <summary>One result of a promotion check (Z8).</summary>
/// <param name="Check">The check's name.</param>
/// <param name="Severity">Warning or error.</param>
/// <param name="Message">What was found and how to fix it.</param>
public sealed record PromotionFinding(string Check, PromotionSeverity Severity, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Severity} [{Check}]: {Message}";
}
