using System.ComponentModel;
using System.Diagnostics;
using Mpm.Monitor.Cli;

namespace Mpm.Monitor.Hosting;

/// <summary>
/// Runs the command given after <c>--</c> with the monitor's address in its environment,
/// sharing mpm's terminal, and returns its exit code.
/// </summary>
internal static class ChildCommand
{
    public const string UrlVariable = "MPM_MONITOR_URL";
    public const string TokenVariable = "MPM_MONITOR_TOKEN";

    /// <param name="stop">When it fires (the monitor is shutting down) the child and its children are killed.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> command, string? monitorUrl, string? token, CancellationToken stop)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        if (monitorUrl is not null)
        {
            start.Environment[UrlVariable] = monitorUrl;
        }
        if (token is not null)
        {
            start.Environment[TokenVariable] = token;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return ConsoleReporter.Fail(ExitCodes.RuntimeFailure, $"cannot run {command[0]}: {e.Message}");
        }

        using (stop.Register(() => KillQuietly(process)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
        }
        return process.ExitCode;
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
