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
    /// <summary>
    /// Serialises the drafts with consecutive ids from <paramref name="firstId"/> straight into a new
    /// chunk and fills <paramref name="stored"/> with the events, whose payloads are slices of it.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<EventDraft> drafts, long firstId, Span<StoredEvent> stored)
    {
        int length = 0;
        for (int i = 0; i < drafts.Length; i++)
        {
            length += drafts[i].PayloadLength(firstId + i);
        }

        var chunk = NewArray(length, drafts.Length);
        int at = 1;
        for (int i = 0; i < drafts.Length; i++)
        {
            at = Separate(chunk, at, i);
            int written = drafts[i].WritePayload(firstId + i, chunk.AsSpan(at));
            stored[i] = drafts[i].ToStoredEvent(firstId + i, chunk.AsMemory(at, written));
            at += written;
        }

        return chunk;
    }

    /// <summary>A chunk of events already serialised (an older database's rows).</summary>
    public static byte[] Encode(ReadOnlySpan<StoredEvent> events)
    {
        int length = 0;
        foreach (var e in events)
        {
            length += e.Payload.Length;
        }

        var chunk = NewArray(length, events.Length);
        int at = 1;
        for (int i = 0; i < events.Length; i++)
        {
            at = Separate(chunk, at, i);
            events[i].Payload.Span.CopyTo(chunk.AsSpan(at));
            at += events[i].Payload.Length;
        }

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

    /// <summary>An array of <paramref name="count"/> payloads' <paramref name="payloadBytes"/>, with its brackets already in place.</summary>
    private static byte[] NewArray(int payloadBytes, int count)
    {
        // '[' and ']', and a ',' between two events.
        var chunk = new byte[payloadBytes + count + 1];
        chunk[0] = (byte)'[';
        chunk[^1] = (byte)']';
        return chunk;
    }

    /// <summary>Where the event at <paramref name="index"/> starts: after the ',' that follows the one before it.</summary>
    private static int Separate(byte[] chunk, int at, int index)
    {
        if (index > 0)
        {
            chunk[at++] = (byte)',';
        }

        return at;
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new InvalidDataException("a stored chunk of events is not the JSON array of events the store writes");
        }
    }
}
