using System.Collections.Immutable;
using System.Globalization;
using Versioning.Core.Aggregates;
using Versioning.Core.Auditing;
using Versioning.Core.Installations;
using Versioning.Core.Lifecycles;

namespace Versioning.Core.Tests.Aggregates;

/// <summary>The states of a playbook edition: a third lifecycle, defined only in the tests (A2).</summary>
public enum EditionState
{
    /// <summary>Being written.</summary>
    Draft,

    /// <summary>Open to early installers.</summary>
    Beta,

    /// <summary>What new installations get; a migration target.</summary>
    Released,

    /// <summary>Withdrawn: its installations stop.</summary>
    Retired,
}

/// <summary>The actions on a playbook edition.</summary>
public enum EditionAction
{
    /// <summary>Draft → Beta.</summary>
    OpenBeta,

    /// <summary>Beta → Released.</summary>
    Release,

    /// <summary>Released → Retired.</summary>
    Retire,

    /// <summary>A new installation pins it.</summary>
    Install,

    /// <summary>Installations are migrated onto it.</summary>
    MigrateTo,
}

/// <summary>The playbook lifecycle, on the library's own engine.</summary>
public static class EditionLifecycle
{
    /// <summary>The definition.</summary>
    public static Lifecycle<EditionState, EditionAction, NoFacts> Definition { get; } = Build();

    private static Lifecycle<EditionState, EditionAction, NoFacts> Build()
    {
        var builder = new LifecycleBuilder<EditionState, EditionAction, NoFacts>("Playbook editions", EditionState.Draft)
            .Explain(EditionAction.OpenBeta, "E1", "Only a Draft edition opens a beta (E1); this one is {state}.")
            .Explain(EditionAction.Release, "E2", "Only a Beta edition is released (E2); this one is {state}.")
            .Explain(EditionAction.Retire, "E3", "Only a Released edition is retired (E3); this one is {state}.")
            .Explain(EditionAction.Install, "E4", "A {state} edition takes no new installation (E4).")
            .Explain(EditionAction.MigrateTo, "E5", "Installations move only to a Released edition (E5); this one is {state}.");
        builder.Configure(EditionState.Draft).Means(StateCapabilities.IsEditable, "Being written.")
            .Permit(EditionAction.OpenBeta, EditionState.Beta);
        builder.Configure(EditionState.Beta).Means(StateCapabilities.AcceptsNewInstallations | StateCapabilities.RunsExistingInstallations, "Open to early installers.")
            .Permit(EditionAction.Release, EditionState.Released)
            .PermitInternal(EditionAction.Install);
        builder.Configure(EditionState.Released)
            .Means(StateCapabilities.AcceptsNewInstallations | StateCapabilities.RunsExistingInstallations | StateCapabilities.CanBeMigrationTarget, "What new installations get.")
            .Permit(EditionAction.Retire, EditionState.Retired)
            .PermitInternal(EditionAction.Install)
            .PermitInternal(EditionAction.MigrateTo);
        builder.Configure(EditionState.Retired).Means(StateCapabilities.None, "Withdrawn: its installations stop.");
        return builder.Build();
    }
}

/// <summary>A playbook's stored state, without its audit trail.</summary>
/// <param name="Id">The identifier.</param>
/// <param name="Name">The name.</param>
/// <param name="Team">The team.</param>
/// <param name="Editions">The editions' states; edition n is at index n − 1.</param>
public sealed record PlaybookSnapshot(Guid Id, string Name, ImmutableSortedSet<ActorId> Team, ImmutableArray<EditionState> Editions);

/// <summary>
/// A product of a lifecycle the library does not define: numbered editions (Draft → Beta → Released → Retired). It gets
/// installations, migrations, access checks and stores through the shared contract only (A2).
/// </summary>
public sealed class Playbook : TeamOwnedAggregate, IProduct
{
    /// <summary>The playbooks' product kind.</summary>
    public const ProductKind Kind = ProductKind.FirstCustom;

    private static readonly Lifecycle<EditionState, EditionAction, NoFacts> Lifecycle = EditionLifecycle.Definition;
    private readonly List<EditionState> _editions;

    private Playbook(PlaybookSnapshot snapshot, long revision, ImmutableArray<AuditEntry> trail, int trailStart)
        : base(revision, trail, trailStart, snapshot.Team)
    {
        Id = snapshot.Id;
        Name = snapshot.Name;
        _editions = [.. snapshot.Editions];
    }

