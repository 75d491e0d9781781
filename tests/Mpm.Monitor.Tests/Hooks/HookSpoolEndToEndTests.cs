using System.Text;
using Mpm.Monitor.Core.Claude;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Hooks;

/// <summary>
/// Nothing is lost with the monitor down: real <c>mpm hook</c> processes spool, and a real monitor started
/// with the same HOME drains the spool exactly once, also when it is killed (SIGKILL) in the middle of a drain.
/// </summary>
public sealed class HookSpoolEndToEndTests : IDisposable
{
    // The events in a file under the shared HOME, so that they outlive a killed monitor.
    private static readonly string FileStoreConfig = MonitorProcessOptions.DefaultConfigYaml.Replace("\":memory:\"", "\"~/monitor.db\"");

    private readonly TempHome _home = new();

    private string SpoolDirectory => _home.Combine(".mpm", "spool");

    [Fact]
    public async Task Hooks_run_while_the_monitor_is_down_are_spooled_then_drained_in_order_exactly_once_when_it_starts()
    {
        var down = $"http://127.0.0.1:{FreePort.Find()}";
        for (var i = 0; i < 4; i++)
        {
            await MpmCli.HookAsync(_home.Path, down, $$"""{"session_id":"spooled-1","hook_event_name":"UserPromptSubmit","prompt":"prompt {{i}}"}""");
        }

        Assert.Equal(4, Directory.EnumerateFiles(SpoolDirectory, "*.json").Count());

        await using var monitor = await StartAsync();
        await Poll.UntilAsync(() => SpooledCount() == 0, "the monitor did not drain the spool");
        var hooks = await RealMonitor.EventsAsync(monitor, "types=claude_hook&session_id=spooled-1");
        Assert.Equal(["prompt 0", "prompt 1", "prompt 2", "prompt 3"], hooks.Select(h => h.GetProperty("prompt").GetString()));
        Assert.All(hooks, h => Assert.True(HookSpool.IsValidId(h.GetProperty("spool_id").GetString())));
        Assert.Equal(4, (await RealMonitor.EventsAsync(monitor, "types=agent_activity&session_id=spooled-1")).Length);

        // An input spooled while it runs is taken by a later (periodic) drain; the earlier ones are not delivered again.
        var spool = new HookSpool(SpoolDirectory);
        spool.Write(spool.NewId(DateTimeOffset.UtcNow), """{"session_id":"spooled-1","hook_event_name":"Stop"}"""u8);
        await Poll.UntilAsync(() => SpooledCount() == 0, "the running monitor did not drain the spool again");
        var all = await RealMonitor.EventsAsync(monitor, "types=claude_hook&session_id=spooled-1");
        Assert.Equal(["UserPromptSubmit", "UserPromptSubmit", "UserPromptSubmit", "UserPromptSubmit", "Stop"],
            all.Select(h => h.GetProperty("hook_event_name").GetString()));
    }

    [Fact]
    public async Task A_monitor_killed_in_the_middle_of_a_drain_delivers_each_input_exactly_once_after_a_restart()
    {
        const int inputs = 600;
        var spool = new HookSpool(SpoolDirectory);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        var ids = new List<string>();
        for (var i = 0; i < inputs; i++)
        {
            // As mpm hook spools (HookForwarder writes these files through the same HookSpool).
            var id = spool.NewId(t0.AddMilliseconds(i));
            spool.Write(id, Encoding.UTF8.GetBytes($$"""{"session_id":"killed-1","hook_event_name":"Notification","message":"n{{i}}"}"""));
            ids.Add(id);
        }

        int leftAtKill;
        await using (var first = await StartAsync())
        {
            await Poll.UntilAsync(() => SpooledCount() < inputs, "the monitor did not start draining");
            first.Kill();
            await first.WaitForExitAsync();
            leftAtKill = SpooledCount();
        }

        Assert.True(leftAtKill > 0, "the drain finished before the kill; the test needs more spooled inputs");
        await using var second = await StartAsync();
        await Poll.UntilAsync(() => SpooledCount() == 0, "the restarted monitor did not drain the spool", TimeSpan.FromSeconds(120));

        var hooks = await RealMonitor.EventsAsync(second, "types=claude_hook&session_id=killed-1");
        Assert.Equal(ids, hooks.Select(h => h.GetProperty("spool_id").GetString()));
        Assert.Equal(Enumerable.Range(0, inputs).Select(i => $"n{i}"), hooks.Select(h => h.GetProperty("message").GetString()));
    }

    private Task<MonitorProcess> StartAsync() => MonitorProcess.StartAsync(new MonitorProcessOptions
    {
        ConfigYaml = FileStoreConfig,
        Environment = new Dictionary<string, string?> { ["HOME"] = _home.Path },
    });

    private int SpooledCount() => Directory.Exists(SpoolDirectory)
        ? Directory.EnumerateFiles(SpoolDirectory).Count(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".inflight", StringComparison.Ordinal))
        : 0;

    public void Dispose() => _home.Dispose();
}
