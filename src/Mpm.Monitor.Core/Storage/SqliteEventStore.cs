using System.Text;
using Microsoft.Data.Sqlite;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Storage;

/// <summary>
/// The SQLite event store. One writer connection, used only by the pipeline's writer, commits each
/// group of events in one transaction; reads use their own (pooled) connections, which WAL lets run
/// beside the writer.
/// </summary>
/// <remarks>
/// Durability: WAL with <c>synchronous=FULL</c> fsyncs the WAL on every commit, so an acknowledged
/// event survives a kill -9 of the process and also a crash of the OS or a power cut. NORMAL would
/// be enough for kill -9 (the committed WAL frames sit in the OS page cache), but it would lose the
/// last commits on an OS crash, and group commit makes the fsync per commit affordable (bench/pipeline).
/// </remarks>
public sealed class SqliteEventStore : IEventStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS events (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            type       TEXT    NOT NULL,
            ts         INTEGER NOT NULL,
            session_id TEXT,
            stored_at  INTEGER NOT NULL,
            payload    BLOB    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_events_type ON events (type, id);
        CREATE INDEX IF NOT EXISTS ix_events_session ON events (session_id, id) WHERE session_id IS NOT NULL;
        CREATE TABLE IF NOT EXISTS delivered_spool (
            spool_id   TEXT    PRIMARY KEY,
            first_id   INTEGER NOT NULL,
            count      INTEGER NOT NULL,
            stored_at  INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    private const int PruneChunk = 5000;

    private readonly string _connectionString;
    private readonly bool _inMemory;
    private readonly TimeProvider _clock;
    private SqliteConnection? _writer;
    private SqliteCommand? _insert;
    private SqliteCommand? _insertDelivery;
    private long _lastId;

    /// <param name="path">A file path (its directory is created; a leading <c>~</c> means the home directory) or <c>:memory:</c>.</param>
    public SqliteEventStore(string path, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _clock = clock;
        _inMemory = path == ":memory:";
        var builder = new SqliteConnectionStringBuilder { Pooling = true };
        if (_inMemory)
        {
            // A named shared-cache database lives while the writer connection is open, and readers see it.
            builder.DataSource = "mpm-monitor-" + Guid.NewGuid().ToString("N");
            builder.Mode = SqliteOpenMode.Memory;
            builder.Cache = SqliteCacheMode.Shared;
        }
        else
        {
            builder.DataSource = HomePaths.Expand(path);
            builder.Mode = SqliteOpenMode.ReadWriteCreate;
        }

        _connectionString = builder.ToString();
        DatabasePath = builder.DataSource;
    }

    /// <summary>The database file (with <c>~</c> expanded), or the in-memory database's name.</summary>
    public string DatabasePath { get; }

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (!_inMemory)
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(DatabasePath));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        var writer = new SqliteConnection(_connectionString);
        try
        {
            await writer.OpenAsync(cancellationToken);
            if (!_inMemory)
            {
                Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
            }

            Execute(writer, Schema);
        }
        catch (SqliteException e)
        {
            await writer.DisposeAsync();
            throw new InvalidOperationException($"cannot open the event store \"{DatabasePath}\" (storage.path): {e.Message}", e);
        }

        using (var last = writer.CreateCommand())
        {
            last.CommandText = "SELECT seq FROM sqlite_sequence WHERE name = 'events'";
            _lastId = last.ExecuteScalar() is long seq ? seq : 0;
        }

        var insert = writer.CreateCommand();
        insert.CommandText = "INSERT INTO events (id, type, ts, session_id, stored_at, payload) VALUES ($id, $type, $ts, $session, $stored, $payload)";
        foreach (var name in (ReadOnlySpan<string>)["$id", "$type", "$ts", "$session", "$stored", "$payload"])
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        insert.Prepare();
        var insertDelivery = writer.CreateCommand();
        insertDelivery.CommandText = "INSERT INTO delivered_spool (spool_id, first_id, count, stored_at) VALUES ($key, $first, $count, $stored)";
        foreach (var name in (ReadOnlySpan<string>)["$key", "$first", "$count", "$stored"])
        {
            insertDelivery.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        insertDelivery.Prepare();
        _writer = writer;
        _insert = insert;
        _insertDelivery = insertDelivery;
    }

    public Task<IReadOnlyList<StoredEvent>> AppendAsync(IReadOnlyList<EventDraft> drafts, CancellationToken cancellationToken) =>
        AppendAsync(drafts, [], cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> AppendAsync(IReadOnlyList<EventDraft> drafts, IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("the store is not open");
        var insert = _insert!;
        var stored = new StoredEvent[drafts.Count];
        long storedAt = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        using (var transaction = writer.BeginTransaction())
        {
            insert.Transaction = transaction;
            long id = _lastId;
            for (int i = 0; i < drafts.Count; i++)
            {
                byte[] payload = drafts[i].Serialize(++id);
                var e = drafts[i].ToStoredEvent(id, payload);
                insert.Parameters[0].Value = e.Id;
                insert.Parameters[1].Value = e.Type;
                insert.Parameters[2].Value = e.Timestamp.ToUnixTimeMilliseconds();
                insert.Parameters[3].Value = (object?)e.SessionId ?? DBNull.Value;
                insert.Parameters[4].Value = storedAt;
                insert.Parameters[5].Value = payload;
                insert.ExecuteNonQuery();
                stored[i] = e;
            }

            if (deliveries.Count > 0)
            {
                var insertDelivery = _insertDelivery!;
                insertDelivery.Transaction = transaction;
                foreach (var delivery in deliveries)
                {
                    insertDelivery.Parameters[0].Value = delivery.Key;
                    insertDelivery.Parameters[1].Value = delivery.Count > 0 ? stored[delivery.Offset].Id : 0;
                    insertDelivery.Parameters[2].Value = delivery.Count;
                    insertDelivery.Parameters[3].Value = storedAt;
                    insertDelivery.ExecuteNonQuery();
                }
            }

            transaction.Commit();
            _lastId = id;
        }

        return Task.FromResult<IReadOnlyList<StoredEvent>>(stored);
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT id, type, ts, session_id, payload FROM events WHERE id > $after");
        command.Parameters.AddWithValue("$after", query.AfterId);
        if (query.Types is { Count: > 0 } types)
        {
            sql.Append(" AND type IN (");
            int i = 0;
            foreach (var type in types)
            {
                sql.Append(i == 0 ? "$t0" : $", $t{i}");
                command.Parameters.AddWithValue($"$t{i}", type);
                i++;
            }

            sql.Append(')');
        }

        if (query.SessionId is not null)
        {
            sql.Append(" AND session_id = $session");
            command.Parameters.AddWithValue("$session", query.SessionId);
        }

        sql.Append(" ORDER BY id LIMIT $limit");
        command.Parameters.AddWithValue("$limit", query.Limit);
        command.CommandText = sql.ToString();

        var events = new List<StoredEvent>(Math.Min(query.Limit, 256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new StoredEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<byte[]>(4)));
        }

        return events;
    }

    public async Task<IReadOnlyList<long>?> FindDeliveryAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT first_id, count FROM delivered_spool WHERE spool_id = $key";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        long first = reader.GetInt64(0);
        int count = reader.GetInt32(1);
        var ids = new long[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = first + i;
        }

        return ids;
    }

    public async Task<long> GetLastIdAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        return await ScalarAsync(connection, "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)", cancellationToken);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        return await ScalarAsync(connection, "SELECT count(*) FROM events", cancellationToken);
    }

    public async Task<long> PruneAsync(DateTimeOffset storedBefore, CancellationToken cancellationToken)
    {
        // Rows are stored in id order, so the first id stored at or after the cutoff is found by a
        // short scan from the oldest row, and everything below it goes; deleting in chunks keeps each
        // write transaction (which the pipeline's writer waits for) short.
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var boundary = connection.CreateCommand();
        boundary.CommandText = "SELECT coalesce((SELECT id FROM events WHERE stored_at >= $cutoff ORDER BY id LIMIT 1), (SELECT max(id) + 1 FROM events), 0)";
        boundary.Parameters.AddWithValue("$cutoff", storedBefore.ToUnixTimeMilliseconds());
        long firstKept = (long)(await boundary.ExecuteScalarAsync(cancellationToken))!;

        long deleted = 0;
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE id < $below ORDER BY id LIMIT $chunk)";
        delete.Parameters.AddWithValue("$below", firstKept);
        delete.Parameters.AddWithValue("$chunk", PruneChunk);
        int n;
        do
        {
            n = await delete.ExecuteNonQueryAsync(cancellationToken);
            deleted += n;
        }
        while (n == PruneChunk);

        // A delivery key only has to outlive its events: a redelivery after that stores nothing anyone still sees twice.
        await using var forget = connection.CreateCommand();
        forget.CommandText = "DELETE FROM delivered_spool WHERE stored_at < $cutoff";
        forget.Parameters.AddWithValue("$cutoff", storedBefore.ToUnixTimeMilliseconds());
        await forget.ExecuteNonQueryAsync(cancellationToken);
        return deleted;
    }

    public ValueTask DisposeAsync()
    {
        _insert?.Dispose();
        _insertDelivery?.Dispose();
        if (_writer is not null)
        {
            // Pooled reader connections would keep the file (and the in-memory database) open otherwise.
            SqliteConnection.ClearPool(_writer);
            _writer.Dispose();
            _writer = null;
        }

        return ValueTask.CompletedTask;
    }


    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
