using Microsoft.Extensions.DependencyInjection;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.Core.Tests.Support;

namespace Mpm.Monitor.Core.Tests;

public sealed class ReplayingFeedTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Replay_then_live_has_no_gap_and_no_duplicate_while_events_keep_arriving()
    {
        var router = new Router();
        await using var host = await CoreHost.StartAsync(_dir.File("replay.db"), services: s => s.AddSingleton<IEventBroadcaster>(router));
        for (int i = 0; i < 3000; i++)
        {
            host.Dashboard.Emit(i % 2 == 0 ? "even" : "odd", new { i });
        }

        await WaitForAsync(() => host.Pipeline.LastEventId >= 3000);

        using var stop = new CancellationTokenSource();
        var publishing = Task.Run(async () =>
        {
            int n = 0;
            while (!stop.IsCancellationRequested)
            {
                await host.Pipeline.PublishAsync(n++ % 2 == 0 ? "even" : "odd", Json.Parse("{}"));
            }
        });

        var received = new List<long>();
        var feed = new ReplayingFeed(afterId: 1000, e => e.Type == "even", e => received.Add(e.Id));
        router.Feed = feed;
        await feed.ReplayAsync(host.Pipeline.Store, default);
        long switchedAt = host.Pipeline.LastEventId;
        await WaitForAsync(() => host.Pipeline.LastEventId > switchedAt + 200);
        await stop.CancelAsync();
        await publishing;
        long last = host.Pipeline.LastEventId;
        await WaitForAsync(() => Volatile.Read(ref router.Delivered) >= last);

        var stored = await host.Pipeline.Store.ReadAsync(new Storage.EventQuery(1000, ["even"], Limit: 100_000), default);
        long[] got;
        lock (received)
        {
            got = received.ToArray();
        }

        Assert.Equal(stored.Where(e => e.Id <= last).Select(e => e.Id), got);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 60 s");
            await Task.Delay(10);
        }
    }

    private sealed class Router : IEventBroadcaster
    {
        public long Delivered;

        public ReplayingFeed? Feed { get; set; }

        public void Broadcast(StoredEvent storedEvent)
        {
            Feed?.Offer(storedEvent);
            Volatile.Write(ref Delivered, storedEvent.Id);
        }
    }
}
