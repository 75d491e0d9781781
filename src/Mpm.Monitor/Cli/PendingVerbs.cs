namespace Mpm.Monitor.Cli;

/// <summary>
/// Verbs of CONTRACT §1 that another issue delivers. They answer here, before anything heavy
/// is loaded, because <c>mpm hook</c> must finish within 100 ms: the real ones must keep that.
/// </summary>
internal static class PendingVerbs
{
    public static bool IsPending(string[] args) =>
        args.Length > 0 && (args[0] is "hook" or "emit" || (args[0] == "hooks" && args.Length > 1 && args[1] == "install"));

    public static int Run(string[] args)
    {
        var verb = args[0] == "hooks" ? "hooks install" : args[0];
        Console.Error.WriteLine($"mpm {verb}: not implemented yet in this build.");
        return ExitCodes.RuntimeFailure;
    }
}
