namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>Why an Engine.IO connection closed; the strings are socket.io's disconnect reasons.</summary>
internal static class CloseReason
{
    public const string TransportClose = "transport close";
    public const string TransportError = "transport error";
    public const string PingTimeout = "ping timeout";
    public const string ParseError = "parse error";
    public const string ForcedClose = "forced close";
    public const string ServerDisconnect = "forced server close";
    public const string QueueOverflow = "queue overflow";
    public const string RateLimitExceeded = "rate limit exceeded";
    public const string ServerShuttingDown = "server shutting down";
}
