using Mpm.Monitor.Core;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Storage;
using Mpm.Monitor.Core.Tests.Support;

namespace Mpm.Monitor.Core.Tests;

public sealed class SqliteEventStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 11, 15, 10, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly ManualClock _clock = new(Start);
    private readonly EventEnvelope _envelope;

    public SqliteEventStoreTests()
    {
        _envelope = new EventEnvelope("box", 1_000_000, _clock);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Append_assigns_consecutive_ids_and_reads_back_the_same_bytes()
    {
        await using var store = await OpenAsync();
        var first = await store.AppendAsync([Draft("a", "{\"n\":1}"), Draft("b", "{\"n\":2}")], default);
        var second = await store.AppendAsync([Draft("c", "{\"n\":3}")], default);

        Assert.Equal([1L, 2L, 3L], first.Concat(second).Select(e => e.Id));
        var read = await store.ReadAsync(new EventQuery(), default);
        Assert.Equal(first.Concat(second).Select(e => Json.Text(e.Payload)), read.Select(e => Json.Text(e.Payload)));
        Assert.Equal("""{"id":2,"type":"b","timestamp":"2025-11-15T10:30:00.000Z","host":"box","n":2}""", Json.Text(read[1].Payload));
        Assert.Equal(3, await store.GetLastIdAsync(default));
        Assert.Equal(3, await store.CountAsync(default));
    }

    [Fact]
    public async Task Read_filters_by_since_types_session_and_limit_oldest_first()
    {
        await using var store = await OpenAsync();
        await store.AppendAsync(
        [
            Draft("alpha", """{"session_id":"s1"}"""),
            Draft("beta", """{"session_id":"s2"}"""),
            Draft("alpha", """{"session_id":"s2"}"""),
            Draft("gamma", "{}"),
            Draft("alpha", """{"session_id":"s1"}"""),
        ], default);

        async Task<long[]> Ids(EventQuery q) => (await store.ReadAsync(q, default)).Select(e => e.Id).ToArray();
        Assert.Equal(new long[] { 3L, 4L, 5L }, await Ids(new EventQuery(AfterId: 2)));
        Assert.Equal(new long[] { 1L, 3L, 4L, 5L }, await Ids(new EventQuery(Types: ["alpha", "gamma"])));
        Assert.Equal(new long[] { 2L, 3L }, await Ids(new EventQuery(SessionId: "s2")));
        Assert.Equal(new long[] { 5L }, await Ids(new EventQuery(AfterId: 1, Types: ["alpha"], SessionId: "s1")));
        Assert.Equal(new long[] { 1L, 2L }, await Ids(new EventQuery(Limit: 2)));
        Assert.Empty(await Ids(new EventQuery(AfterId: 5)));
        Assert.Empty(await Ids(new EventQuery(SessionId: "nobody")));
    }

    [Fact]
    public async Task Reopening_keeps_events_and_continues_the_ids()
    {
        string path = _dir.File("reopen.db");
        await using (var store = await OpenAsync(path))
        {
            await store.AppendAsync([Draft("a", "{}"), Draft("b", "{}")], default);
        }

        await using var reopened = await OpenAsync(path);
        Assert.Equal(2, await reopened.GetLastIdAsync(default));
        var next = await reopened.AppendAsync([Draft("c", "{}")], default);
        Assert.Equal(3, next[0].Id);
        Assert.Equal(["a", "b", "c"], (await reopened.ReadAsync(new EventQuery(), default)).Select(e => e.Type));
    }

    [Fact]
    public async Task Prune_removes_only_events_stored_before_the_cutoff_and_ids_never_repeat()
    {
        string path = _dir.File("prune.db");
        await using (var store = await OpenAsync(path))
        {
            await store.AppendAsync([Draft("old", "{}"), Draft("old", "{}")], default);
            _clock.Advance(TimeSpan.FromDays(2));
            await store.AppendAsync([Draft("new", "{}")], default);

            Assert.Equal(2, await store.PruneAsync(Start + TimeSpan.FromDays(1), default));
            Assert.Equal(["new"], (await store.ReadAsync(new EventQuery(), default)).Select(e => e.Type));
            Assert.Equal(0, await store.PruneAsync(Start + TimeSpan.FromDays(1), default));

            _clock.Advance(TimeSpan.FromDays(2));
            Assert.Equal(1, await store.PruneAsync(_clock.GetUtcNow(), default));
            Assert.Equal(0, await store.CountAsync(default));
        }

        // Everything was pruned; the next id still follows the last one ever given out.
        await using var reopened = await OpenAsync(path);
        Assert.Equal(3, await reopened.GetLastIdAsync(default));
        Assert.Equal(4, (await reopened.AppendAsync([Draft("after", "{}")], default))[0].Id);
    }

    [Fact]
    public async Task Prune_deletes_in_chunks_beyond_one_transaction()
    {
        await using var store = await OpenAsync();
        for (int i = 0; i < 3; i++)
        {
            await store.AppendAsync(Enumerable.Range(0, 4000).Select(_ => Draft("bulk", "{}")).ToArray(), default);
        }

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(12_000, await store.PruneAsync(_clock.GetUtcNow(), default));
        Assert.Equal(0, await store.CountAsync(default));
    }

    [Fact]
    public async Task In_memory_store_is_shared_between_the_writer_and_readers()
    {
        await using var store = new SqliteEventStore(":memory:", _clock);
        await store.OpenAsync(default);
        await store.AppendAsync([Draft("a", """{"session_id":"s"}""")], default);

        var read = await store.ReadAsync(new EventQuery(SessionId: "s"), default);
        Assert.Equal("a", Assert.Single(read).Type);
        Assert.Equal(1, await store.CountAsync(default));
    }

    [Fact]
    public async Task Separate_in_memory_stores_do_not_share_events()
    {
        await using var one = new SqliteEventStore(":memory:", _clock);
        await using var two = new SqliteEventStore(":memory:", _clock);
        await one.OpenAsync(default);
        await two.OpenAsync(default);
        await one.AppendAsync([Draft("a", "{}")], default);
        Assert.Equal(0, await two.CountAsync(default));
    }

    [Fact]
    public async Task Opening_creates_the_directory_and_uses_WAL()
    {
        string path = Path.Combine(_dir.Path, "nested", "deeper", "monitor.db");
        await using var store = await OpenAsync(path);
        await store.AppendAsync([Draft("a", "{}")], default);
        Assert.True(File.Exists(path));
        Assert.True(File.Exists(path + "-wal"), "WAL journal expected next to the database");
    }

    [Fact]
    public void Tilde_means_the_home_directory()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".mpm/monitor.db"), HomePaths.Expand("~/.mpm/monitor.db"));
        Assert.Equal("/abs/x.db", HomePaths.Expand("/abs/x.db"));
        Assert.Equal("rel/~x.db", HomePaths.Expand("rel/~x.db"));
    }

    private async Task<SqliteEventStore> OpenAsync(string? path = null)
    {
        var store = new SqliteEventStore(path ?? _dir.File("events.db"), _clock);
        await store.OpenAsync(default);
        return store;
    }

    private EventDraft Draft(string type, string data) => _envelope.Create(type, Json.Parse(data));
}
