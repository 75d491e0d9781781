using System.Diagnostics;
using System.Text;
using Mpm.Monitor.Core.Claude;

namespace Mpm.Monitor.Tests.Hooks;

/// <summary>
/// The real <c>mpm hook</c> process, as Claude Code runs it: stdin in, nothing out, exit 0.
/// Needs Program.Main to dispatch <c>hook</c> to <see cref="Mpm.Monitor.Hooks.HookForwarder.Run"/>.
/// </summary>
public sealed class HookProcessTests : IDisposable
{
    private const string Input = """{"session_id":"p1","transcript_path":"/tmp/t.jsonl","cwd":"/tmp","hook_event_name":"SessionStart","source":"startup"}""";
    private readonly TempHome _home = new();

    [Fact]
    public async Task With_the_monitor_down_mpm_hook_spools_prints_nothing_and_exits_0()
    {
        var (exit, stdout, stderr) = await RunHookAsync(Input, $"http://127.0.0.1:{HookForwarderTests.UnusedPort()}");

        Assert.Equal(0, exit);
        Assert.Equal("", stdout);
        Assert.Equal("", stderr);
        var spooled = Assert.Single(Directory.EnumerateFiles(_home.Combine(".mpm", "spool")));
        Assert.Equal(Input, File.ReadAllText(spooled));
        Assert.True(HookSpool.IsValidId(Path.GetFileNameWithoutExtension(spooled)));
    }

    [Fact]
    public async Task A_home_folder_that_does_not_exist_yet_gets_the_spool_not_the_working_directory()
    {
        var home = _home.Combine("new-home");
        var project = _home.Combine("project");
        Directory.CreateDirectory(project);

        var result = await MpmCli.RunAsync(["hook"], Input, new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["MPM_MONITOR_URL"] = $"http://127.0.0.1:{HookForwarderTests.UnusedPort()}",
        }, workingDirectory: project);

        Assert.Equal(0, result.ExitCode);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(home, ".mpm", "spool"), "*.json"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(project));
    }

    [Fact]
    public async Task With_the_monitor_up_mpm_hook_delivers_and_spools_nothing()
    {
        await using var monitor = await TinyMonitor.StartAsync();

        // A cold process on a loaded 2-core machine can miss the 65 ms production deadline; this test is about delivery.
        var (exit, stdout, _) = await RunHookAsync(Input, monitor.BaseUrl.ToString().TrimEnd('/'), timeoutMs: "10000");

        Assert.Equal(0, exit);
        Assert.Equal("", stdout);
        Assert.Equal(Input, Encoding.UTF8.GetString(Assert.Single(monitor.Received).Body));
        Assert.False(Directory.Exists(_home.Combine(".mpm", "spool")));
    }

    [Fact]
    public async Task Garbage_on_stdin_exits_0_silently_and_is_logged()
    {
        var (exit, stdout, stderr) = await RunHookAsync("garbage", $"http://127.0.0.1:{HookForwarderTests.UnusedPort()}");

        Assert.Equal(0, exit);
        Assert.Equal("", stdout + stderr);
        Assert.Contains("dropped input that is not a hook", File.ReadAllText(_home.Combine(".mpm", "logs", "hook.log")));
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunHookAsync(string stdin, string monitorUrl, string? timeoutMs = null)
    {
        var mpm = Path.Combine(AppContext.BaseDirectory, "mpm.dll");
        Assert.True(File.Exists(mpm), $"{mpm} is missing: the test project must reference src/Mpm.Monitor");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { mpm, "hook" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = _home.Path;
        start.Environment["MPM_MONITOR_URL"] = monitorUrl;
        start.Environment.Remove("MPM_MONITOR_TOKEN");
        if (timeoutMs is null) start.Environment.Remove("MPM_HOOK_TIMEOUT_MS");
        else start.Environment["MPM_HOOK_TIMEOUT_MS"] = timeoutMs;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => _home.Dispose();
}
