namespace Mpm.Monitor.Security;

internal static partial class SecurityLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request for Host '{Host}': not a loopback name (DNS-rebinding protection)")]
    public static partial void HostRefused(ILogger logger, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request from Origin '{Origin}' to {Path}: not an allowed origin")]
    public static partial void OriginRefused(ILogger logger, string origin, PathString path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path} without a valid token (token presented: {TokenPresented})")]
    public static partial void Unauthorized(ILogger logger, string method, PathString path, bool tokenPresented);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a Socket.IO connection from {Remote} (token presented: {TokenPresented})")]
    public static partial void SocketUnauthorized(ILogger logger, string remote, bool tokenPresented);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket {SocketId}: '{Event}' refused by the rate limit")]
    public static partial void RateLimited(ILogger logger, string socketId, string @event);
}
