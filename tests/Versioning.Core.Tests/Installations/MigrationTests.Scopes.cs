using System.Reflection;
using Versioning.Core.Auditing;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using static Versioning.Core.Tests.Installations.VersioningHarness;

namespace Versioning.Core.Tests.Installations;

/// <summary>M2: a scope is exactly one of a percentage, one user, one account; M3: moving one owner to a Private version shares it.</summary>
public sealed partial class MigrationTests
{
    [Fact]
    public void MigrationScope_EachFactory_SetsExactlyOneKindOfScope_M2()
    {
        var percentage = MigrationScope.Percentage(30);
        var user = MigrationScope.ForUser("alice");
        var account = MigrationScope.ForAccount("acme");

        Assert.Equal((30, null, false), (percentage.Percent, percentage.Owner, percentage.IsSingleOwner));
        Assert.Equal((0, OwnerRef.User("alice"), true), (user.Percent, user.Owner, user.IsSingleOwner));
        Assert.Equal((0, OwnerRef.Account("acme"), true), (account.Percent, account.Owner, account.IsSingleOwner));
        Assert.Equal((100, null), (MigrationScope.All.Percent, MigrationScope.All.Owner));
        Assert.Equal(account, MigrationScope.ForOwner(OwnerRef.Account("acme")));
        Assert.Equal("30%", percentage.ToString());
        Assert.Equal("user:alice", user.ToString());
    }

    [Fact]
    public void MigrationScope_PublicSurface_OffersNoWayToCombinePercentageAndOwner_M2()
    {
        var type = typeof(MigrationScope);

        Assert.Empty(type.GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        Assert.All(type.GetProperties(BindingFlags.Public | BindingFlags.Instance), p => Assert.Null(p.SetMethod));
        var factories = type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType == type && !m.IsSpecialName).ToList();
        Assert.Equal(["ForAccount", "ForOwner", "ForUser", "Percentage"], factories.Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.All(factories, m => Assert.Single(m.GetParameters()));
        Assert.Equal("owner", Assert.Throws<ArgumentException>(() => MigrationScope.ForOwner(default)).ParamName);
    }

    /// <summary>Installations of user "alice", account "alice" (same id, other kind), user "bob" and account "acme", two each, on 1.0.0.</summary>
    private static async Task<(IntegrationId App, Dictionary<InstallationId, OwnerRef> Owners)> MixedOwnersAsync(VersioningHarness h)
    {
        var app = await h.NewIntegrationAsync();
        var owners = new Dictionary<InstallationId, OwnerRef>();
        foreach (var owner in new[] { OwnerRef.User("alice"), OwnerRef.Account("alice"), OwnerRef.User("bob"), OwnerRef.Account("acme") })
        {
            for (var i = 0; i < 2; i++)
            {
                var installation = await h.InstallAsync(app, owner, settings: [new("n", $"{owner}-{i}")]);
                owners.Add(installation.Id, owner);
            }
        }

        await h.AddVersionAsync(app, "1.1.0", promote: true);
        return (app, owners);
    }

    [Theory]
    [InlineData(OwnerKind.User, "alice")]
    [InlineData(OwnerKind.Account, "alice")]
    [InlineData(OwnerKind.Account, "acme")]
    [InlineData(OwnerKind.User, "bob")]
    public async Task RunAsync_SingleOwnerScope_MovesOnlyThatOwnersInstallations_M2(OwnerKind kind, string id)
    {
        using var h = new VersioningHarness();
        var (app, owners) = await MixedOwnersAsync(h);
        var scope = kind == OwnerKind.User ? MigrationScope.ForUser(id) : MigrationScope.ForAccount(id);
        var target = new OwnerRef(kind, id);

        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), scope, Team, batchSize: 3);
        job = await h.Migrations.RunAsync(job.Id, Team);

