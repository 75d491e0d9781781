using System.Diagnostics;
using Xunit;

namespace Mpm.Monitor.Testing;

/// <summary>
/// Runs a script of tests/interop with node, within a time limit; fails saying what to install when node
/// or the npm packages are missing. Linked into every test project that drives the JavaScript clients.
/// </summary>
internal static class NodeScript
{
    /// <summary>Runs the script; its exit code and its output (stdout, then stderr).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan limit, string script, params string[] args)
    {
        var interop = FindInteropDirectory();
        if (!Directory.Exists(Path.Combine(interop, "node_modules", "socket.io-client")) ||
            !Directory.Exists(Path.Combine(interop, "node_modules", "socket.io-client-v2")))
            Assert.Fail($"The npm packages of the interop scripts are missing: run npm ci in tests/interop ({interop}).");

        var start = new ProcessStartInfo("node") { WorkingDirectory = interop, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("node is not on PATH: install Node.js 20 or later to run the Socket.IO client tests.");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"node {script} {string.Join(' ', args)} did not finish within {limit.TotalSeconds} s:\n{await stdout}{await stderr}");
            }
            return (process.ExitCode, await stdout + await stderr);
        }
    }

    /// <summary>Runs the script and fails the test with its output unless it exits 0.</summary>
    public static async Task<string> RunToSuccessAsync(TimeSpan limit, string script, params string[] args)
    {
        var (exitCode, output) = await RunAsync(limit, script, args);
        Assert.True(exitCode == 0, $"node {script} {string.Join(' ', args)} exited {exitCode}:\n{output}");
        return output;
    }

    private static string FindInteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
                return candidate;
        }
        throw new DirectoryNotFoundException("tests/interop not found above " + AppContext.BaseDirectory);
    }
}
