using Mpm.Monitor.SocketIO.Engine;

namespace ConformanceHost;

/// <summary>The engine.io suite's reference server: every message is sent back as it came (text or binary).</summary>
internal sealed class EngineEcho(EngineConnection connection) : IEngineHandler
{
    public void OnOpen()
    {
    }

    public void OnMessage(ReadOnlyMemory<byte> data, bool binary) =>
        connection.Send(binary ? OutboundPacket.Binary(data.ToArray()) : OutboundPacket.Message(data.Span));

    public void OnClose(string reason)
    {
    }
}
