using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Mpm.Monitor.Tests.Infrastructure;

/// <summary>
/// The real <c>mpm</c> (the built mpm.dll beside the tests) as a child process, so exit codes,
/// stdout, stderr and signals are the real ones. Each instance gets a private temporary HOME
/// (deleted on dispose) and no inherited MPM_* variables.
/// <code>
/// await using var monitor = await MonitorProcess.StartAsync();          // waits for the URL line
/// var health = await monitor.Http.GetStringAsync("/health");
/// monitor.SendSigterm(); var code = await monitor.WaitForExitAsync();
/// var run = await MonitorProcess.RunToExitAsync(new() { Arguments = ["status"], ConfigYaml = null });
/// </code>
/// </summary>
public sealed partial class MonitorProcess : IAsyncDisposable
{
    /// <summary>Start-up on a loaded 2-core machine can be slow; this is a limit, not an expectation.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Lazy<HttpClient> _http;

    private MonitorProcess(Process process, string home, string? configPath)
    {
        _process = process;
        Home = home;
        ConfigPath = configPath;
        StandardOutput = new OutputLines(process.StandardOutput);
        StandardError = new OutputLines(process.StandardError);
        _http = new Lazy<HttpClient>(() => new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) });
    }

    /// <summary>mpm.dll as built beside the test assembly (the test project references src/Mpm.Monitor).</summary>
    public static string MpmDll { get; } = Path.Combine(AppContext.BaseDirectory, "mpm.dll");

    /// <summary>The private HOME folder; <c>~</c> in configuration means this.</summary>
    public string Home { get; }

    public string? ConfigPath { get; }

    public int ProcessId => _process.Id;

    public OutputLines StandardOutput { get; }

    public OutputLines StandardError { get; }

    /// <summary>The dashboard URL from the "listening on" line; set once <see cref="WaitForUrlAsync"/> returned.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>A client with <see cref="Url"/> as base address.</summary>
    public HttpClient Http => _http.Value;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>mpm</c> and waits until it prints its URL; throws with its stderr if it exits or hangs first.</summary>
    public static async Task<MonitorProcess> StartAsync(MonitorProcessOptions? options = null)
    {
        var monitor = Launch(options ?? new MonitorProcessOptions());
        try
        {
            await monitor.WaitForUrlAsync();
            return monitor;
        }
        catch
        {
            await monitor.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>mpm</c> until it exits (for error paths and short verbs).</summary>
    public static async Task<MonitorRunResult> RunToExitAsync(MonitorProcessOptions options)
    {
        await using var monitor = Launch(options);
        var exitCode = await monitor.WaitForExitAsync();
        return new MonitorRunResult(exitCode, monitor.StandardOutput.Text, monitor.StandardError.Text);
    }

    /// <summary>Starts <c>mpm</c> without waiting for anything.</summary>
    public static MonitorProcess Launch(MonitorProcessOptions options)
    {
        if (!File.Exists(MpmDll))
        {
            throw new InvalidOperationException($"{MpmDll} is missing: build tests/Mpm.Monitor.Tests (it references src/Mpm.Monitor).");
        }
        var home = Directory.CreateTempSubdirectory("mpm-test-").FullName;
        string? configPath = null;
        if (options.ConfigYaml is not null)
        {
            configPath = Path.Combine(home, "configuration.yaml");
            File.WriteAllText(configPath, options.ConfigYaml);
        }

        var start = new ProcessStartInfo(DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = options.WorkingDirectory ?? home,
        };
        start.ArgumentList.Add(MpmDll);
        foreach (var argument in options.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        if (configPath is not null)
        {
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(configPath);
        }
        if (options.ChildCommand.Count > 0)
        {
            start.ArgumentList.Add("--");
            foreach (var argument in options.ChildCommand)
            {
                start.ArgumentList.Add(argument);
            }
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MPM_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["HOME"] = home;
        start.Environment["DOTNET_CLI_HOME"] = home;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        return new MonitorProcess(process, home, configPath);
    }

    /// <summary>Waits for "Mpm Monitor listening on URL" and returns the URL.</summary>
    public async Task<Uri> WaitForUrlAsync()
    {
        var line = await StandardOutput.WaitForLineAsync(l => UrlLine().IsMatch(l)).WaitAsync(StartTimeout)
            .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default);
        if (line is null)
        {
            // Standard output ends a moment before the process does: give an exiting mpm that moment.
            await StandardError.Completion.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
            var state = HasExited ? $"exited with {_process.ExitCode}" : $"printed no URL within {StartTimeout.TotalSeconds} s";
            throw new InvalidOperationException($"mpm {state}.\nstdout:\n{StandardOutput.Text}\nstderr:\n{StandardError.Text}");
        }
        Url = new Uri(UrlLine().Match(line).Groups["url"].Value);
        return Url;
    }

    /// <summary>Waits for exit (and for its output to be read in full); returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? ExitTimeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(StandardOutput.Completion, StandardError.Completion).WaitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"mpm did not exit within {(timeout ?? ExitTimeout).TotalSeconds} s.\nstderr:\n{StandardError.Text}");
        }
        return _process.ExitCode;
    }

    /// <summary>Asks for a graceful stop, as <c>kill PID</c> or a service manager would.</summary>
    public void SendSigterm()
    {
        if (Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Stops it at once (SIGKILL), with any child it started.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }
        _process.Dispose();
        Directory.Delete(Home, recursive: true);
    }

    private const int Sigterm = 15;

    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"^Mpm Monitor listening on (?<url>http://\S+)$")]
    private static partial Regex UrlLine();
}
