using Spectre.Console;
using Spectre.Console.Rendering;

namespace Versioning.Cli.Output;

/// <summary>Plain-text tables: cells are never parsed as markup, so user text shows as typed.</summary>
internal static class Tables
{
    /// <summary>Creates a table with the given column headers.</summary>
    /// <param name="title">The title above the table, or null.</param>
    /// <param name="columns">The headers.</param>
    /// <returns>The table.</returns>
    public static Table Create(string? title, params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        if (title is not null)
        {
            table.Title = new TableTitle(Markup.Escape(title));
        }

        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }

        return table;
    }

    /// <summary>Adds a row of plain-text cells.</summary>
    /// <param name="table">The table.</param>
    /// <param name="cells">The cells; null shows as empty.</param>
    /// <returns>The table.</returns>
    public static Table Row(this Table table, params string?[] cells)
        => table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? string.Empty)).ToArray());
}
