using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
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
    private static readonly TimeSpan OpenPacketDelay = TimeSpan.FromMilliseconds(2);
    private int _reserved;

    public EngineServer(SocketIOServerOptions options, ILogger logger, TimeProvider timeProvider, Func<EngineConnection, HttpContext, IEngineHandler> handlerFactory)
    {
        Options = options;
        Logger = logger;
        TimeProvider = timeProvider;
        _handlerFactory = handlerFactory;
        _allowedOrigins = new HashSet<string>(options.AllowedOrigins, StringComparer.OrdinalIgnoreCase);
    }

    public SocketIOServerOptions Options { get; }

    public ILogger Logger { get; }

    public TimeProvider TimeProvider { get; }

    public int ConnectionCount => _connections.Count;

    public async Task HandleRequestAsync(HttpContext context)
    {
        if (!ApplyCors(context))
        {
            await WriteErrorAsync(context, EngineError.Forbidden);
            return;
        }
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var query = context.Request.Query;
        var protocol = query["EIO"].ToString() switch
        {
            "4" => 4,
            "3" when Options.AllowEngineIO3 => 3,
            _ => 0,
        };
        if (protocol == 0)
        {
            await WriteErrorAsync(context, EngineError.UnsupportedProtocolVersion);
            return;
        }
        var transport = query["transport"].ToString();
        if (transport is not ("polling" or "websocket"))
        {
            await WriteErrorAsync(context, EngineError.UnknownTransport);
            return;
        }
        var webSocket = transport == "websocket";
        if (webSocket && !context.WebSockets.IsWebSocketRequest)
        {
            await WriteErrorAsync(context, EngineError.BadRequest);
            return;
        }

        var sid = query["sid"].ToString();
        if (sid.Length == 0)
        {
            await HandshakeAsync(context, protocol, webSocket);
            return;
        }
        if (!_connections.TryGetValue(sid, out var connection) || connection.Protocol != protocol)
        {
            await WriteErrorAsync(context, EngineError.UnknownSid);
            return;
        }
        if (webSocket)
            await connection.UpgradeAsync(await AcceptAsync(context));
        else if (HttpMethods.IsGet(context.Request.Method))
            await connection.HandlePollAsync(context);
        else if (HttpMethods.IsPost(context.Request.Method))
            await connection.HandlePostAsync(context);
        else
            await WriteErrorAsync(context, EngineError.BadRequest);
    }

    private async Task HandshakeAsync(HttpContext context, int protocol, bool webSocket)
    {
        if (!webSocket && !HttpMethods.IsGet(context.Request.Method))
        {
            await WriteErrorAsync(context, EngineError.BadHandshakeMethod);
            return;
        }
        if (Options.AllowRequest is { } allow && !allow(context))
        {
            EngineLog.HandshakeRefused(Logger, "refused by AllowRequest");
            await WriteErrorAsync(context, EngineError.Forbidden);
            return;
        }
        if (!TryReserve())
        {
            EngineLog.HandshakeRefused(Logger, $"{Options.MaxConnections} connections are open, the most allowed");
            await WriteErrorAsync(context, EngineError.TooManyConnections(Options.MaxConnections));
            return;
        }

        var base64Only = protocol < 4 && query(context, "b64") is "1" or "true";
        var connection = new EngineConnection(this, IdGenerator.New(), protocol, base64Only, webSocket);
        _connections[connection.Id] = connection;
        WebSocket? socket = null;
        if (webSocket)
        {
            try
            {
                socket = await AcceptAsync(context);
            }
            catch
            {
                Remove(connection);
                throw;
            }
        }
        if (socket is not null)
        {
            // Clients that attach their message listener when the WebSocket "open" event fires (node's
            // ws, as the official suites use it) miss a first frame that shares a TCP segment with the
            // 101 response; a moment's pause keeps the open packet in a segment of its own.
            await Task.Delay(OpenPacketDelay, TimeProvider);
        }
        connection.Open(_handlerFactory(connection, context), BuildOpenPacket(connection.Id, webSocket));
        EngineLog.Opened(Logger, connection.Id, protocol, connection.Transport);
        if (socket is not null)
            await connection.RunWebSocketAsync(socket);
        else
            await connection.HandlePollAsync(context);

        static string query(HttpContext context, string name) => context.Request.Query[name].ToString();
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

    private static Task<WebSocket> AcceptAsync(HttpContext context) =>
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
