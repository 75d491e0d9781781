namespace Mpm.Monitor.Core;

/// <summary>
/// The user's home folder and <c>~</c> expansion, for every path the monitor and <c>mpm hook</c> use.
/// The folder is not required to exist (<c>DoNotVerify</c>): verified, a missing one gives an empty
/// path, and files meant for <c>~/.mpm</c> would land in the working directory — Claude Code's project.
/// </summary>
public static class HomePaths
{
    public static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);

    /// <summary><c>~</c> or <c>~/rest</c> under the home folder; any other path as it is.</summary>
    public static string Expand(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? Path.Join(Home, path[1..]) : path;
}
