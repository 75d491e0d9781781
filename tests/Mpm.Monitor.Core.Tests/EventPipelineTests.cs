using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.Core.Storage;
using Mpm.Monitor.Core.Tests.Support;

namespace Mpm.Monitor.Core.Tests;

public sealed class EventPipelineTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Concurrent_publishers_get_gap_free_ids_and_broadcasts_follow_id_order()
    {
        var broadcast = new RecordingBroadcaster();
        await using var host = await CoreHost.StartAsync(_dir.File("concurrent.db"), services: s => s.AddSingleton<IEventBroadcaster>(broadcast));
        const int Publishers = 8, PerPublisher = 150;

        var results = await Task.WhenAll(Enumerable.Range(0, Publishers).Select(p => Task.Run(async () =>
        {
            var ids = new List<long>();
            for (int i = 0; i < PerPublisher; i++)
            {
                if (i % 3 == 0)
                {
                    var batch = await host.Pipeline.PublishAsync([new IncomingEvent("load", Json.Parse($$"""{"p":{{p}},"i":{{i}}}""")), new IncomingEvent("load", Json.Parse($$"""{"p":{{p}},"i":{{i}},"second":true}"""))]);
                    Assert.Equal(batch[0].Id + 1, batch[1].Id);
                    ids.AddRange(batch.Select(e => e.Id));
                }
                else
                {
                    ids.Add((await host.Pipeline.PublishAsync("load", Json.Parse($$"""{"p":{{p}},"i":{{i}}}"""))).Id);
                }
            }

            return ids;
        })));

        int total = results.Sum(r => r.Count);
        foreach (var ids in results)
        {
            Assert.Equal(ids.Order(), ids); // each publisher's own events in its order
        }

        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), results.SelectMany(r => r).Order());
        Assert.Equal(total, host.Pipeline.LastEventId);

        var stored = await host.Pipeline.Store.ReadAsync(new EventQuery(Limit: 10_000), default);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), stored.Select(e => e.Id));
        Assert.Equal(stored.Select(e => e.Id), broadcast.Events.Select(e => e.Id));
        Assert.Equal(stored.Select(e => Json.Text(e.Payload)), broadcast.Events.Select(e => Json.Text(e.Payload)));
    }

    [Fact]
    public async Task A_batch_with_one_bad_event_stores_nothing_and_names_the_item()
    {
        await using var host = await CoreHost.StartAsync(_dir.File("atomic.db"));
        await host.Pipeline.PublishAsync("before", Json.Parse("{}"));

        var e = await Assert.ThrowsAsync<EventRejectedException>(() => host.Pipeline.PublishAsync(
        [
            new IncomingEvent("fine", Json.Parse("{}")),
            new IncomingEvent("agent_activity", Json.Parse("""{"agent":"pm","action":"bogus"}""")),
        ]));
        Assert.Equal(1, e.ItemIndex);
        Assert.StartsWith("events[1]: data.action must be one of", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, await host.Pipeline.Store.CountAsync(default));

        var tooMany = Enumerable.Range(0, EventPipeline.MaxBatch + 1).Select(_ => new IncomingEvent("x", Json.Parse("{}"))).ToArray();
        var big = await Assert.ThrowsAsync<EventRejectedException>(() => host.Pipeline.PublishAsync(tooMany));
        Assert.Contains("at most 1000 events, not 1001", big.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_broadcaster_neither_stops_the_pipeline_nor_the_others()
    {
        var recording = new RecordingBroadcaster();
        await using var host = await CoreHost.StartAsync(_dir.File("failing.db"), services: s =>
        {
            s.AddSingleton<IEventBroadcaster, ThrowingBroadcaster>();
            s.AddSingleton<IEventBroadcaster>(recording);
        });

        await host.Pipeline.PublishAsync("one", Json.Parse("{}"));
        await host.Pipeline.PublishAsync("two", Json.Parse("{}"));
        Assert.Equal(["one", "two"], recording.Events.Select(e => e.Type));
    }

    [Fact]
    public async Task Stopping_stores_every_queued_event_before_closing()
    {
        string path = _dir.File("flush.db");
        const int Count = 3000;
        await using (var host = await CoreHost.StartAsync(path))
        {
            for (int i = 0; i < Count; i++)
            {
                host.Dashboard.Emit("queued", new { i });
            }

            await host.StopAsync();
        }

        await using var store = new SqliteEventStore(path, TimeProvider.System);
        await store.OpenAsync(default);
        Assert.Equal(Count, await store.CountAsync(default));
        var last = await store.ReadAsync(new EventQuery(AfterId: Count - 1), default);
        Assert.Equal(Count - 1, Json.Parse(Assert.Single(last).Payload).GetProperty("i").GetInt32());
    }

    [Fact]
    public async Task Publishing_after_stop_is_refused_clearly()
    {
        await using var host = await CoreHost.StartAsync(_dir.File("stopped.db"));
        await host.StopAsync();
        var e = await Assert.ThrowsAsync<EventPipelineStoppedException>(() => host.Pipeline.PublishAsync("late", Json.Parse("{}")));
        Assert.Contains("stopping", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Works_with_an_in_memory_store()
    {
        await using var host = await CoreHost.StartAsync(":memory:");
        var stored = await host.Pipeline.PublishAsync("mem", Json.Parse("""{"session_id":"s"}"""));
        var read = await host.Pipeline.Store.ReadAsync(new EventQuery(SessionId: "s"), default);
        Assert.Equal(stored.Id, Assert.Single(read).Id);
    }

    private sealed class ThrowingBroadcaster : IEventBroadcaster
    {
        public void Broadcast(StoredEvent storedEvent) => throw new InvalidOperationException("broken on purpose");
    }
}
