namespace Versioning.Core.Lifecycles;

/// <summary>A state as a <see cref="LifecycleGraphStyle"/> sees it: its name, its meaning, and where it sits in the graph.</summary>
/// <param name="Name">The state's name.</param>
/// <param name="Description">Its one-line meaning.</param>
/// <param name="IsInitial">True for the initial state.</param>
/// <param name="IsFinal">True when no action is configured in it.</param>
public sealed record LifecycleGraphState(string Name, string Description, bool IsInitial, bool IsFinal);
