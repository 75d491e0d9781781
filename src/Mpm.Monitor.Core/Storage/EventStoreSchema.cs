using Microsoft.Data.Sqlite;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Storage;

/// <summary>The SQLite event store's tables, and the upgrade of a database written by an earlier version.</summary>
internal static class EventStoreSchema
{
    // 0: a new database, or the first layout (a row per event in "events"); 2: chunks.
    private const int Version = 2;

    // AUTOINCREMENT makes sqlite_sequence remember the newest id ever stored, which pruning must not lower.
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS event_chunks (
            last_id   INTEGER PRIMARY KEY AUTOINCREMENT,
            first_id  INTEGER NOT NULL,
            stored_at INTEGER NOT NULL,
            events    BLOB    NOT NULL
        );
        CREATE TABLE IF NOT EXISTS event_keys (
            key     TEXT    NOT NULL,
            last_id INTEGER NOT NULL,
            PRIMARY KEY (key, last_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_event_keys_chunk ON event_keys (last_id);
        CREATE TABLE IF NOT EXISTS delivered_spool (
            spool_id   TEXT    PRIMARY KEY,
            first_id   INTEGER NOT NULL,
            count      INTEGER NOT NULL,
            stored_at  INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    /// <summary>The newest id ever stored, 0 for none (pruning does not lower it).</summary>
    public const string LastIdQuery = "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'event_chunks'), 0)";

    /// <summary>Creates the tables, or brings an older database's events over into them, in one transaction.</summary>
    public static void Apply(SqliteConnection connection)
    {
        if (Scalar(connection, "PRAGMA user_version") == Version)
        {
            return;
        }

        // Plain BEGIN and COMMIT, so the chunk writer's own statements run inside the same transaction.
        Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            Execute(connection, Tables);
            if (Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'") == 1)
            {
                MoveRowsIntoChunks(connection);
            }

            Execute(connection, $"PRAGMA user_version = {Version}");
            Execute(connection, "COMMIT");
        }
        catch
        {
            Execute(connection, "ROLLBACK");
            throw;
        }
    }

    private static void MoveRowsIntoChunks(SqliteConnection connection)
    {
        using (var writer = new EventChunkWriter(connection))
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT id, type, ts, session_id, stored_at, payload FROM events ORDER BY id";
            using var rows = read.ExecuteReader();
            var chunk = new List<StoredEvent>(EventChunkWriter.MaxEvents);
            long chunkStoredAt = 0;
            while (rows.Read())
            {
                long storedAt = rows.GetInt64(4);
                if (chunk.Count == EventChunkWriter.MaxEvents || (chunk.Count > 0 && storedAt != chunkStoredAt))
                {
                    writer.Write(chunk.ToArray(), chunkStoredAt);
                    chunk.Clear();
                }

                chunkStoredAt = storedAt;
                chunk.Add(new StoredEvent(
                    rows.GetInt64(0),
                    rows.GetString(1),
                    DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(2)),
                    rows.IsDBNull(3) ? null : rows.GetString(3),
                    rows.GetFieldValue<byte[]>(5)));
            }

            if (chunk.Count > 0)
            {
                writer.Write(chunk.ToArray(), chunkStoredAt);
            }
        }

        long newest = Scalar(connection, "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)");
        Execute(connection, $"""
            DROP TABLE events;
            DELETE FROM sqlite_sequence WHERE name = 'events';
            UPDATE sqlite_sequence SET seq = max(seq, {newest}) WHERE name = 'event_chunks';
            INSERT INTO sqlite_sequence (name, seq) SELECT 'event_chunks', {newest} WHERE {newest} > 0 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'event_chunks');
            """);
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