        Assert.Equal(MigrationState.Completed, job.State);
        Assert.Equal(2, job.Moved);
        Assert.Equal(8, job.Scanned);
        var all = await h.AllInstallationsAsync(ProductRef.Of(app));
        foreach (var (installationId, owner) in owners)
        {
            Assert.Equal(owner == target ? K("1.1.0") : K("1.0.0"), all[installationId].Pinned);
            Assert.Equal(owner == target ? 2 : 1, all[installationId].Revision);
        }
    }

    [Fact]
    public async Task StartMigrationAsync_OneUserToPrivateVersion_SharesItWithThemInTheSameStep_M3()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var carols = new[]
        {
            await h.InstallAsync(app, OwnerRef.User("carol"), settings: [new("a", "1")], by: new ActorId("carol")),
            await h.InstallAsync(app, OwnerRef.User("carol"), settings: [new("a", "2")], by: new ActorId("carol")),
        };
        var dave = await h.InstallAsync(app, OwnerRef.User("dave"), by: new ActorId("dave"));
        await h.AddVersionAsync(app, "1.1.0");
        var carol = new ActorId("carol");
        Assert.False((await h.Integrations.GetIntegrationAsync(app, Team)).CanAccess(V("1.1.0"), carol));

        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.ForUser("carol"), Team);

        var shared = await h.Integrations.GetIntegrationAsync(app, Team);
        Assert.True(shared.CanAccess(V("1.1.0"), carol));
        Assert.False(shared.CanAccess(V("1.1.0"), new ActorId("dave")));
        Assert.Equal(VersionState.Private, shared.GetVersion(V("1.1.0")).StateAt(h.Clock.GetCurrentInstant()));
        var share = shared.AuditTrail.Last(e => e.Action == AuditAction.Shared);
        Assert.Equal("1.1.0", share.Subject);
        Assert.Equal(Team, share.Actor);

        job = await h.Migrations.RunAsync(job.Id, Team);
        Assert.Equal(2, job.Moved);
        foreach (var installation in carols)
        {
            var moved = await h.Installations.GetAsync(installation.Id, VersioningHarness.Team);
            Assert.Equal(K("1.1.0"), moved.Pinned);
            Assert.Equal(installation.Settings, moved.Settings);
            Assert.True((await h.Integrations.GetIntegrationAsync(app, Team)).CanAccess(V(moved.Pinned.Value), carol));
        }

        Assert.Equal(K("1.0.0"), (await h.Installations.GetAsync(dave.Id, VersioningHarness.Team)).Pinned);
    }

    [Fact]
    public async Task StartMigrationAsync_OneUserToPrivateVersionAlreadyShared_DoesNotShareAgain_M3()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.InstallAsync(app, OwnerRef.User("carol"), by: new ActorId("carol"));
        await h.AddVersionAsync(app, "1.1.0");
        await h.Integrations.ShareAsync(app, V("1.1.0"), new ActorId("carol"), Team);
        var revision = (await h.Integrations.GetIntegrationAsync(app, Team)).Revision;

        await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.ForUser("carol"), Team);

        Assert.Equal(revision, (await h.Integrations.GetIntegrationAsync(app, Team)).Revision);
    }

    [Fact]
    public async Task StartMigrationAsync_OneUserToAvailableVersion_SharesNothing_M3()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        await h.InstallAsync(app, OwnerRef.User("carol"), by: new ActorId("carol"));
        await h.AddVersionAsync(app, "1.1.0", promote: true);
        await h.AddVersionAsync(app, "1.2.0", promote: true);
        var revision = (await h.Integrations.GetIntegrationAsync(app, Team)).Revision;

        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.ForUser("carol"), Team);

        Assert.Equal(revision, (await h.Integrations.GetIntegrationAsync(app, Team)).Revision);
        Assert.Equal(1, (await h.Migrations.RunAsync(job.Id, Team)).Moved);
    }

    [Fact]
    public async Task RunAsync_PrivateTargetUnsharedBeforeTheBatch_MovesNobodyOntoAVersionTheyCannotOpen_M3()
    {
        using var h = new VersioningHarness();
        var app = await h.NewIntegrationAsync();
        var carol = new ActorId("carol");
        var installation = await h.InstallAsync(app, OwnerRef.User("carol"), by: carol);
        await h.AddVersionAsync(app, "1.1.0");
        var job = await h.Migrations.StartMigrationAsync(app, V("1.0.0"), V("1.1.0"), MigrationScope.ForUser("carol"), Team);
        await h.Integrations.UnshareAsync(app, V("1.1.0"), carol, Team);

        job = await h.Migrations.RunAsync(job.Id, Team);

        var pinned = (await h.Installations.GetAsync(installation.Id, VersioningHarness.Team)).Pinned;
        Assert.True((await h.Integrations.GetIntegrationAsync(app, Team)).CanAccess(V(pinned.Value), carol), $"carol was moved onto {pinned}, which she cannot open");
        Assert.Equal(MigrationState.Failed, job.State);
        Assert.Contains("(M3", job.FailureReason, StringComparison.Ordinal);
    }
}
