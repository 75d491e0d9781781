using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Mpm.Monitor.Core.Claude;

namespace Mpm.Monitor.Core.Tests.Claude;

public sealed class HookSpoolTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 11, 15, 10, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly HookSpool _spool;
    private readonly HookSpoolDrainer _drainer;

    public HookSpoolTests()
    {
        _spool = new HookSpool(Path.Combine(_temp.Path, "spool"));
        _drainer = new HookSpoolDrainer(_spool, NullLogger<HookSpoolDrainer>.Instance);
    }

    [Fact]
    public void A_spooled_input_is_one_complete_file_named_by_its_id()
    {
        var id = _spool.NewId(T0);

        var file = _spool.Write(id, Hook(1));

        Assert.Equal(Path.Combine(_spool.Directory, id + ".json"), file);
        Assert.Equal(Hook(1), File.ReadAllBytes(file));
        Assert.Single(Directory.EnumerateFiles(_spool.Directory)); // no temporary file left behind
        Assert.True(HookSpool.TryGetTime(id, out var at));
        Assert.Equal(T0, at);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("0638984262000000000-0000042-0001-0BADCAFE")]
    [InlineData("0638984262000000000-0000042-0001-0badcaf")]
    [InlineData("")]
    public void Ids_that_could_not_come_from_NewId_are_refused(string id)
    {
        Assert.False(HookSpool.IsValidId(id));
        Assert.Throws<ArgumentException>(() => _spool.Write(id, Hook(1)));
    }

    [Fact]
    public void Ids_of_one_instant_differ_and_sort_in_issue_order()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => _spool.NewId(T0)).ToList();

        Assert.Equal(100, ids.Distinct().Count());
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_drain_delivers_in_spool_time_order_and_empties_the_spool()
    {
        foreach (var second in new[] { 3, 1, 2, 0 })
            _spool.Write(_spool.NewId(T0.AddSeconds(second)), Hook(second));
        var store = new IdempotentStore();

        Assert.Equal(4, await _drainer.DrainAsync(store.DeliverAsync));

        Assert.Equal([0, 1, 2, 3], store.Stored.Select(h => h.Input["n"]!.GetValue<int>()));
        Assert.Equal(T0.AddSeconds(2), store.Stored[2].SpooledAt);
        Assert.Equal(0, _drainer.Count());
    }

    [Theory]
    [InlineData(true)]  // killed after the store acknowledged, before the file was deleted
    [InlineData(false)] // killed while the store was writing
    public async Task A_drain_killed_midway_is_finished_by_the_next_drainer_storing_each_input_exactly_once(bool afterStore)
    {
        for (var i = 0; i < 10; i++) _spool.Write(_spool.NewId(T0.AddSeconds(i)), Hook(i));
        var store = new IdempotentStore();

        var killed = await Assert.ThrowsAsync<DrainKilledException>(() => _drainer.DrainAsync(async (hook, ct) =>
        {
            if (store.Attempts == 3 && !afterStore) { store.Attempts++; throw new DrainKilledException(); }
            await store.DeliverAsync(hook, ct);
            if (store.Attempts == 4 && afterStore) throw new DrainKilledException();
        }));
        Assert.NotNull(killed);
        Assert.Equal(afterStore ? 4 : 3, store.Stored.Count);
        Assert.Single(Directory.EnumerateFiles(_spool.Directory, "*.inflight"));
        Assert.Equal(7, _drainer.Count()); // the one in flight and the six never taken

        var next = new HookSpoolDrainer(_spool, NullLogger<HookSpoolDrainer>.Instance);
        Assert.Equal(7, await next.DrainAsync(store.DeliverAsync)); // the one in flight is delivered again, with its id

        Assert.Equal(Enumerable.Range(0, 10), store.Stored.Select(h => h.Input["n"]!.GetValue<int>()));
        Assert.Equal(0, next.Count());
    }

    [Fact]
    public async Task Only_one_drainer_works_on_a_spool_at_a_time()
    {
        _spool.Write(_spool.NewId(T0), Hook(0));
        var other = new HookSpoolDrainer(_spool, NullLogger<HookSpoolDrainer>.Instance);
        var otherDelivered = -1;

        await _drainer.DrainAsync(async (hook, ct) => otherDelivered = await other.DrainAsync((_, _) => Task.CompletedTask, ct));

        Assert.Equal(0, otherDelivered);
    }

    [Fact]
    public async Task Inputs_spooled_during_a_drain_are_delivered_by_it()
    {
        _spool.Write(_spool.NewId(T0), Hook(0));
        var store = new IdempotentStore();

        var delivered = await _drainer.DrainAsync(async (hook, ct) =>
        {
            if (store.Attempts == 0) _spool.Write(_spool.NewId(T0.AddSeconds(5)), Hook(1));
            await store.DeliverAsync(hook, ct);
        });

        Assert.Equal(2, delivered);
        Assert.Equal([0, 1], store.Stored.Select(h => h.Input["n"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_file_that_is_not_a_hook_object_is_set_aside_and_the_rest_delivered()
    {
        var bad = _spool.NewId(T0);
        _spool.Write(bad, "not json"u8);
        _spool.Write(_spool.NewId(T0.AddSeconds(1)), "[1,2]"u8);
        _spool.Write(_spool.NewId(T0.AddSeconds(2)), Hook(7));
        var store = new IdempotentStore();

        Assert.Equal(1, await _drainer.DrainAsync(store.DeliverAsync));

        Assert.Equal(7, store.Stored.Single().Input["n"]!.GetValue<int>());
        Assert.True(File.Exists(Path.Combine(_spool.Directory, "rejected", bad + ".json")));
        Assert.Equal(0, _drainer.Count());
    }

    [Fact]
    public async Task Half_written_files_of_killed_forwarders_are_removed_once_stale()
    {
        Directory.CreateDirectory(_spool.Directory);
        var stale = Path.Combine(_spool.Directory, "." + _spool.NewId(T0) + ".tmp");
        var fresh = Path.Combine(_spool.Directory, "." + _spool.NewId(T0) + ".tmp");
        File.WriteAllText(stale, "{\"half");
        File.WriteAllText(fresh, "{\"half");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - HookSpoolDrainer.StaleTempAge - TimeSpan.FromMinutes(1));

        Assert.Equal(0, await _drainer.DrainAsync((_, _) => Task.CompletedTask));

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh)); // may still be being written
    }

    [Fact]
    public async Task No_spool_directory_means_nothing_to_drain()
    {
        Assert.Equal(0, await _drainer.DrainAsync((_, _) => throw new InvalidOperationException("nothing should be delivered")));
    }

    private static byte[] Hook(int n) => Encoding.UTF8.GetBytes(new JsonObject { ["hook_event_name"] = "Stop", ["session_id"] = "s", ["n"] = n }.ToJsonString());

    /// <summary>Stands in for the event store's contract: storing a spool id it already holds stores nothing.</summary>
    private sealed class IdempotentStore
    {
        private readonly HashSet<string> _ids = [];

        internal List<SpooledHook> Stored { get; } = [];

        internal int Attempts { get; set; }

        internal Task DeliverAsync(SpooledHook hook, CancellationToken cancellationToken)
        {
            Attempts++;
            if (_ids.Add(hook.SpoolId)) Stored.Add(hook);
            return Task.CompletedTask;
        }
    }

    private sealed class DrainKilledException : Exception;

    public void Dispose() => _temp.Dispose();
}
