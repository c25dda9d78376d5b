namespace Versioning.Core.Lifecycles;

/// <summary>
/// A condition on a permitted action, evaluated against facts about the item (its context). The context is passed
/// by reference so that a struct context is never copied or boxed; use static lambdas so nothing is captured.
/// </summary>
/// <typeparam name="TContext">The facts the guard reads, usually a small readonly struct.</typeparam>
/// <param name="context">The facts about the item at the moment of the question.</param>
/// <returns>True when the action may proceed.</returns>
public delegate bool LifecycleGuard<TContext>(in TContext context);
