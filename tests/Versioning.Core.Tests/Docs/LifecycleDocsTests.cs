using System.Text;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Lifecycles;
using Versioning.Core.Templates;

namespace Versioning.Core.Tests.Docs;

/// <summary>
/// docs/lifecycles.md is generated from the lifecycle definitions. This test fails when the file and the definitions
/// drift apart; run it with UPDATE_DOCS=1 to rewrite the file.
/// </summary>
public class LifecycleDocsTests
{
    [Fact]
    public void LifecyclesDoc_MatchesDefinitions()
    {
        var path = Path.Combine(RepositoryRoot.Path, "docs", "lifecycles.md");
        var expected = Generate();
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the tests with UPDATE_DOCS=1 to generate it.");
        var actual = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(expected == actual, "docs/lifecycles.md differs from the lifecycle definitions: run `UPDATE_DOCS=1 dotnet test --filter LifecyclesDoc` and commit the file.");
    }

    internal static string Generate()
    {
        var text = new StringBuilder();
        text.Append("""
            # Lifecycles

            <!-- Generated from the lifecycle definitions by tests/Versioning.Core.Tests/Docs/LifecycleDocsTests.cs.
                 Do not edit by hand: run `UPDATE_DOCS=1 dotnet test --filter LifecyclesDoc`. -->

            Every lifecycle in Versioning.Core is defined once, as data, with `LifecycleBuilder` (see
            `src/Versioning.Core/Lifecycles`). The diagrams below are rendered from those definitions with `ToMermaid()`
            (`ToDot()` gives the same graph for Graphviz; the CLI prints either with `versioning diagram`). Actions that
            leave the state unchanged are drawn as loops; a guarded action shows its guard in brackets; `[*]` at the end
            means the item is deleted. Every action that is not drawn from a state is refused there with a rule ID
            (`Lifecycle.CanApply(state, action, facts, out whyNot)`).

            """);
        Section(text, ReleaseLifecycle.Definition, "Template releases (Cyclr-style)", "Rules T1–T16. The release state is stored; promoting a Draft deprecates the previous Live release in the same step.");
        Section(text, VersionLifecycle.Definition, "Integration versions (Zapier-style)", "Rules Z1–Z17. Deprecating becomes Deprecated at the start of the deprecation date in the configured time zone: the state at any instant is derived from the clock (`IntegrationVersion.StateAt`), so `Expire` is never a command.");
        Section(text, MigrationLifecycle.Definition, "Migration jobs", "Rules M1–M5 and T13. A job runs in batches from a stored checkpoint and can be resumed after a stop at any point.");
        text.Append("""

            ## Stateless state machines (S1–S5)

            Every lifecycle, the three above and any you define with `LifecycleBuilder`, projects itself onto an
            equivalent, fully configured [Stateless](https://github.com/dotnet-state-machine/stateless)
            `StateMachine<TState, TAction>`, for code and tools that speak Stateless (its `CanFire`,
            `GetPermittedTriggersAsync`, `OnTransitioned`, `GetInfo()`, `UmlDotGraph` and `MermaidGraph`):

            ```csharp
            var state = ReleaseState.Draft;
            var facts = new ReleaseFacts(TemplatePublished: true, InstallationCount: 0);
            StateMachine<ReleaseState, ReleaseAction> machine =
                ReleaseLifecycle.Definition.ToStateMachine(() => state, next => state = next, () => facts);
            machine.Fire(ReleaseAction.Promote);            // state is now Live
            machine.Fire(ReleaseAction.Promote);            // VersioningRuleException T5: already Live
            ```

            - **State** is external: Stateless reads it through your accessor and writes it through your mutator.
            - **Guards** are the lifecycle's own guard functions, evaluated on the facts your function returns at the
              moment of each question. Each is described by its rule and text (`T10: no installations pinned`), so
              `CanFire(action, out unmetGuards)` and the diagrams name the rule.
            - **Internal transitions** (editing a Draft, installing) are Stateless internal transitions; a transition
              to the same state is a reentry. Stateless takes one guard per internal transition, so several guards on
              one become a single guard described by all their rules (`R1: … and R2: …`).
            - **Exits** (delete) follow a convention: Stateless has no final state, so an exit is an internal
              transition. Firing it leaves the state as it is and the caller removes the item, exactly as the engine's
              `TryApply` reports `TransitionKind.Exit`. In Stateless's diagrams an exit is a loop, where ours end in `[*]`.
            - **Refusals**: every refused action, whether not permitted in the state or blocked by a guard, raises
              through `OnUnhandledTrigger` the `VersioningRuleException` of the rule the engine names, with the
              engine's message. Pass your own `LifecycleRefusal` to word it (the aggregates do, below).

            The engine stays the hot path inside the aggregates: it answers in 1–3 ns without allocating, where
            Stateless takes hundreds of nanoseconds and allocates (docs/benchmarks.md, P1). Property tests check,
            over arbitrary states, actions, facts and action sequences, that both agree on can-fire, the permitted
            actions, the state after firing and the refusing rule, for every lifecycle and for a custom one (S2);
            another test parses Stateless's DOT and Mermaid exports and ours into the same states and edges (S3).

            ### The machine of one release or version (S4)

            `template.StateMachineFor(releaseNumber, installationCount)`,
            `integration.StateMachineFor(versionNumber, at, installationCount, editInstallationLimit)` and
            `migrationJob.ToStateMachine()` hand out the machine of one item. It is **detached**: it starts in the item's
            current state (a version's state at `at`) with the facts of the call, and firing it changes only the
            machine's own copy of the state. The aggregate, its audit trail, its pending events and what the store
            saves never change, even if the caller reconfigures the machine (`Configure(...).Permit(...)`) and fires
            something the lifecycle refuses. Use it to ask questions, draw diagrams or explore a what-if path; to
            change the item, call the aggregate's command (`Promote`, `DeleteRelease`, `Deprecate`, …), which checks the
            same rules, records the audit entry and raises the event. A refused action raises exactly the exception the
            command would raise in the machine's state (same rule, message, aggregate, subject and state). Each call
            configures a new machine (a few microseconds); like every Stateless machine it is not thread-safe.

            ## Migrations vs canaries

            Rules K1–K6. An integration has two ways to move traffic from version A to version B; both accept the same
            targets (M3: same MAJOR unless configured otherwise, neither labeled, B Promoted or Available, or Private for
            one user or account and then shared with them; never Legacy, Deprecating or Deprecated; no breaking change).

            | | Migration (M1–M5) | Canary (K1–K6) |
            |---|---|---|
            | What moves | Installations: their pinned version changes to B. | Executions: each run of an installation pinned to A runs B or A; no installation changes (K5). |
            | Who | A sticky percentage of installations (hash of installation id and pair), one user or one account. | A percentage of runs (hash of run id and canary), optionally only one user, one account, or one user within one account. |
            | How long | Until the job completes; permanent. | 30 s to 24 h; at most one active per integration. |
            | Undo | Another migration, from B back to A. | Nothing to undo: routing stops at the end instant (K3), or earlier when the canary is deleted (K4). |
            | Background work | A batch job with a stored checkpoint (resumable). | None: `Integration.Route(installation, runId, at)` is an allocation-free query (K6). |

            A canary has no lifecycle table of its own: it is active from its start until its end instant or its deletion,
            whichever comes first, derived from the clock like the Deprecating → Deprecated step above.

            """);
        return text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static void Section<TState, TAction, TContext>(StringBuilder text, Lifecycle<TState, TAction, TContext> lifecycle, string title, string intro)
        where TState : struct, Enum
        where TAction : struct, Enum
    {
        text.Append('\n').Append("## ").Append(title).Append("\n\n").Append(intro).Append("\n\n```mermaid\n").Append(lifecycle.ToMermaid()).Append("```\n\n");
        text.Append("| State | Meaning | Permitted actions |\n|---|---|---|\n");
        for (var i = 0; i < lifecycle.States.Length; i++)
        {
            var state = lifecycle.States[i];
            var actions = lifecycle.ConfiguredActions(state).ToList();
            text.Append("| ").Append(state).Append(" | ").Append(lifecycle.GetStateInfo(state).Description).Append(" | ")
                .Append(actions.Count == 0 ? "none (final)" : string.Join(", ", actions)).Append(" |\n");
        }
    }
}
