using System.Runtime.CompilerServices;
using Mpm.Monitor.Cli;

namespace Mpm.Monitor;

internal static class Program
{
    // The verb is chosen before System.CommandLine or hosting is loaded: `mpm hook` has 100 ms.
    public static Task<int> Main(string[] args) =>
        PendingVerbs.IsPending(args) ? Task.FromResult(PendingVerbs.Run(args)) : ParseAndRun(args);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task<int> ParseAndRun(string[] args) => CommandLineApp.RunAsync(args);
}
