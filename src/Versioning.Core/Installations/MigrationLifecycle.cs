using Versioning.Core.Lifecycles;

namespace Versioning.Core.Installations;

/// <summary>The migration job lifecycle (M5), on the same engine as releases and versions.</summary>
public static class MigrationLifecycle
{
    /// <summary>The lifecycle definition. It has no guards, so its context is an empty struct.</summary>
    public static Lifecycle<MigrationState, MigrationAction, NoFacts> Definition { get; } = Build();

    private static Lifecycle<MigrationState, MigrationAction, NoFacts> Build()
    {
        var builder = new LifecycleBuilder<MigrationState, MigrationAction, NoFacts>("Migration jobs", MigrationState.Requested)
            .Explain(MigrationAction.RunBatch, "M5", "A {state} migration runs no more batches (M5): start a new migration instead.")
            .Explain(MigrationAction.Complete, "M5", "A {state} migration cannot complete (M5).")
            .Explain(MigrationAction.Abort, "M5", "A {state} migration has already ended and cannot be aborted (M5).")
            .Explain(MigrationAction.Fail, "M5", "A {state} migration has already ended (M5).");
        builder.Configure(MigrationState.Requested).Means(StateCapabilities.None, "Created; no batch has run yet.")
            .Permit(MigrationAction.RunBatch, MigrationState.InProgress)
            .Permit(MigrationAction.Complete, MigrationState.Completed)
            .Permit(MigrationAction.Abort, MigrationState.Aborted)
            .Permit(MigrationAction.Fail, MigrationState.Failed);
        builder.Configure(MigrationState.InProgress).Means(StateCapabilities.None, "Batches are running; resumable from the stored checkpoint after a stop at any point.")
            .PermitInternal(MigrationAction.RunBatch)
            .Permit(MigrationAction.Complete, MigrationState.Completed)
            .Permit(MigrationAction.Abort, MigrationState.Aborted)
            .Permit(MigrationAction.Fail, MigrationState.Failed);
        builder.Configure(MigrationState.Completed).Means(StateCapabilities.None, "Every selected installation moved exactly once.");
        builder.Configure(MigrationState.Aborted).Means(StateCapabilities.None, "Stopped on request; moved installations stay moved.");
        builder.Configure(MigrationState.Failed).Means(StateCapabilities.None, "Stopped because a rule no longer held.");
        return builder.Build();
    }
}

/// <summary>An empty context for lifecycles without guards.</summary>
public readonly record struct NoFacts;
