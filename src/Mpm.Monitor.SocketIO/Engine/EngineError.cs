namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>The standard Engine.IO error bodies, <c>{"code":N,"message":"..."}</c>.</summary>
internal sealed record EngineError(int Code, string Message, int StatusCode)
{
    public static readonly EngineError UnknownTransport = new(0, "Transport unknown", 400);
    public static readonly EngineError UnknownSid = new(1, "Session ID unknown", 400);
    public static readonly EngineError BadHandshakeMethod = new(2, "Bad handshake method", 400);
    public static readonly EngineError BadRequest = new(3, "Bad request", 400);
    public static readonly EngineError Forbidden = new(4, "Forbidden", 403);
    public static readonly EngineError UnsupportedProtocolVersion = new(5, "Unsupported protocol version", 400);
    public static readonly EngineError PayloadTooLarge = new(3, "Payload too large", 413);

    public static EngineError TooManyConnections(int max) =>
        new(3, $"Too many connections: the server accepts at most {max}", 503);
}
