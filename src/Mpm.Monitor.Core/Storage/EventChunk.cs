using System.Text.Json;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Storage;

/// <summary>
/// How consecutive events are kept in one row: a JSON array of their payloads, in id order. These
/// are the bytes the API serves, so events read back without conversion (each payload is a slice of
/// the chunk), and a chunk can be read with the sqlite3 shell.
/// </summary>
internal static class EventChunk
{
    public static byte[] Encode(ReadOnlySpan<StoredEvent> events)
    {
        // '[' and ']' plus a ',' between events.
        int length = events.Length + 1;
        foreach (var e in events)
        {
            length += e.Payload.Length;
        }

        var chunk = new byte[length];
        chunk[0] = (byte)'[';
        int at = 1;
        for (int i = 0; i < events.Length; i++)
        {
            if (i > 0)
            {
                chunk[at++] = (byte)',';
            }

            events[i].Payload.Span.CopyTo(chunk.AsSpan(at));
            at += events[i].Payload.Length;
        }

        chunk[at] = (byte)']';
        return chunk;
    }

    /// <summary>The chunk's events; the envelope fields come from each payload, which leads with them.</summary>
    public static List<StoredEvent> Decode(byte[] chunk)
    {
        var events = new List<StoredEvent>();
        var reader = new Utf8JsonReader(chunk);
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int start = (int)reader.TokenStartIndex;
            long id = 0;
            string? type = null, sessionId = null;
            DateTimeOffset timestamp = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = reader.GetString();
                }
                else if (reader.ValueTextEquals("timestamp"u8))
                {
                    reader.Read();
                    Expect(EventTimestamp.TryParse(reader.GetString(), out timestamp));
                }
                else if (reader.ValueTextEquals("session_id"u8))
                {
                    reader.Read();
                    sessionId = reader.GetString();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            Expect(id > 0 && type is not null);
            int end = (int)reader.BytesConsumed;
            events.Add(new StoredEvent(id, type!, timestamp, sessionId, chunk.AsMemory(start, end - start)));
        }

        return events;
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new InvalidDataException("a stored chunk of events is not the JSON array of events the store writes");
        }
    }
}
