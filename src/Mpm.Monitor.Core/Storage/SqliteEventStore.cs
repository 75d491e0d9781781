using System.Text;
using Microsoft.Data.Sqlite;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Storage;

/// <summary>
/// The SQLite event store. One writer connection, used only by the pipeline's writer, commits each
/// group of events in one transaction; reads use their own (pooled) connections, which WAL lets run
/// beside the writer. Events are kept in chunks of consecutive events (<see cref="EventChunk"/>),
/// found by id range or, for a type or session, through <c>event_keys</c>; see <see cref="EventChunkWriter"/>
/// for why not a row per event.
/// </summary>
/// <remarks>
/// Durability: WAL with <c>synchronous=FULL</c> fsyncs the WAL on every commit, so an acknowledged
/// event survives a kill -9 of the process and also a crash of the OS or a power cut. NORMAL would
/// be enough for kill -9 (the committed WAL frames sit in the OS page cache), but it would lose the
/// last commits on an OS crash, and group commit makes the fsync per commit affordable (bench/pipeline).
/// </remarks>
public sealed class SqliteEventStore : IEventStore
{
    // Chunks deleted per transaction when pruning, so the writer never waits long.
    private const int PruneChunks = 200;

    private readonly string _connectionString;
    private readonly bool _inMemory;
    private readonly TimeProvider _clock;
    private SqliteConnection? _writer;
    private EventChunkWriter? _chunks;
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
                EventStoreSchema.Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
            }

            EventStoreSchema.Apply(writer);
        }
        catch (SqliteException e)
        {
            await writer.DisposeAsync();
            throw new InvalidOperationException($"cannot open the event store \"{DatabasePath}\" (storage.path): {e.Message}", e);
        }

        _lastId = EventStoreSchema.Scalar(writer, EventStoreSchema.LastIdQuery);

        var insertDelivery = writer.CreateCommand();
        insertDelivery.CommandText = "INSERT INTO delivered_spool (spool_id, first_id, count, stored_at) VALUES ($key, $first, $count, $stored)";
        foreach (var name in (ReadOnlySpan<string>)["$key", "$first", "$count", "$stored"])
        {
            insertDelivery.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        insertDelivery.Prepare();
        _writer = writer;
        _chunks = new EventChunkWriter(writer);
        _insertDelivery = insertDelivery;
    }

    public Task<IReadOnlyList<StoredEvent>> AppendAsync(IReadOnlyList<EventDraft> drafts, CancellationToken cancellationToken) =>
        AppendAsync(drafts, [], cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> AppendAsync(IReadOnlyList<EventDraft> drafts, IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("the store is not open");
        var chunks = _chunks!;
        var stored = new StoredEvent[drafts.Count];
        long storedAt = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        using (var transaction = writer.BeginTransaction())
        {
            chunks.Write(AsSpan(drafts), _lastId + 1, stored, storedAt);
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
            _lastId += stored.Length;
        }

        return Task.FromResult<IReadOnlyList<StoredEvent>>(stored);
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT events FROM event_chunks WHERE last_id > $after");
        command.Parameters.AddWithValue("$after", query.AfterId);
        HashSet<string>? types = null;
        if (query.Types is { Count: > 0 })
        {
            types = new HashSet<string>(query.Types, StringComparer.Ordinal);
            sql.Append(" AND last_id IN (SELECT last_id FROM event_keys WHERE last_id > $after AND key IN (");
            int i = 0;
            foreach (var type in types)
            {
                sql.Append(i == 0 ? "$t0" : $", $t{i}");
                command.Parameters.AddWithValue($"$t{i}", EventKeys.OfType(type));
                i++;
            }

            sql.Append("))");
        }

        if (query.SessionId is not null)
        {
            sql.Append(" AND last_id IN (SELECT last_id FROM event_keys WHERE last_id > $after AND key = $session)");
            command.Parameters.AddWithValue("$session", EventKeys.OfSession(query.SessionId));
        }

        sql.Append(" ORDER BY last_id");
        command.CommandText = sql.ToString();

        var events = new List<StoredEvent>(Math.Min(query.Limit, 256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (events.Count < query.Limit && await reader.ReadAsync(cancellationToken))
        {
            foreach (var e in EventChunk.Decode(reader.GetFieldValue<byte[]>(0)))
            {
                if (e.Id > query.AfterId
                    && (types is null || types.Contains(e.Type))
                    && (query.SessionId is null || e.SessionId == query.SessionId)
                    && events.Count < query.Limit)
                {
                    events.Add(e);
                }
            }
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
        return await ScalarAsync(connection, EventStoreSchema.LastIdQuery, cancellationToken);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        return await ScalarAsync(connection, "SELECT coalesce(sum(last_id - first_id + 1), 0) FROM event_chunks", cancellationToken);
    }

    public async Task<long> PruneAsync(DateTimeOffset storedBefore, CancellationToken cancellationToken)
    {
        // Chunks are stored in id order, so the first one stored at or after the cutoff is found by a
        // short scan from the oldest, and everything below it goes, with its keys; deleting in slices
        // keeps each write transaction (which the pipeline's writer waits for) short.
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var boundary = connection.CreateCommand();
        boundary.CommandText = "SELECT coalesce((SELECT last_id FROM event_chunks WHERE stored_at >= $cutoff ORDER BY last_id LIMIT 1), (SELECT max(last_id) + 1 FROM event_chunks), 0)";
        boundary.Parameters.AddWithValue("$cutoff", storedBefore.ToUnixTimeMilliseconds());
        long firstKept = (long)(await boundary.ExecuteScalarAsync(cancellationToken))!;

        long deleted = 0;
        await using var slice = connection.CreateCommand();
        slice.CommandText = """
            SELECT coalesce(max(last_id), 0), coalesce(sum(last_id - first_id + 1), 0)
              FROM (SELECT last_id, first_id FROM event_chunks WHERE last_id < $below ORDER BY last_id LIMIT $slice)
            """;
        slice.Parameters.AddWithValue("$below", firstKept);
        slice.Parameters.AddWithValue("$slice", PruneChunks);
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM event_keys WHERE last_id <= $upTo; DELETE FROM event_chunks WHERE last_id <= $upTo";
        var upTo = delete.Parameters.Add("$upTo", SqliteType.Integer);
        while (true)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            slice.Transaction = delete.Transaction = transaction;
            long events;
            await using (var reader = await slice.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                upTo.Value = reader.GetInt64(0);
                events = reader.GetInt64(1);
            }

            if (events == 0)
            {
                break;
            }

            await delete.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            deleted += events;
        }

        // A delivery key only has to outlive its events: a redelivery after that stores nothing anyone still sees twice.
        await using var forget = connection.CreateCommand();
        forget.CommandText = "DELETE FROM delivered_spool WHERE stored_at < $cutoff";
        forget.Parameters.AddWithValue("$cutoff", storedBefore.ToUnixTimeMilliseconds());
        await forget.ExecuteNonQueryAsync(cancellationToken);
        return deleted;
    }

    public ValueTask DisposeAsync()
    {
        _chunks?.Dispose();
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


    private static ReadOnlySpan<EventDraft> AsSpan(IReadOnlyList<EventDraft> drafts) => drafts switch
    {
        EventDraft[] array => array,
        List<EventDraft> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
        _ => drafts.ToArray(),
    };

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
