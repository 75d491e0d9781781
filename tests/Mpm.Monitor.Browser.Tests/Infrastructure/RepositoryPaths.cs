namespace Mpm.Monitor.Browser.Tests.Infrastructure;

/// <summary>Where test artifacts go: <c>artifacts/</c> at the repository root, which test.sh collects.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Screenshots { get; } = Path.Combine(Root, "artifacts", "screenshots");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mpm.Monitor.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Mpm.Monitor.sln above {AppContext.BaseDirectory}: run the tests from a checkout");
    }
}