    /// <summary>The identifier.</summary>
    public Guid Id { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ProductRef Product => new(Kind, Id);

    /// <inheritdoc />
    public override string AggregateKind => "Playbook";

    /// <inheritdoc />
    public override string AggregateIdText => Id.ToString("D");

    /// <inheritdoc />
    protected override string TeamRuleId => "X7";

    /// <inheritdoc />
    protected override string DisplayName => Name;

    /// <summary>The state of edition <paramref name="number"/>.</summary>
    /// <param name="number">The edition.</param>
    /// <returns>Its state.</returns>
    public EditionState StateOf(int number) => _editions[IndexOf(number)];

    /// <summary>Creates a playbook.</summary>
    /// <param name="name">The name.</param>
    /// <param name="by">The creator, first team member.</param>
    /// <param name="at">The instant.</param>
    /// <returns>The new playbook.</returns>
    public static Playbook Create(string name, ActorId by, Instant at)
    {
        var playbook = new Playbook(new PlaybookSnapshot(Guid.NewGuid(), name, [by], []), 0, [], 0);
        playbook.Record(AuditAction.Created, by, at, null, $"Playbook '{name}' created.");
        return playbook;
    }

    /// <summary>Rebuilds a playbook (for its store).</summary>
    /// <param name="snapshot">The state.</param>
    /// <param name="revision">The stored revision.</param>
    /// <param name="trail">The audit trail, or its entries from <paramref name="trailStart"/> on.</param>
    /// <param name="trailStart">The trail's start.</param>
    /// <returns>A private copy.</returns>
    public static Playbook FromSnapshot(PlaybookSnapshot snapshot, long revision, ImmutableArray<AuditEntry> trail, int trailStart) => new(snapshot, revision, trail, trailStart);

    /// <summary>Captures the state (for its store).</summary>
    /// <returns>The snapshot.</returns>
    public PlaybookSnapshot ToSnapshot() => new(Id, Name, [.. Team], [.. _editions]);

    /// <summary>Adds a Draft edition.</summary>
    /// <param name="by">The actor.</param>
    /// <param name="at">The instant.</param>
    /// <returns>Its number.</returns>
    public int AddEdition(ActorId by, Instant at)
    {
        _editions.Add(Lifecycle.InitialState);
        var number = _editions.Count;
        MarkChanged(Key(number));
        Record(AuditAction.ReleaseCreated, by, at, Key(number).Value, $"Edition {number} drafted.");
        return number;
    }

    /// <summary>Moves an edition along its lifecycle.</summary>
    /// <param name="number">The edition.</param>
    /// <param name="action">OpenBeta, Release or Retire.</param>
    /// <param name="by">The actor.</param>
    /// <param name="at">The instant.</param>
    public void Apply(int number, EditionAction action, ActorId by, Instant at)
    {
        var index = IndexOf(number);
        var facts = default(NoFacts);
        if (!Lifecycle.TryApply(_editions[index], action, in facts, out var target, out _, out var whyNot))
        {
            throw Refused(whyNot.RuleId!, $"Cannot {action} edition {number} of '{Name}': {whyNot.Message}", Key(number).Value, _editions[index].ToString());
        }

        _editions[index] = target;
        MarkChanged(Key(number));
        Record(AuditAction.Promoted, by, at, Key(number).Value, $"Edition {number} is {target}.");
    }

    /// <inheritdoc />
    public VersionKey PinForNewInstallation(VersionKey? requested, ActorId by, OwnerRef owner, Instant at)
    {
        if (requested is { } r)
        {
            Require(Number(r), EditionAction.Install);
            return r;
        }

        var latest = _editions.FindLastIndex(s => s == EditionState.Released);
        return latest >= 0 ? Key(latest + 1) : throw Refused("E4", $"'{Name}' has no Released edition to install (E4).");
    }

    /// <inheritdoc />
    public bool RunsInstallationsOn(VersionKey pinned, Instant at)
        => int.TryParse(pinned.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= _editions.Count
            && Lifecycle.Has(_editions[n - 1], StateCapabilities.RunsExistingInstallations);

    /// <inheritdoc />
    public MigrationPlan PlanMigration(VersionKey? from, VersionKey? to, OwnerRef? singleOwner, bool sameMajorOnly, ActorId by, Instant at)
    {
        if (from is not { } f || to is not { } t)
        {
            throw new ArgumentException("A playbook migration names both editions.", from is null ? nameof(from) : nameof(to));
        }

        IndexOf(Number(f));
        Require(Number(t), EditionAction.MigrateTo);
        return f == t ? throw Refused("M1", $"Edition {f} of '{Name}' cannot be migrated to itself (M1).", f.Value) : new MigrationPlan(f, t);
    }

    /// <inheritdoc />
    public void CheckMigrationTarget(VersionKey to, OwnerRef? singleOwner, Instant at) => Require(Number(to), EditionAction.MigrateTo);

    private static VersionKey Key(int number) => VersionKey.FromStored(number.ToString(CultureInfo.InvariantCulture));

    private int Number(VersionKey key)
        => int.TryParse(key.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new EntityNotFoundException("Edition", key.Value, $"playbook '{Name}'");

    private void Require(int number, EditionAction action)
    {
        var state = _editions[IndexOf(number)];
        var facts = default(NoFacts);
        if (!Lifecycle.CanApply(state, action, in facts, out var whyNot))
        {
            throw Refused(whyNot.RuleId!, $"Cannot {action} edition {number} of '{Name}': {whyNot.Message}", number.ToString(CultureInfo.InvariantCulture), state.ToString());
        }
    }

    private int IndexOf(int number)
        => number >= 1 && number <= _editions.Count ? number - 1 : throw new EntityNotFoundException("Edition", number.ToString(CultureInfo.InvariantCulture), $"playbook '{Name}'");
}
