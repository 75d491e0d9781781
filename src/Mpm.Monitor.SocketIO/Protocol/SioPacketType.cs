namespace Mpm.Monitor.SocketIO.Protocol;

/// <summary>Socket.IO packet types (the digit after the Engine.IO message type).</summary>
internal enum SioPacketType : byte
{
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
}
