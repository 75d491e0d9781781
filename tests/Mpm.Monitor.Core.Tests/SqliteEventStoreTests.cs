using Microsoft.Data.Sqlite;
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
    public async Task Prune_deletes_in_slices_beyond_one_transaction()
    {
        // More stored chunks than one pruning transaction takes: single appends make a chunk each.
        await using var store = new SqliteEventStore(":memory:", _clock);
        await store.OpenAsync(default);
        await store.AppendAsync(Enumerable.Range(0, 4000).Select(_ => Draft("bulk", """{"session_id":"s"}""")).ToArray(), default);
        for (int i = 0; i < 450; i++)
        {
            await store.AppendAsync([Draft("single", "{}")], default);
        }

        _clock.Advance(TimeSpan.FromDays(1));
        var kept = await store.AppendAsync([Draft("bulk", """{"session_id":"s"}""")], default);
        Assert.Equal(4450, await store.PruneAsync(_clock.GetUtcNow(), default));
        Assert.Equal(1, await store.CountAsync(default));
        Assert.Equal(kept[0].Id, Assert.Single(await store.ReadAsync(new EventQuery(Types: ["bulk"], SessionId: "s"), default)).Id);
        Assert.Empty(await store.ReadAsync(new EventQuery(Types: ["single"]), default));
    }

    [Fact]
    public async Task Reads_start_inside_chunks_and_filter_across_them()
    {
        // 600 events in one append are stored as three chunks (256, 256, 88).
        await using var store = await OpenAsync();
        var stored = await store.AppendAsync(Enumerable.Range(1, 600).Select(i =>
            i == 300 ? Draft("rare", """{"session_id":"s-rare"}""") : Draft(i % 2 == 0 ? "even" : "odd", $$"""{"session_id":"s{{i % 3}}","i":{{i}}}""")).ToArray(), default);

        async Task<long[]> Ids(EventQuery q) => (await store.ReadAsync(q, default)).Select(e => e.Id).ToArray();
        Assert.Equal(Enumerable.Range(251, 10).Select(i => (long)i), await Ids(new EventQuery(AfterId: 250, Limit: 10)));
        Assert.Equal(Enumerable.Range(201, 1000).Where(i => i <= 600).Select(i => (long)i), await Ids(new EventQuery(AfterId: 200, Limit: 1000)));
        Assert.Equal(new long[] { 300 }, await Ids(new EventQuery(Types: ["rare"])));
        Assert.Equal(new long[] { 300 }, await Ids(new EventQuery(SessionId: "s-rare")));
        long[] expected = Enumerable.Range(255, 346).Where(i => i % 2 == 0 && i % 3 == 1 && i != 300).Select(i => (long)i).Take(40).ToArray();
        Assert.Equal(expected, await Ids(new EventQuery(AfterId: 254, Types: ["even", "rare"], SessionId: "s1", Limit: 40)));

        var read = await store.ReadAsync(new EventQuery(AfterId: 511, Limit: 3), default);
        Assert.Equal(stored.Skip(511).Take(3).Select(e => Json.Text(e.Payload)), read.Select(e => Json.Text(e.Payload)));
        Assert.Equal(stored.Skip(511).Take(3).Select(e => (e.Type, e.SessionId, e.Timestamp)), read.Select(e => (e.Type, e.SessionId, e.Timestamp)));
    }

    [Fact]
    public async Task Nested_keys_named_like_the_envelope_do_not_change_what_is_read()
    {
        await using var store = await OpenAsync();
        await store.AppendAsync(
        [
            Draft("outer", """{"session_id":"real","nested":{"id":99,"type":"inner","session_id":"fake","timestamp":"1999-01-01T00:00:00Z"},"list":[{"type":"x"}],"text":"é ✓ \"q\""}"""),
            Draft("second", "{}"),
        ], default);

        var read = await store.ReadAsync(new EventQuery(SessionId: "real"), default);
        var e = Assert.Single(read);
        Assert.Equal((1L, "outer", "real", Start), (e.Id, e.Type, e.SessionId, e.Timestamp));
        Assert.Equal("é ✓ \"q\"", Json.Parse(e.Payload).GetProperty("text").GetString());
        Assert.Empty(await store.ReadAsync(new EventQuery(SessionId: "fake"), default));
        Assert.Empty(await store.ReadAsync(new EventQuery(Types: ["inner"]), default));
    }

    [Fact]
    public async Task A_database_of_the_first_layout_is_upgraded_with_its_events_and_ids()
    {
        // The first release kept a row per event in "events"; event 3 of 4 was pruned, 5 was pruned as the newest.
        string path = _dir.File("first-layout.db");
        await using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            create.CommandText = """
                PRAGMA journal_mode=WAL;
                CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, ts INTEGER NOT NULL,
                    session_id TEXT, stored_at INTEGER NOT NULL, payload BLOB NOT NULL);
                CREATE INDEX ix_events_type ON events (type, id);
                CREATE TABLE delivered_spool (spool_id TEXT PRIMARY KEY, first_id INTEGER NOT NULL, count INTEGER NOT NULL, stored_at INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO events VALUES (1, 'agent_activity', 1763719200000, 's1', 1763719200000, CAST('{"id":1,"type":"agent_activity","timestamp":"2025-11-21T10:00:00.000Z","host":"box","session_id":"s1","agent":"pm"}' AS BLOB));
                INSERT INTO events VALUES (2, 'custom', 1763719201000, NULL, 1763719200000, CAST('{"id":2,"type":"custom","timestamp":"2025-11-21T10:00:01.000Z","host":"box","n":2}' AS BLOB));
                INSERT INTO events VALUES (4, 'custom', 1763719202000, NULL, 1763719300000, CAST('{"id":4,"type":"custom","timestamp":"2025-11-21T10:00:02.000Z","host":"box","n":4}' AS BLOB));
                INSERT INTO delivered_spool VALUES ('spool-1', 1, 2, 1763719200000);
                UPDATE sqlite_sequence SET seq = 5 WHERE name = 'events';
                """;
            await create.ExecuteNonQueryAsync();
        }

        await using var store = await OpenAsync(path);
        var read = await store.ReadAsync(new EventQuery(), default);
        Assert.Equal(new long[] { 1, 2, 4 }, read.Select(e => e.Id));
        Assert.Equal("""{"id":4,"type":"custom","timestamp":"2025-11-21T10:00:02.000Z","host":"box","n":4}""", Json.Text(read[2].Payload));
        Assert.Equal(("agent_activity", "s1", DateTimeOffset.Parse("2025-11-21T10:00:00Z")), (read[0].Type, read[0].SessionId, read[0].Timestamp));
        Assert.Equal(new long[] { 2, 4 }, (await store.ReadAsync(new EventQuery(Types: ["custom"]), default)).Select(e => e.Id));
        Assert.Equal(new long[] { 1 }, (await store.ReadAsync(new EventQuery(SessionId: "s1"), default)).Select(e => e.Id));
        Assert.Equal(new long[] { 1, 2 }, await store.FindDeliveryAsync("spool-1", default));
        Assert.Equal(3, await store.CountAsync(default));
        Assert.Equal(5, await store.GetLastIdAsync(default));
        Assert.Equal(6, (await store.AppendAsync([Draft("after", "{}")], default))[0].Id);

        await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        await check.OpenAsync();
        await using var tables = check.CreateCommand();
        tables.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'events'";
        Assert.Equal(0L, await tables.ExecuteScalarAsync());
    }

    [Fact]
    public void A_chunk_that_is_not_the_stores_own_json_is_reported_as_such()
    {
        foreach (string bad in new[] { "", "{}", "[{\"type\":\"x\"}]", "[{\"id\":1,\"type\":\"x\",\"timestamp\":\"soon\"}]" })
        {
            Assert.ThrowsAny<Exception>(() => EventChunk.Decode(System.Text.Encoding.UTF8.GetBytes(bad)));
        }

        Assert.Throws<InvalidDataException>(() => EventChunk.Decode("[{\"type\":\"x\"}]"u8.ToArray()));
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
    public async Task An_append_waits_for_a_reader_that_holds_the_in_memory_table()
    {
        // In a shared-cache database a reader in the middle of a read locks the table against the writer.
        await using var store = new SqliteEventStore(":memory:", _clock);
        await store.OpenAsync(default);
        await store.AppendAsync([Draft("before", "{}")], default);
        await using var reader = new SqliteConnection($"Data Source={store.DatabasePath};Mode=Memory;Cache=Shared");
        await reader.OpenAsync();
        await using var read = reader.CreateCommand();
        read.CommandText = "SELECT events FROM event_chunks";
        var rows = await read.ExecuteReaderAsync();
        Assert.True(await rows.ReadAsync());

        var append = Task.Run(() => store.AppendAsync([Draft("during", "{}")], default));
        await Task.Delay(300);
        Assert.False(append.IsCompleted, "the append should wait while the table is being read");
        await rows.DisposeAsync();

        Assert.Equal(2, (await append.WaitAsync(TimeSpan.FromSeconds(30)))[0].Id);
        Assert.Equal(["before", "during"], (await store.ReadAsync(new EventQuery(), default)).Select(e => e.Type));
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
