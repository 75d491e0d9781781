using System.Buffers.Text;

namespace Mpm.Monitor.Core.Events;

/// <summary>
/// A validated event waiting for its id. The envelope and data are already serialised (on the
/// publisher's thread, not the writer's); the store only splices the id in front when it assigns one.
/// </summary>
public sealed class EventDraft
{
    private static ReadOnlySpan<byte> IdPrefix => "{\"id\":"u8;

    // The serialised object without its id: starts with '{' followed by "type", so the id goes
    // between the brace and the rest.
    private readonly byte[] _bodyWithoutId;

    internal EventDraft(string type, DateTimeOffset timestamp, string? sessionId, byte[] bodyWithoutId)
    {
        Type = type;
        Timestamp = timestamp;
        SessionId = sessionId;
        _bodyWithoutId = bodyWithoutId;
    }

    public string Type { get; }

    public DateTimeOffset Timestamp { get; }

    public string? SessionId { get; }

    /// <summary>Upper bound of the stored payload's size in bytes, whatever the id.</summary>
    internal int MaxPayloadLength => _bodyWithoutId.Length + IdPrefix.Length + 20;

    /// <summary>The event's one serialisation, with the id the store assigned.</summary>
    public byte[] Serialize(long id)
    {
        var payload = new byte[PayloadLength(id)];
        WritePayload(id, payload);
        return payload;
    }

    /// <summary>The length of <see cref="Serialize"/>'s bytes for <paramref name="id"/>.</summary>
    internal int PayloadLength(long id) => IdPrefix.Length + DigitCount(id) + _bodyWithoutId.Length;

    /// <summary>Writes <see cref="Serialize"/>'s bytes into <paramref name="destination"/>; returns their length.</summary>
    internal int WritePayload(long id, Span<byte> destination)
    {
        IdPrefix.CopyTo(destination);
        Utf8Formatter.TryFormat(id, destination[IdPrefix.Length..], out int digits);
        int at = IdPrefix.Length + digits;
        destination[at++] = (byte)',';
        _bodyWithoutId.AsSpan(1).CopyTo(destination[at..]);
        return at + _bodyWithoutId.Length - 1;
    }

    /// <summary>The stored form: the id the store assigned and the bytes <see cref="WritePayload"/> wrote for it.</summary>
    public StoredEvent ToStoredEvent(long id, ReadOnlyMemory<byte> payload) => new(id, Type, Timestamp, SessionId, payload);

    private static int DigitCount(long id)
    {
        int digits = 1;
        for (; id >= 10; id /= 10)
        {
            digits++;
        }

        return digits;
    }
}
