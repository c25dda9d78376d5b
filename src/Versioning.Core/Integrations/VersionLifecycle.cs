using Versioning.Core.Lifecycles;

namespace Versioning.Core.Integrations;

/// <summary>The Zapier-style integration version lifecycle (rules Z3–Z15), defined once.</summary>
public static class VersionLifecycle
{
    /// <summary>The lifecycle definition shared by every integration.</summary>
    public static Lifecycle<VersionState, VersionAction, VersionFacts> Definition { get; } = Build();

    private static Lifecycle<VersionState, VersionAction, VersionFacts> Build()
    {
        const string NotLabeled = "not labeled";
        const string LabeledWhy = "A labeled version is a development build for the team only (Z5): it can never be promoted, shared outside the team, or migrated to or from; create an unlabeled version.";
        const string Unused = "no installations";
        const string UnusedWhy = "A version with installations cannot be deleted (Z15): migrate them to another version first.";
        const string TargetExists = "unused, or another version Promoted";
        const string TargetExistsWhy = "A version that installations use can be deprecated only while another version is Promoted, their migration target (Z13): promote another version first.";
        LifecycleGuard<VersionFacts> notLabeled = static (in VersionFacts f) => !f.IsPreRelease;
        LifecycleGuard<VersionFacts> unused = static (in VersionFacts f) => f.InstallationCount == 0;
        LifecycleGuard<VersionFacts> targetExists = static (in VersionFacts f) => f.InstallationCount == 0 || f.AnotherVersionPromoted;

        var builder = new LifecycleBuilder<VersionState, VersionAction, VersionFacts>("Integration versions", VersionState.Private)
            .Explain(VersionAction.EditContent, "Z4", "Content can change only while a version is Private (Z4); this version is {state}: clone it to a new version and edit the clone.")
            .Explain(VersionAction.Share, "Z6", "Only Private versions are shared with individual users (Z6); a {state} version is visible to every user of the integration or to nobody new.")
            .Explain(VersionAction.Promote, "Z7", "A {state} version can never be promoted (Z7): only Private and Available versions can.")
            .Explain(VersionAction.Demote, "Z7", "Only the Promoted version is demoted, when another version is promoted (Z7); this version is {state}.")
            .Explain(VersionAction.MarkLegacy, "Z11", "Only Private and Available versions can be marked Legacy (Z11); this version is {state}.")
            .Explain(VersionAction.Deprecate, "Z12", "Only Private, Available and Legacy versions can be deprecated (Z12); this version is {state}.")
            .Explain(VersionAction.Expire, "Z12", "Only a Deprecating version reaches its deprecation date (Z12); this version is {state}.")
            .Explain(VersionAction.Install, "Z10", "New installations can use only Promoted, Available or accessible Private versions (Z10); this version is {state}.")
            .Explain(VersionAction.MigrateTo, "M3", "Installations can be migrated only to Promoted, Available or Private versions (M3); this version is {state}.");

        builder.Configure(VersionState.Private)
            .Means(StateCapabilities.IsEditable | StateCapabilities.AcceptsNewInstallations | StateCapabilities.RunsExistingInstallations | StateCapabilities.CanBeMigrationTarget | StateCapabilities.CanBeDeleted,
                "New versions start here; only the team and users it is shared with can see and install it; content can change while few installations use it.")
            .PermitInternalIf(VersionAction.EditContent, static (in VersionFacts f) => f.InstallationCount < f.EditInstallationLimit, "Z4", "fewer installations than the edit limit",
                "This Private version is used by too many installations to change its content (Z4): clone it to a new version and edit the clone.")
            .PermitInternal(VersionAction.EditNotes)
            .PermitInternal(VersionAction.Clone)
            .PermitInternalIf(VersionAction.Share, notLabeled, "Z5", NotLabeled, LabeledWhy)
            .PermitIf(VersionAction.Promote, VersionState.Promoted, notLabeled, "Z5", NotLabeled, LabeledWhy)
            .Permit(VersionAction.MarkLegacy, VersionState.Legacy)
            .PermitIf(VersionAction.Deprecate, VersionState.Deprecating, targetExists, "Z13", TargetExists, TargetExistsWhy)
            .PermitExitIf(VersionAction.Delete, unused, "Z15", Unused, UnusedWhy)
            .PermitInternal(VersionAction.Install)
            .PermitInternalIf(VersionAction.MigrateFrom, notLabeled, "Z5", NotLabeled, LabeledWhy)
            .PermitInternalIf(VersionAction.MigrateTo, notLabeled, "Z5", NotLabeled, LabeledWhy);

        builder.Configure(VersionState.Promoted)
            .Means(StateCapabilities.AcceptsNewInstallations | StateCapabilities.RunsExistingInstallations | StateCapabilities.CanBeMigrationTarget,
                "The default for new installations; locked; exactly one once any version was promoted.")
            .PermitInternal(VersionAction.EditNotes)
            .PermitInternal(VersionAction.Clone)
            .Permit(VersionAction.Demote, VersionState.Available)
            .PermitInternal(VersionAction.Install)
            .PermitInternal(VersionAction.MigrateFrom)
            .PermitInternal(VersionAction.MigrateTo)
            .Refuse(VersionAction.EditContent, "Z7", "The Promoted version is locked (Z7): clone it to a new version and edit the clone.")
            .Refuse(VersionAction.Promote, "Z7", "This version is already Promoted (Z7).")
            .Refuse(VersionAction.MarkLegacy, "Z11", "The Promoted version cannot be marked Legacy (Z11, Z9): promote another version first.")
            .Refuse(VersionAction.Deprecate, "Z12", "The Promoted version cannot be deprecated (Z12, Z9): promote another version first.")
            .Refuse(VersionAction.Delete, "Z15", "The Promoted version cannot be deleted (Z15, Z9): promote another version first.");

        builder.Configure(VersionState.Available)
            .Means(StateCapabilities.AcceptsNewInstallations | StateCapabilities.RunsExistingInstallations | StateCapabilities.CanBeMigrationTarget | StateCapabilities.CanBeDeleted,
                "A formerly Promoted version: keeps working, can be chosen for new installations and promoted again (rollback).")
            .PermitInternal(VersionAction.EditNotes)
            .PermitInternal(VersionAction.Clone)
            .Permit(VersionAction.Promote, VersionState.Promoted)
            .Permit(VersionAction.MarkLegacy, VersionState.Legacy)
            .PermitIf(VersionAction.Deprecate, VersionState.Deprecating, targetExists, "Z13", TargetExists, TargetExistsWhy)
            .PermitExitIf(VersionAction.Delete, unused, "Z15", Unused, UnusedWhy)
            .PermitInternal(VersionAction.Install)
            .PermitInternal(VersionAction.MigrateFrom)
            .PermitInternal(VersionAction.MigrateTo);

        builder.Configure(VersionState.Legacy)
            .Means(StateCapabilities.RunsExistingInstallations | StateCapabilities.CanBeDeleted,
                "No longer recommended: keeps running existing installations, takes no new ones, is never a migration target; no way back.")
            .PermitInternal(VersionAction.EditNotes)
            .PermitInternal(VersionAction.Clone)
            .PermitIf(VersionAction.Deprecate, VersionState.Deprecating, targetExists, "Z13", TargetExists, TargetExistsWhy)
            .PermitExitIf(VersionAction.Delete, unused, "Z15", Unused, UnusedWhy)
            .PermitInternalIf(VersionAction.MigrateFrom, notLabeled, "Z5", NotLabeled, LabeledWhy)
            .Refuse(VersionAction.Promote, "Z11", "A Legacy version can never be promoted (Z11): clone it to a new version and promote the clone.")
            .Refuse(VersionAction.MarkLegacy, "Z11", "This version is already Legacy (Z11).")
            .Refuse(VersionAction.Install, "Z11", "A Legacy version takes no new installations (Z11): install the Promoted version.")
            .Refuse(VersionAction.MigrateTo, "Z11", "A Legacy version cannot be a migration target (Z11): migrate to the Promoted or an Available version.");

        builder.Configure(VersionState.Deprecating)
            .Means(StateCapabilities.RunsExistingInstallations | StateCapabilities.CanBeDeleted,
                "Scheduled for deprecation: runs existing installations until the date, takes no new ones; irreversible.")
            .PermitInternal(VersionAction.EditNotes)
            .PermitInternal(VersionAction.Clone)
            .Permit(VersionAction.Expire, VersionState.Deprecated)
            .PermitExitIf(VersionAction.Delete, unused, "Z15", Unused, UnusedWhy)
            .PermitInternalIf(VersionAction.MigrateFrom, notLabeled, "Z5", NotLabeled, LabeledWhy)
            .Refuse(VersionAction.Promote, "Z12", "Deprecation is irreversible (Z12): a Deprecating version can never be promoted; clone it to a new version instead.")
            .Refuse(VersionAction.MarkLegacy, "Z12", "Deprecation is irreversible (Z12): a Deprecating version cannot become Legacy.")
            .Refuse(VersionAction.Deprecate, "Z12", "This version is already Deprecating and its date cannot be changed (Z12).")
            .Refuse(VersionAction.Install, "Z13", "A Deprecating version takes no new installations (Z13): install the Promoted version.")
            .Refuse(VersionAction.MigrateTo, "Z13", "A Deprecating version cannot be a migration target (Z13, M3): migrate to the Promoted or an Available version.");

        builder.Configure(VersionState.Deprecated)
            .Means(StateCapabilities.CanBeDeleted, "Past its deprecation date: its installations no longer run; it can only be migrated from or deleted.")
            .PermitInternal(VersionAction.EditNotes)
            .PermitInternal(VersionAction.Clone)
            .PermitExitIf(VersionAction.Delete, unused, "Z15", Unused, UnusedWhy)
            .PermitInternalIf(VersionAction.MigrateFrom, notLabeled, "Z5", NotLabeled, LabeledWhy)
            .Refuse(VersionAction.Promote, "Z12", "Deprecation is irreversible (Z12): a Deprecated version can never be promoted; clone it to a new version instead.")
            .Refuse(VersionAction.MarkLegacy, "Z12", "Deprecation is irreversible (Z12): a Deprecated version cannot become Legacy.")
            .Refuse(VersionAction.Deprecate, "Z12", "This version is already Deprecated (Z12).")
            .Refuse(VersionAction.Install, "Z14", "A Deprecated version takes no new installations and runs none (Z14): install the Promoted version.")
            .Refuse(VersionAction.MigrateTo, "Z14", "A Deprecated version can be a migration source, never a target (Z14).");

        return builder.Build();
    }
}
