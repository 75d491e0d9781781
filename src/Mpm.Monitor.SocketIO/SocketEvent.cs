using System.Text.Json;

namespace Mpm.Monitor.SocketIO;

/// <summary>An event received from a client.</summary>
public sealed class SocketEvent
{
    private readonly int _ackId;
    private int _acknowledged;

    internal SocketEvent(Socket socket, string name, IReadOnlyList<JsonElement> args, IReadOnlyList<ReadOnlyMemory<byte>> attachments, int ackId)
    {
        Socket = socket;
        Name = name;
        Args = args;
        Attachments = attachments;
        _ackId = ackId;
    }

    public Socket Socket { get; }

    public string Name { get; }

    /// <summary>The arguments after the event name. Binary arguments appear as <c>{"_placeholder":true,"num":N}</c>, N indexing <see cref="Attachments"/>.</summary>
    public IReadOnlyList<JsonElement> Args { get; }

    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    /// <summary>Whether the client asked for an acknowledgement.</summary>
    public bool HasAck => _ackId >= 0;

    /// <summary>Sends the acknowledgement (once). Binary arguments become attachments, as for Emit.</summary>
    public ValueTask AckAsync(params object?[] args)
    {
        if (!HasAck)
            throw new InvalidOperationException($"The client did not ask for an acknowledgement of '{Name}'.");
        if (Interlocked.Exchange(ref _acknowledged, 1) != 0)
            throw new InvalidOperationException($"'{Name}' was already acknowledged.");
        Socket.SendAck(_ackId, args);
        return ValueTask.CompletedTask;
    }
}
