namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>What sits on top of one Engine.IO connection (Socket.IO, or a bare echo for the conformance suite).</summary>
internal interface IEngineHandler
{
    /// <summary>Called once the open packet is queued.</summary>
    void OnOpen();

    /// <summary>
    /// One received message packet. <paramref name="data"/> is only valid during the call.
    /// Throwing closes the connection with a parse error.
    /// </summary>
    void OnMessage(ReadOnlyMemory<byte> data, bool binary);

    void OnClose(string reason);
}
