namespace Versioning.Core.Tests.Docs;

/// <summary>Finds the repository root (the folder holding Versioning.Core.sln) from the test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Versioning.Core.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Versioning.Core.sln not found above " + AppContext.BaseDirectory);
    }
}
