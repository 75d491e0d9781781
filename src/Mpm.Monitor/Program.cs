using System.Runtime.CompilerServices;
using Mpm.Monitor.Cli;
using Mpm.Monitor.Hooks;

namespace Mpm.Monitor;

internal static class Program
{
    // The lean verbs are chosen before System.CommandLine, YAML or hosting is loaded: `mpm hook`
    // has 100 ms, and the JIT only loads an assembly when a method that uses it is compiled.
    public static Task<int> Main(string[] args) => args switch
    {
        ["hook", ..] => Task.FromResult(HookForwarder.Run(args[1..], Console.OpenStandardInput())),
        ["hooks", "install", ..] => Task.FromResult(HooksInstaller.Run(args[2..], Console.Out, Console.Error)),
        ["emit", ..] => EmitCommand.RunAsync(args[1..], Console.Out, Console.Error),
        _ => ParseAndRun(args),
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task<int> ParseAndRun(string[] args) => CommandLineApp.RunAsync(args);
}
