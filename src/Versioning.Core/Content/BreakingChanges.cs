namespace Versioning.Core.Content;

/// <summary>
/// What a newer workflow drops compared with an older one. Dropping a connector or a (connector, operation)
/// pair breaks installations that rely on it: promotion needs a MAJOR bump (Z8) and migration is refused (M3).
/// </summary>
public sealed class BreakingChanges
{
    private BreakingChanges(IReadOnlyList<string> removedConnectors, IReadOnlyList<string> removedOperations)
    {
        RemovedConnectors = removedConnectors;
        RemovedOperations = removedOperations;
    }

    /// <summary>Connector names the older workflow uses and the newer one does not.</summary>
    public IReadOnlyList<string> RemovedConnectors { get; }

    /// <summary>"Connector.Operation" pairs the older workflow uses and the newer one does not.</summary>
    public IReadOnlyList<string> RemovedOperations { get; }

    /// <summary>True when anything was removed.</summary>
    public bool IsBreaking => RemovedConnectors.Count > 0 || RemovedOperations.Count > 0;

    /// <summary>Compares <paramref name="newer"/> with <paramref name="older"/>.</summary>
    /// <param name="older">The workflow installations use now.</param>
    /// <param name="newer">The workflow they would get.</param>
    /// <returns>What <paramref name="newer"/> removes, sorted ordinally.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static BreakingChanges Between(WorkflowDefinition older, WorkflowDefinition newer)
    {
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(newer);
        var newConnectors = newer.Steps.Select(s => s.Connector.Name).ToHashSet(StringComparer.Ordinal);
        var newOperations = newer.Steps.Select(Operation).ToHashSet(StringComparer.Ordinal);
        var removedConnectors = older.Steps.Select(s => s.Connector.Name).Where(n => !newConnectors.Contains(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var removedOperations = older.Steps.Select(Operation).Where(o => !newOperations.Contains(o)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new BreakingChanges(removedConnectors, removedOperations);
    }

    /// <inheritdoc />
    public override string ToString()
        => IsBreaking
            ? $"removes connectors [{string.Join(", ", RemovedConnectors)}] and operations [{string.Join(", ", RemovedOperations)}]"
            : "no breaking change";

    private static string Operation(Step step) => $"{step.Connector.Name}.{step.Operation}";
}
