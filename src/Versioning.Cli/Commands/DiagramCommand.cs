using System.CommandLine;
using System.Text.Json.Nodes;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;
using Versioning.Core;

namespace Versioning.Cli.Commands;

/// <summary><c>versioning diagram</c>: prints a lifecycle's state diagram, generated from its definition.</summary>
internal static class DiagramCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The command.</returns>
    public static Command Build(CliApplication app)
    {
        var lifecycle = new Option<string>("--lifecycle") { Description = "Which lifecycle", HelpName = "releases|versions", DefaultValueFactory = _ => "releases" };
        lifecycle.AcceptOnlyFromAmong("releases", "versions");
        var format = new Option<string>("--format") { Description = "Mermaid stateDiagram-v2 or Graphviz DOT", HelpName = "mermaid|dot", DefaultValueFactory = _ => "mermaid" };
        format.AcceptOnlyFromAmong("mermaid", "dot");
        var command = new Command("diagram", "Print the state diagram of the template release or integration version lifecycle") { lifecycle, format };
        command.SetAction(p =>
        {
            var settings = app.Globals.Read(p);
            var releases = p.GetRequiredValue(lifecycle) == "releases";
            var dot = p.GetRequiredValue(format) == "dot";
            var text = (releases, dot) switch
            {
                (true, false) => ReleaseLifecycle.Definition.ToMermaid(),
                (true, true) => ReleaseLifecycle.Definition.ToDot(),
                (false, false) => VersionLifecycle.Definition.ToMermaid(),
                (false, true) => VersionLifecycle.Definition.ToDot(),
            };
            var output = app.CreateOutput(settings);
            if (output.Json)
            {
                output.WriteJson(new JsonObject { ["lifecycle"] = releases ? "releases" : "versions", ["format"] = dot ? "dot" : "mermaid", ["diagram"] = text });
            }
            else
            {
                p.InvocationConfiguration.Output.Write(text);
            }

            return 0;
        });
        return command;
    }
}
