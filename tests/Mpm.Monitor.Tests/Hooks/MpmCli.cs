using System.Diagnostics;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Hooks;

/// <summary>A short-lived real <c>mpm</c> verb (<c>hook</c>, <c>emit</c>) as its callers run it: stdin in, exit code and output back.</summary>
internal static class MpmCli
{
    internal sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <param name="environment">HOME, MPM_MONITOR_URL, ...; MPM_* of the test process are never inherited.</param>
    internal static async Task<Result> RunAsync(IReadOnlyList<string> args, string stdin, IReadOnlyDictionary<string, string> environment,
        string? workingDirectory = null)
    {
        Assert.True(File.Exists(MonitorProcess.MpmDll), $"{MonitorProcess.MpmDll} is missing: build tests/Mpm.Monitor.Tests");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        start.ArgumentList.Add(MonitorProcess.MpmDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MPM_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// <c>mpm hook</c> with <paramref name="input"/> on stdin. A generous deadline: on a loaded 2-core machine a cold
    /// process can miss the production 65 ms, and a spooled input would reach the monitor out of order.
    /// </summary>
    internal static async Task HookAsync(string home, string monitorUrl, string input)
    {
        var result = await RunAsync(["hook"], input, new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["MPM_MONITOR_URL"] = monitorUrl,
            ["MPM_HOOK_TIMEOUT_MS"] = "10000",
        });
        Assert.Equal(new Result(0, "", ""), result);
    }
}
