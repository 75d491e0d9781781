using Microsoft.Extensions.Logging;

namespace Mpm.Monitor.SocketIO.Engine;

internal static partial class EngineLog
{
    [LoggerMessage(1, LogLevel.Debug, "Engine.IO connection {Sid} opened (EIO={Protocol}, transport {Transport})")]
    public static partial void Opened(ILogger logger, string sid, int protocol, string transport);

    [LoggerMessage(2, LogLevel.Debug, "Engine.IO connection {Sid} closed: {Reason}")]
    public static partial void Closed(ILogger logger, string sid, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Engine.IO connection {Sid} disconnected: its outgoing queue of {Capacity} packets overflowed (the client reads too slowly)")]
    public static partial void QueueOverflow(ILogger logger, string sid, int capacity);

    [LoggerMessage(4, LogLevel.Information, "Engine.IO connection {Sid} closed after a malformed packet: {Error}")]
    public static partial void Malformed(ILogger logger, string sid, string error);

    [LoggerMessage(5, LogLevel.Warning, "Engine.IO handshake refused: {Message}")]
    public static partial void HandshakeRefused(ILogger logger, string message);

    [LoggerMessage(6, LogLevel.Debug, "Engine.IO connection {Sid} upgraded to WebSocket")]
    public static partial void Upgraded(ILogger logger, string sid);

    [LoggerMessage(7, LogLevel.Warning, "Engine.IO connection {Sid}: the message handler failed")]
    public static partial void HandlerFailed(ILogger logger, string sid, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "Engine.IO connection {Sid} closed: a message of more than {MaxPayload} bytes was received")]
    public static partial void PayloadTooLarge(ILogger logger, string sid, long maxPayload);
}
