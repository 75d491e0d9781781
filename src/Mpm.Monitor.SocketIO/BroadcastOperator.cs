using Mpm.Monitor.SocketIO.Engine;
using Mpm.Monitor.SocketIO.Protocol;

namespace Mpm.Monitor.SocketIO;

/// <summary>
/// A broadcast target: a namespace narrowed to rooms and minus excluded rooms. Immutable; each
/// To/Except returns a new operator. Emit encodes the packet once and queues the same bytes to
/// every target socket without waiting for any of them.
/// </summary>
public sealed class BroadcastOperator
{
    private readonly Namespace _namespace;
    private readonly string[] _rooms;
    private readonly string[] _except;
    private readonly Socket? _exceptSocket;

    internal BroadcastOperator(Namespace @namespace, string[] rooms, string[] except, Socket? exceptSocket = null)
    {
        _namespace = @namespace;
        _rooms = rooms;
        _except = except;
        _exceptSocket = exceptSocket;
    }

    /// <summary>Narrows to sockets in this room (several To calls: sockets in any of them).</summary>
    public BroadcastOperator To(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        return new(_namespace, [.. _rooms, room], _except, _exceptSocket);
    }

    /// <summary>Leaves out the sockets in this room.</summary>
    public BroadcastOperator Except(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        return new(_namespace, _rooms, [.. _except, room], _exceptSocket);
    }

    public void Emit(string eventName, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        Deliver(SioPacketEncoder.Event(_namespace.Name, eventName, args, _namespace.Server.Options.JsonSerializerOptions));
    }

    /// <summary>
    /// Emits an event whose single argument is already-serialised JSON (written verbatim, not validated):
    /// the packet is built once and the same bytes go to every target, whatever its transport or protocol.
    /// </summary>
    public void EmitRaw(string eventName, ReadOnlyMemory<byte> utf8JsonArgument)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        Deliver(SioPacketEncoder.RawEvent(_namespace.Name, eventName, utf8JsonArgument.Span));
    }

    internal void Deliver(OutboundPacket packet)
    {
        HashSet<Socket>? excluded = null;
        if (_except.Length > 0)
        {
            excluded = [];
            foreach (var room in _except)
                excluded.UnionWith(_namespace.Rooms.Members(room));
        }

        if (_rooms.Length == 0)
        {
            foreach (var socket in _namespace.ConnectedSockets)
                SendTo(socket, packet, excluded);
        }
        else if (_rooms.Length == 1)
        {
            foreach (var socket in _namespace.Rooms.Members(_rooms[0]))
                SendTo(socket, packet, excluded);
        }
        else
        {
            HashSet<Socket> seen = [];
            foreach (var room in _rooms)
                foreach (var socket in _namespace.Rooms.Members(room))
                    if (seen.Add(socket))
                        SendTo(socket, packet, excluded);
        }
    }

    private void SendTo(Socket socket, OutboundPacket packet, HashSet<Socket>? excluded)
    {
        if (socket != _exceptSocket && excluded?.Contains(socket) != true)
            socket.Send(packet);
    }
}
