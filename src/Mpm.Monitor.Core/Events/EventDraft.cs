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
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(id, digits, out int digitCount);
        var payload = new byte[IdPrefix.Length + digitCount + _bodyWithoutId.Length];
        IdPrefix.CopyTo(payload);
        digits[..digitCount].CopyTo(payload.AsSpan(IdPrefix.Length));
        payload[IdPrefix.Length + digitCount] = (byte)',';
        _bodyWithoutId.AsSpan(1).CopyTo(payload.AsSpan(IdPrefix.Length + digitCount + 1));
        return payload;
    }

    /// <summary>The stored form, with the id the store assigned.</summary>
    public StoredEvent ToStoredEvent(long id) => new(id, Type, Timestamp, SessionId, Serialize(id));
}
