namespace Versioning.Core.Integrations;

/// <summary>
/// A check run before a version is promoted (Z8). Register implementations in DI (<c>services.AddSingleton&lt;IPromotionCheck, MyCheck&gt;()</c>);
/// every registered check runs on every promotion, errors block (all reported together), warnings are recorded.
/// A check must be a pure function of its arguments: it runs inside the command and may run again on a retry.
/// </summary>
public interface IPromotionCheck
{
    /// <summary>The check's name, shown with its findings.</summary>
    string Name { get; }

    /// <summary>Checks a candidate for promotion.</summary>
    /// <param name="integration">The integration, as it is before the promotion.</param>
    /// <param name="candidate">The version to be promoted.</param>
    /// <param name="current">The currently Promoted version, if any.</param>
    /// <returns>The findings; empty when all is well.</returns>
    IEnumerable<PromotionFinding> Check(Integration integration, IntegrationVersion candidate, IntegrationVersion? current);

    /// <summary>
    /// Whether the check reads the content of the currently Promoted version (<c>current.Content</c>). The services load
    /// that content for a promotion only when a registered check says so (P8); a check that says false and reads it
    /// anyway gets an <see cref="InvalidOperationException"/>. The candidate's content is always loaded.
    /// </summary>
    /// <value>True by default (always correct); the built-in <see cref="ReleaseNotesPresentCheck"/> says false.</value>
    bool ReadsCurrentContent => true;
}
