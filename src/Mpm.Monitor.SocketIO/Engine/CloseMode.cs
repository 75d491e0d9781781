namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>How a connection ends.</summary>
internal enum CloseMode
{
    /// <summary>Server-initiated: deliver what is queued, then a close packet (polling) or a close frame (WebSocket).</summary>
    Flush,

    /// <summary>The client left or timed out: a pending poll gets a noop; queued packets are dropped.</summary>
    Quiet,

    /// <summary>Protocol violation or overflow: drop everything and abort the transport.</summary>
    Abort,
}
