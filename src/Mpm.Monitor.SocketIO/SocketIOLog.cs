using Microsoft.Extensions.Logging;

namespace Mpm.Monitor.SocketIO;

internal static partial class SocketIOLog
{
    [LoggerMessage(101, LogLevel.Debug, "Socket {SocketId} connected to {Namespace}")]
    public static partial void Connected(ILogger logger, string socketId, string @namespace);

    [LoggerMessage(102, LogLevel.Debug, "Socket {SocketId} left {Namespace}: {Reason}")]
    public static partial void Disconnected(ILogger logger, string socketId, string @namespace, string reason);

    [LoggerMessage(103, LogLevel.Information, "Connection to {Namespace} refused: {Message}")]
    public static partial void Rejected(ILogger logger, string @namespace, string message);

    [LoggerMessage(104, LogLevel.Error, "A handler of {Namespace} failed for socket {SocketId}; its connection is closed")]
    public static partial void HandlerFailed(ILogger logger, string @namespace, string socketId, Exception exception);

    [LoggerMessage(105, LogLevel.Warning, "Socket {SocketId} of {Namespace} sent events faster than its handlers run ({Limit} waiting); its connection is closed")]
    public static partial void InboundOverflow(ILogger logger, string socketId, string @namespace, int limit);

    [LoggerMessage(106, LogLevel.Information, "Engine.IO connection {Sid} joined no namespace within the connect timeout; closed")]
    public static partial void ConnectTimeout(ILogger logger, string sid);

    [LoggerMessage(107, LogLevel.Error, "A middleware of {Namespace} failed; the connection is refused")]
    public static partial void MiddlewareFailed(ILogger logger, string @namespace, Exception exception);

    [LoggerMessage(108, LogLevel.Warning, "A disconnect handler of {Namespace} failed for socket {SocketId}")]
    public static partial void DisconnectHandlerFailed(ILogger logger, string @namespace, string socketId, Exception exception);

    [LoggerMessage(109, LogLevel.Warning, "Socket {SocketId} of {Namespace} sent events at more than {Rate} per second; its connection is closed")]
    public static partial void Flooding(ILogger logger, string socketId, string @namespace, double rate);

    [LoggerMessage(110, LogLevel.Warning, "The rate-limited handler of {Namespace} failed for socket {SocketId}")]
    public static partial void RateLimitedHandlerFailed(ILogger logger, string @namespace, string socketId, Exception exception);
}
