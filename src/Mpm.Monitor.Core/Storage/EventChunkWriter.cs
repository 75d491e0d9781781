using Microsoft.Data.Sqlite;
using Mpm.Monitor.Core.Events;
using SQLitePCL;

namespace Mpm.Monitor.Core.Storage;

/// <summary>
/// Writes events as <see cref="EventChunk"/> rows, each with its keys (the event types and sessions
/// it holds), on the writer connection through SQLite's own prepared statements.
/// </summary>
/// <remarks>
/// The single writer thread is the ingest bottleneck (bench/pipeline). A row, and an index entry
/// per type and per session, for every event cost several times what the event's bytes do; a row
/// per chunk of up to <see cref="MaxEvents"/> events, with one key row per distinct type and session,
/// makes the bytes the main cost. Binding to SQLite's statements directly skips Microsoft.Data.Sqlite's
/// per-execution command layer (parameter objects, boxing, a data reader), which is used everywhere else.
/// </remarks>
internal sealed class EventChunkWriter : IDisposable
{
    /// <summary>The most events one chunk holds: a read that starts inside a chunk decodes all of it.</summary>
    public const int MaxEvents = 256;

    // As long as Microsoft.Data.Sqlite's default command timeout.
    private const int LockWaitMilliseconds = 30_000;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insertChunk;
    private readonly sqlite3_stmt _insertKey;
    private readonly HashSet<string> _types = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);

    public EventChunkWriter(SqliteConnection writer)
    {
        _db = writer.Handle ?? throw new InvalidOperationException("the writer connection is not open");
        _insertChunk = Prepare("INSERT INTO event_chunks (last_id, first_id, stored_at, events) VALUES (?, ?, ?, ?)");
        _insertKey = Prepare("INSERT INTO event_keys (key, last_id) VALUES (?, ?)");
    }

    /// <summary>
    /// Stores the drafts with consecutive ids from <paramref name="firstId"/>, within the caller's
    /// transaction, and fills <paramref name="stored"/> with the events as stored.
    /// </summary>
    public void Write(ReadOnlySpan<EventDraft> drafts, long firstId, Span<StoredEvent> stored, long storedAt)
    {
        for (int start = 0; start < drafts.Length; start += MaxEvents)
        {
            int count = Math.Min(MaxEvents, drafts.Length - start);
            var events = stored.Slice(start, count);
            byte[] chunk = EventChunk.Encode(drafts.Slice(start, count), firstId + start, events);
            WriteChunk(chunk, events, storedAt);
        }
    }

    /// <summary>Stores events serialised before (an older database's rows), in id order, within the caller's transaction.</summary>
    public void Write(ReadOnlySpan<StoredEvent> events, long storedAt)
    {
        for (int start = 0; start < events.Length; start += MaxEvents)
        {
            var chunk = events.Slice(start, Math.Min(MaxEvents, events.Length - start));
            WriteChunk(EventChunk.Encode(chunk), chunk, storedAt);
        }
    }

    public void Dispose()
    {
        _insertChunk.Dispose();
        _insertKey.Dispose();
    }

    private void WriteChunk(byte[] chunk, ReadOnlySpan<StoredEvent> events, long storedAt)
    {
        long lastId = events[^1].Id;
        Check(raw.sqlite3_bind_int64(_insertChunk, 1, lastId));
        Check(raw.sqlite3_bind_int64(_insertChunk, 2, events[0].Id));
        Check(raw.sqlite3_bind_int64(_insertChunk, 3, storedAt));
        Check(raw.sqlite3_bind_blob(_insertChunk, 4, chunk));
        Step(_insertChunk);

        _types.Clear();
        _sessions.Clear();
        foreach (var e in events)
        {
            _types.Add(e.Type);
            if (e.SessionId is { } session)
            {
                _sessions.Add(session);
            }
        }

        foreach (var type in _types)
        {
            WriteKey(EventKeys.OfType(type), lastId);
        }

        foreach (var session in _sessions)
        {
            WriteKey(EventKeys.OfSession(session), lastId);
        }
    }

    private void WriteKey(string key, long lastId)
    {
        Check(raw.sqlite3_bind_text(_insertKey, 1, key));
        Check(raw.sqlite3_bind_int64(_insertKey, 2, lastId));
        Step(_insertKey);
    }

    private void Step(sqlite3_stmt statement)
    {
        // A reader of the shared-cache ":memory:" database locks a table while it reads it, and another
        // writer (pruning) can hold the database: wait as Microsoft.Data.Sqlite's commands do, rather than fail.
        long deadline = Environment.TickCount64 + LockWaitMilliseconds;
        int rc;
        while ((rc = raw.sqlite3_step(statement) & 0xFF) is raw.SQLITE_LOCKED or raw.SQLITE_BUSY && Environment.TickCount64 < deadline)
        {
            raw.sqlite3_reset(statement);
            Thread.Sleep(1);
        }

        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
        return statement;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
