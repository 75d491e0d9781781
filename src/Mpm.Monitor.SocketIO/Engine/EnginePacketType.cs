namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>Engine.IO packet types (the first character of a text packet).</summary>
internal enum EnginePacketType : byte
{
    Open = 0,
    Close = 1,
    Ping = 2,
    Pong = 3,
    Message = 4,
    Upgrade = 5,
    Noop = 6,
}
