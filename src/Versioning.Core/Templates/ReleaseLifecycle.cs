using Versioning.Core.Lifecycles;

namespace Versioning.Core.Templates;

/// <summary>The Cyclr-style template release lifecycle (rules T3–T13), defined once.</summary>
public static class ReleaseLifecycle
{
    /// <summary>The lifecycle definition shared by every template.</summary>
    public static Lifecycle<ReleaseState, ReleaseAction, ReleaseFacts> Definition { get; } = Build();

    private static Lifecycle<ReleaseState, ReleaseAction, ReleaseFacts> Build()
    {
        const string NoInstallations = "no installations pinned";
        const string NoInstallationsWhy = "A {state} release that installations are pinned to cannot be deleted (T10): upgrade them to the Live release first.";
        var builder = new LifecycleBuilder<ReleaseState, ReleaseAction, ReleaseFacts>("Template releases", ReleaseState.Draft)
            .Explain(ReleaseAction.EditContent, "T3", "A {state} release is locked (T3): copy it to a new Draft and edit the copy.")
            .Explain(ReleaseAction.Promote, "T6", "Only a Draft can be promoted (T6); this release is {state}.")
            .Explain(ReleaseAction.Supersede, "T6", "Only the Live release is deprecated when another is promoted (T6); this release is {state}.")
            .Explain(ReleaseAction.Delete, "T10", "The Live release cannot be deleted (T10): promote another release first.")
            .Explain(ReleaseAction.Run, "T11", "A {state} release can be paused but not started (T11): copy it to a new Draft instead.")
            .Explain(ReleaseAction.Install, "T12", "Only the Live release of a published template can be installed (T12); this release is {state}.")
            .Explain(ReleaseAction.UpgradeTo, "T13", "Installations are upgraded only to the Live release (T13); this release is {state}.");

        builder.Configure(ReleaseState.Draft)
            .Means(StateCapabilities.IsEditable | StateCapabilities.CanBeDeleted, "Being built and tested: content can change; several Drafts may coexist.")
            .PermitInternal(ReleaseAction.EditContent)
            .PermitInternal(ReleaseAction.EditNotes)
            .PermitInternal(ReleaseAction.Copy)
            .PermitInternal(ReleaseAction.Run)
            .PermitInternal(ReleaseAction.Pause)
            .Permit(ReleaseAction.Promote, ReleaseState.Live)
            .PermitExitIf(ReleaseAction.Delete, static (in ReleaseFacts f) => f.InstallationCount == 0, "T10", NoInstallations, NoInstallationsWhy);

        builder.Configure(ReleaseState.Live)
            .Means(StateCapabilities.AcceptsNewInstallations | StateCapabilities.RunsExistingInstallations | StateCapabilities.CanBeMigrationTarget,
                "The release new installations get; locked; at most one per template.")
            .PermitInternal(ReleaseAction.EditNotes)
            .PermitInternal(ReleaseAction.Copy)
            .PermitInternal(ReleaseAction.Run)
            .PermitInternal(ReleaseAction.Pause)
            .PermitInternalIf(ReleaseAction.Install, static (in ReleaseFacts f) => f.TemplatePublished, "T12", "template published",
                "The template is not published, so it cannot be installed (T12): publish it first.")
            .PermitInternal(ReleaseAction.UpgradeTo)
            .Permit(ReleaseAction.Supersede, ReleaseState.Deprecated)
            .Refuse(ReleaseAction.Promote, "T5", "This release is already Live (T5).");

        builder.Configure(ReleaseState.Deprecated)
            .Means(StateCapabilities.RunsExistingInstallations | StateCapabilities.CanBeDeleted,
                "A former Live release: locked; its installations keep their binding; copy it to a Draft to roll back.")
            .PermitInternal(ReleaseAction.EditNotes)
            .PermitInternal(ReleaseAction.Copy)
            .PermitInternal(ReleaseAction.Pause)
            .PermitExitIf(ReleaseAction.Delete, static (in ReleaseFacts f) => f.InstallationCount == 0, "T10", NoInstallations, NoInstallationsWhy)
            .Refuse(ReleaseAction.Promote, "T7", "A Deprecated release is never promoted directly (T7): copy it to a new Draft and promote the copy.");

        return builder.Build();
    }
}
