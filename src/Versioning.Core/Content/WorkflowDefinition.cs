using System.Collections.Immutable;

namespace Versioning.Core.Content;

/// <summary>
/// The content of a release or version: an ordered list of steps. Immutable and compared by value, so a copy
/// made by <c>Copy</c> or <c>Clone</c> equals its source (rule T8) and locked content can be checked for change.
/// </summary>
public sealed class WorkflowDefinition : IEquatable<WorkflowDefinition>
{
    /// <summary>The most steps a workflow may have.</summary>
    public const int MaxSteps = 1_000;

    /// <summary>Creates a workflow from its steps, in order.</summary>
    /// <param name="steps">The steps (at most 1 000).</param>
    /// <exception cref="ArgumentNullException"><paramref name="steps"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">There are more than 1 000 steps.</exception>
    public WorkflowDefinition(IEnumerable<Step> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var array = steps.ToImmutableArray();
        if (array.Length > MaxSteps)
        {
            throw new ArgumentException($"steps must have at most {MaxSteps} items; it has {array.Length}.", nameof(steps));
        }

        foreach (var step in array)
        {
            if (step is null)
            {
                throw new ArgumentNullException(nameof(steps), "steps must not contain null items.");
            }
        }

        Steps = array;
    }

    /// <summary>A workflow with no steps (the content of a new, empty Draft).</summary>
    public static WorkflowDefinition Empty { get; } = new([]);

    /// <summary>The steps, in order.</summary>
    public ImmutableArray<Step> Steps { get; }

    /// <summary>The distinct connectors the steps use, in order of first use (rule T15).</summary>
    /// <returns>The connectors.</returns>
    public IReadOnlyList<ConnectorRef> Connectors() => Steps.Select(s => s.Connector).Distinct().ToArray();

    /// <summary>
    /// Returns a copy in which every step that uses a connector named <paramref name="connectorName"/> uses
    /// <paramref name="replacement"/> instead (rule T9: copy a CRM integration and swap the CRM steps).
    /// </summary>
    /// <param name="connectorName">The name of the connector to replace (any version).</param>
    /// <param name="replacement">The connector to use instead.</param>
    /// <returns>The new workflow; equal to this one when no step uses the connector.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public WorkflowDefinition SwapConnector(string connectorName, ConnectorRef replacement)
    {
        ArgumentNullException.ThrowIfNull(connectorName);
        ArgumentNullException.ThrowIfNull(replacement);
        return new WorkflowDefinition(Steps.Select(s => string.Equals(s.Connector.Name, connectorName, StringComparison.Ordinal) ? s.WithConnector(replacement) : s));
    }

    /// <summary>Tells whether any step uses a connector named <paramref name="connectorName"/>.</summary>
    /// <param name="connectorName">The connector name.</param>
    /// <returns>True when used.</returns>
    public bool UsesConnector(string connectorName) => Steps.Any(s => string.Equals(s.Connector.Name, connectorName, StringComparison.Ordinal));

    /// <inheritdoc />
    public bool Equals(WorkflowDefinition? other) => other is not null && Steps.SequenceEqual(other.Steps);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WorkflowDefinition);

    /// <inheritdoc />
    public override int GetHashCode() => Steps.Length == 0 ? 0 : HashCode.Combine(Steps.Length, Steps[0]);

    /// <inheritdoc />
    public override string ToString() => $"{Steps.Length} step(s)";
}
