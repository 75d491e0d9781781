using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Mpm.Monitor.Core.Claude;

namespace Mpm.Monitor.Core.Tests.Claude;

public sealed class HookSpoolDrainLoopTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task The_loop_drains_at_start_keeps_draining_and_retries_after_a_failure()
    {
        var spool = new HookSpool(_temp.File("spool"));
        spool.Write(spool.NewId(DateTimeOffset.UtcNow), Hook(1));
        var stored = new ConcurrentQueue<int>();
        var attempts = 0;
        var loop = new HookSpoolDrainLoop(new HookSpoolDrainer(spool, NullLogger<HookSpoolDrainer>.Instance), (hook, _) =>
        {
            if (Interlocked.Increment(ref attempts) == 1) throw new IOException("store busy");
            stored.Enqueue(hook.Input["n"]!.GetValue<int>());
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(50), NullLogger<HookSpoolDrainLoop>.Instance);

        await loop.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntil(() => stored.Count == 1, "the input spooled before start (after one failed attempt)");
            spool.Write(spool.NewId(DateTimeOffset.UtcNow), Hook(2));
            await WaitUntil(() => stored.Count == 2, "an input spooled while running");
        }
        finally
        {
            await loop.StopAsync(CancellationToken.None);
        }

        Assert.Equal([1, 2], stored);
        Assert.Empty(Directory.EnumerateFiles(spool.Directory, "*.json"));
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private static byte[] Hook(int n) => Encoding.UTF8.GetBytes($$"""{"hook_event_name":"Stop","session_id":"s","n":{{n}}}""");

    public void Dispose() => _temp.Dispose();
}
