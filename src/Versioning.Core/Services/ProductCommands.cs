using NodaTime;
using Versioning.Core.Aggregates;
using Versioning.Core.Authorization;
using Versioning.Core.Installations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Persistence;
using Versioning.Core.Templates;

namespace Versioning.Core.Services;

/// <summary>
/// The one command core of every lifecycle's service (A2): load the product (whole, or without its stored audit trail),
/// ask the access policy (X7), apply the change at the clock's instant (X2), and save it with the revision it was loaded
/// at, only when something changed (X12) — each attempt re-run whole on a concurrency conflict by the shared
/// <see cref="CommandRunner"/> (X3, X10), which also traces and counts it. The installation initializer (T12, Z10) lives
/// here too, so both lifecycles and any other install the same way.
/// </summary>
/// <typeparam name="TProduct">The product type.</typeparam>
/// <typeparam name="TId">Its identifier type.</typeparam>
/// <param name="runner">The shared command runner.</param>
/// <param name="access">The shared access guard.</param>
/// <param name="installations">The installation store.</param>
/// <param name="kind">The kind named when a product is not found ("Template", "Integration").</param>
/// <param name="find">Loads a product: with its whole trail when the flag is true, else without it and narrowed to the command's selection (see <see cref="ItemSelection"/>); null when absent.</param>
/// <param name="save">Saves a changed product with its pending events.</param>
internal sealed class ProductCommands<TProduct, TId>(
    CommandRunner runner,
    AccessGuard access,
    IInstallationRepository installations,
    string kind,
    Func<TId, bool, ItemSelection, CancellationToken, Task<TProduct?>> find,
    Func<TProduct, CancellationToken, Task> save)
    where TProduct : class, IProduct
    where TId : struct, IEquatable<TId>
{
    public CommandRunner Runner { get; } = runner;

    public AccessGuard Access { get; } = access;

    /// <summary>
    /// Loads a product or throws the not-found exception: with its whole audit trail when the caller gets the aggregate
    /// itself, else without it (commands and reads that return something else; their cost then does not grow with it).
    /// </summary>
    public Task<TProduct> LoadAsync(TId id, bool wholeTrail, CancellationToken cancellationToken) => LoadAsync(id, wholeTrail, ItemSelection.All, cancellationToken);

    /// <summary>Loads a product narrowed to a command's selection (every item when it is All), or throws the not-found exception.</summary>
    public async Task<TProduct> LoadAsync(TId id, bool wholeTrail, ItemSelection selection, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(id, nameof(id));
        return await find(id, wholeTrail, selection, cancellationToken).ConfigureAwait(false) ?? throw new EntityNotFoundException(kind, id.ToString()!);
    }

    /// <summary>
    /// Runs a command that changes one product: load (only <paramref name="selection"/>, every item when null) → check
    /// access → apply → save when changed.
    /// </summary>
    public Task<T> ChangeAsync<T>(string command, TId id, ActorId by, bool wholeTrail, Func<TProduct, Instant, CancellationToken, ValueTask<T>> change, CancellationToken cancellationToken, ItemSelection? selection = null)
    {
        Preconditions.NotDefault(id, nameof(id));

        // A malformed argument (X6), not an access question: say so before the policy would call it "denied".
        Preconditions.Actor(by, nameof(by));
        return Runner.RunAsync(command, async (at, ct) =>
        {
            var product = await LoadAsync(id, wholeTrail, selection ?? ItemSelection.All, ct).ConfigureAwait(false);
            Access.Demand(by, command, AccessTarget.For(product));
            var result = await change(product, at, ct).ConfigureAwait(false);
            if (product.PendingEvents.Count > 0)
            {
                await save(product, ct).ConfigureAwait(false);
            }

            return result;
        }, cancellationToken);
    }

    /// <summary>Installs a product for an owner (T12, Z10) through the shared initializer (<see cref="ProductCommands.InstallAsync"/>).</summary>
    public Task<Installation> InstallAsync(string command, TId id, OwnerRef owner, VersionKey? requested, IEnumerable<KeyValuePair<string, string>>? settings, ActorId by, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(id, nameof(id));
        // An install reads the version it pins: the one named, or the Promoted/Live one (always loaded, without content).
        var selection = requested is { Value.Length: > 0 } r ? ItemSelection.Of(r) : ItemSelection.Of();
        return ProductCommands.InstallAsync(Runner, Access, installations, command, async ct => await LoadAsync(id, wholeTrail: false, selection, ct).ConfigureAwait(false), owner, requested, settings, by, cancellationToken);
    }
}

/// <summary>What every lifecycle's commands share beyond one product type: the installation initializer and the action report.</summary>
internal static class ProductCommands
{
    /// <summary>
    /// The installation initializer every lifecycle shares: checks the owner, actor and settings (X6, X11), then in one
    /// attempt loads the product, asks the policy (X7, as an install for <paramref name="owner"/>), lets the product pick
    /// the release or version to pin (T12, Z10), and saves a Paused installation with its Installed event.
    /// </summary>
    public static Task<Installation> InstallAsync(CommandRunner runner, AccessGuard access, IInstallationRepository installations, string command,
        Func<CancellationToken, Task<IProduct>> load, OwnerRef owner, VersionKey? requested, IEnumerable<KeyValuePair<string, string>>? settings, ActorId by, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(owner, nameof(owner));
        Preconditions.Actor(by, nameof(by));
        var checkedSettings = InputLimits.Settings(Installation.CheckSettings(settings ?? []), runner.Options, nameof(settings));
        var installationId = InstallationId.New();
        return runner.RunAsync(command, async (at, ct) =>
        {
            var product = await load(ct).ConfigureAwait(false);
            access.Demand(by, command, AccessTarget.ForInstall(product, owner));
            var installation = new Installation
            {
                Id = installationId,
                Product = product.Product,
                Owner = owner,
                Pinned = product.PinForNewInstallation(requested, by, owner, at),
                Status = RunStatus.Paused,
                Settings = checkedSettings,
                CreatedAt = at,
                UpdatedAt = at,
            };
            return await installations.SaveAsync(installation, InstallationEvents.Installed(installation, by, at), ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Every action of a lifecycle, whether it is permitted now, and the rule blocking it if not (X5), in declaration order.</summary>
    public static IReadOnlyList<ActionAvailability<TAction>> Availability<TAction>(IReadOnlyList<TAction> actions, Func<TAction, RuleViolation> whyNot)
        where TAction : struct, Enum
    {
        var list = new List<ActionAvailability<TAction>>(actions.Count);
        foreach (var action in actions)
        {
            var why = whyNot(action);
            list.Add(why.IsEmpty ? new(action, true, default) : new(action, false, why));
        }

        return list;
    }
}
