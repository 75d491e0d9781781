using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>
/// The Engine.IO endpoint: validates requests, answers CORS, performs handshakes and routes each
/// request to its session. What runs on top of a session comes from the handler factory.
/// </summary>
internal sealed class EngineServer
{
    private readonly ConcurrentDictionary<string, EngineConnection> _connections = new(StringComparer.Ordinal);
    private readonly Func<EngineConnection, HttpContext, IEngineHandler> _handlerFactory;
    private readonly HashSet<string> _allowedOrigins;
    private readonly ITimer _heartbeat;
    private readonly long _heartbeatGap;
    private readonly Lock _heartbeatLock = new();
    private long _heartbeatDue = long.MaxValue;
    private int _reserved;

    public EngineServer(SocketIOServerOptions options, ILogger logger, TimeProvider timeProvider, Func<EngineConnection, HttpContext, IEngineHandler> handlerFactory)
    {
        Options = options;
        Logger = logger;
        TimeProvider = timeProvider;
        _handlerFactory = handlerFactory;
        _allowedOrigins = new HashSet<string>(options.AllowedOrigins, StringComparer.OrdinalIgnoreCase);
        _heartbeatGap = (long)(HeartbeatGap(options).TotalSeconds * timeProvider.TimestampFrequency);
        _heartbeat = timeProvider.CreateTimer(static state => ((EngineServer)state!).OnHeartbeatTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public SocketIOServerOptions Options { get; }

    public ILogger Logger { get; }

    public TimeProvider TimeProvider { get; }

    public int ConnectionCount => _connections.Count;

    /// <summary>
    /// The least time between two runs of the heartbeat timer: sessions whose pings fall due that close
    /// together are served by one run (a ping leaves at most this late).
    /// </summary>
    internal static TimeSpan HeartbeatGap(SocketIOServerOptions options) =>
        TimeSpan.FromTicks(Math.Clamp(Math.Min(options.PingInterval.Ticks, options.PingTimeout.Ticks) / 4, TimeSpan.TicksPerMillisecond, 10 * TimeSpan.TicksPerMillisecond));

    public Task HandleRequestAsync(HttpContext context)
    {
        if (!ApplyCors(context))
            return WriteErrorAsync(context, EngineError.Forbidden);
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        // Parsed here rather than through Request.Query, whose parsed copy the request would keep for as
        // long as a WebSocket lives.
        var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value);
        var protocol = Value(query, "EIO") switch
        {
            "4" => 4,
            "3" when Options.AllowEngineIO3 => 3,
            _ => 0,
        };
        if (protocol == 0)
            return WriteErrorAsync(context, EngineError.UnsupportedProtocolVersion);
        var transport = Value(query, "transport");
        if (transport is not ("polling" or "websocket"))
            return WriteErrorAsync(context, EngineError.UnknownTransport);
        var webSocket = transport == "websocket";
        if (webSocket && !context.WebSockets.IsWebSocketRequest)
            return WriteErrorAsync(context, EngineError.BadRequest);

        var sid = Value(query, "sid");
        if (sid.Length == 0)
            return Handshake(context, protocol, webSocket, base64Only: protocol < 4 && Value(query, "b64") is "1" or "true");
        if (!_connections.TryGetValue(sid, out var connection) || connection.Protocol != protocol)
            return WriteErrorAsync(context, EngineError.UnknownSid);
        if (webSocket)
            return connection.RunWebSocketAsync(context, upgrade: true);
        if (HttpMethods.IsGet(context.Request.Method))
            return connection.HandlePollAsync(context);
        if (HttpMethods.IsPost(context.Request.Method))
            return connection.HandlePostAsync(context);
        return WriteErrorAsync(context, EngineError.BadRequest);

        static string Value(Dictionary<string, StringValues> query, string name) => query.TryGetValue(name, out var value) ? value.ToString() : "";
    }

    private Task Handshake(HttpContext context, int protocol, bool webSocket, bool base64Only)
    {
        if (!webSocket && !HttpMethods.IsGet(context.Request.Method))
            return WriteErrorAsync(context, EngineError.BadHandshakeMethod);
        if (Options.AllowRequest is { } allow && !allow(context))
        {
            EngineLog.HandshakeRefused(Logger, "refused by AllowRequest");
            return WriteErrorAsync(context, EngineError.Forbidden);
        }
        if (!TryReserve())
        {
            EngineLog.HandshakeRefused(Logger, $"{Options.MaxConnections} connections are open, the most allowed");
            return WriteErrorAsync(context, EngineError.TooManyConnections(Options.MaxConnections));
        }

        var connection = new EngineConnection(this, IdGenerator.New(), protocol, base64Only, webSocket);
        _connections[connection.Id] = connection;
        // A WebSocket session is opened before its socket is accepted: what is queued meanwhile goes out
        // once it is.
        connection.Open(_handlerFactory(connection, context), BuildOpenPacket(connection.Id, webSocket));
        EngineLog.Opened(Logger, connection.Id, protocol, connection.Transport);
        return webSocket ? connection.RunWebSocketAsync(context, upgrade: false) : connection.HandlePollAsync(context);
    }

    /// <summary>
    /// One timer serves every session's heartbeat (rather than one timer each): it is armed for the
    /// earliest moment a session needs a ping or a timeout check, and disarmed while there is none.
    /// A session whose next due moment comes earlier than the timer is armed for calls this.
    /// </summary>
    public void ScheduleHeartbeat(long due)
    {
        lock (_heartbeatLock)
        {
            if (due >= _heartbeatDue)
                return;
            _heartbeatDue = due;
            var delay = Math.Max(0, due - TimeProvider.GetTimestamp());
            _heartbeat.Change(TimeSpan.FromSeconds(delay / (double)TimeProvider.TimestampFrequency), Timeout.InfiniteTimeSpan);
        }
    }

    private void OnHeartbeatTick()
    {
        lock (_heartbeatLock)
            _heartbeatDue = long.MaxValue;
        var now = TimeProvider.GetTimestamp();
        var next = long.MaxValue;
        foreach (var (_, connection) in _connections)
            next = Math.Min(next, connection.OnHeartbeatTick(now));
        if (next != long.MaxValue)
            ScheduleHeartbeat(Math.Max(next, now + _heartbeatGap));
    }

    private bool TryReserve()
    {
        var reserved = Interlocked.Increment(ref _reserved);
        if (Options.MaxConnections == 0 || reserved <= Options.MaxConnections)
            return true;
        Interlocked.Decrement(ref _reserved);
        return false;
    }

    public void Remove(EngineConnection connection)
    {
        if (_connections.TryRemove(new KeyValuePair<string, EngineConnection>(connection.Id, connection)))
            Interlocked.Decrement(ref _reserved);
    }

    /// <summary>Ends every session, delivering what is queued first (used at shutdown).</summary>
    public void CloseAll(string reason)
    {
        foreach (var connection in _connections.Values)
            connection.Close(reason, CloseMode.Flush);
    }

    public static Task<WebSocket> AcceptAsync(HttpContext context) =>
        // Engine.IO pings already keep the connection alive; a second keep-alive would only cost timers.
        context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero });

    private byte[] BuildOpenPacket(string sid, bool webSocket)
    {
        using var stream = new MemoryStream();
        stream.WriteByte((byte)'0');
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("sid", sid);
            writer.WriteStartArray("upgrades");
            if (!webSocket)
                writer.WriteStringValue("websocket");
            writer.WriteEndArray();
            writer.WriteNumber("pingInterval", (long)Options.PingInterval.TotalMilliseconds);
            writer.WriteNumber("pingTimeout", (long)Options.PingTimeout.TotalMilliseconds);
            writer.WriteNumber("maxPayload", Options.MaxPayload);
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Requests without an Origin (non-browser clients) and same-origin requests pass. A foreign origin
    /// passes only when configured, and then gets CORS headers with credentials; any other is refused,
    /// which also stops cross-site WebSocket hijacking (browsers do not apply CORS to WebSockets).
    /// </summary>
    private bool ApplyCors(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return true;
        if (_allowedOrigins.Contains(origin))
        {
            var headers = context.Response.Headers;
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlAllowCredentials = "true";
            headers.Vary = "Origin";
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
                var requested = context.Request.Headers.AccessControlRequestHeaders;
                if (!StringValues.IsNullOrEmpty(requested))
                    headers.AccessControlAllowHeaders = requested;
                headers.AccessControlMaxAge = "86400";
            }
            return true;
        }
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    public static async Task WriteErrorAsync(HttpContext context, EngineError error)
    {
        if (context.Response.HasStarted)
            return;
        context.Response.StatusCode = error.StatusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"code":{{error.Code}},"message":{{JsonSerializer.Serialize(error.Message)}}}""");
    }
}
