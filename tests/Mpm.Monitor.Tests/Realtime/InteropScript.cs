using System.Diagnostics;

namespace Mpm.Monitor.Tests.Realtime;

/// <summary>Runs a script of tests/interop with node; fails saying what to install when node or the npm packages are missing.</summary>
internal static class InteropScript
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>Runs the script and fails the test with its output unless it exits 0.</summary>
    public static async Task<string> RunAsync(string script, params string[] args)
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
            using var timeout = new CancellationTokenSource(Limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"node {script} {string.Join(' ', args)} did not finish within {Limit.TotalSeconds} s:\n{await stdout}{await stderr}");
            }
            var output = await stdout + await stderr;
            Assert.True(process.ExitCode == 0, $"node {script} {string.Join(' ', args)} exited {process.ExitCode}:\n{output}");
            return output;
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
