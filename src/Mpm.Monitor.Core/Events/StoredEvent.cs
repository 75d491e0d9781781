namespace Mpm.Monitor.Core.Events;

/// <summary>
/// An event as the store keeps it. <see cref="Payload"/> is the one UTF-8 JSON serialisation of the
/// whole flat event (envelope and data); the store, the HTTP API and broadcasters all send these
/// bytes verbatim, so an event is never serialised twice.
/// </summary>
public sealed class StoredEvent
{
    public StoredEvent(long id, string type, DateTimeOffset timestamp, string? sessionId, ReadOnlyMemory<byte> payload)
    {
        Id = id;
        Type = type;
        Timestamp = timestamp;
        SessionId = sessionId;
        Payload = payload;
    }

    public long Id { get; }

    public string Type { get; }

    public DateTimeOffset Timestamp { get; }

    public string? SessionId { get; }

    /// <summary>The flat JSON object, e.g. <c>{"id":7,"type":"agent_activity",...}</c>.</summary>
    public ReadOnlyMemory<byte> Payload { get; }
}
