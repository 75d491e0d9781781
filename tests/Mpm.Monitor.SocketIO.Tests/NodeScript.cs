using System.Diagnostics;

namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>Runs a script of tests/interop with node; fails with what to install when node or the npm packages are missing.</summary>
internal static class NodeScript
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] args)
    {
        var interop = FindInteropDirectory();
        if (!Directory.Exists(Path.Combine(interop, "node_modules", "socket.io-client")))
            Assert.Fail($"The npm packages of the interop tests are missing: run npm ci in tests/interop ({interop}).");

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
            Assert.Fail("node is not on PATH: install nodejs (20 or later) to run the interop tests.");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node {script} did not finish within 90 s: {await stdout}{await stderr}");
            }
            return (process.ExitCode, await stdout + await stderr);
        }
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
