using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Mpm.Monitor.SocketIO;

/// <summary>Settings of the Socket.IO server; validated at start-up by <see cref="SocketIOServerOptionsValidator"/>.</summary>
public sealed class SocketIOServerOptions
{
    /// <summary>How often the server pings (Engine.IO v4) or expects the client's ping (v3).</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long a pong (v4) or the next ping (v3, on top of the interval) may take before the connection is closed.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Largest accepted POST body or WebSocket message, in bytes; larger ones close the connection (413 for polling).</summary>
    public long MaxPayload { get; set; } = 1_000_000;

    /// <summary>How long a new Engine.IO connection may go without joining a namespace before it is closed.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Accept Engine.IO v3 clients (socket.io-client 2.x), which speak Socket.IO protocol v4.</summary>
    public bool AllowEngineIO3 { get; set; } = true;

    /// <summary>
    /// Browser origins allowed besides the server's own. Requests from these get their origin echoed in
    /// Access-Control-Allow-Origin with credentials; requests carrying any other foreign Origin are refused
    /// with 403. Requests without an Origin header (non-browser clients) are accepted.
    /// </summary>
    public IList<string> AllowedOrigins { get; set; } = [];

    /// <summary>Most Engine.IO connections open at once; 0 means unlimited. Handshakes beyond it get 503.</summary>
    public int MaxConnections { get; set; }

    /// <summary>Capacity of each connection's outgoing queue; a connection whose queue overflows is closed.</summary>
    public int MaxQueuedMessages { get; set; } = 1024;

    /// <summary>
    /// Events per second each socket may send, on average; 0 means unlimited. Events beyond it are not
    /// dispatched: the namespace's <see cref="Namespace.OnRateLimited"/> handler gets them instead. A socket
    /// sending ten times faster than this (past ten times the burst) has its connection closed.
    /// </summary>
    public double InboundEventRate { get; set; }

    /// <summary>Events a socket may send at once, before <see cref="InboundEventRate"/> applies.</summary>
    public int InboundEventBurst { get; set; } = 200;

    /// <summary>Refuses an Engine.IO handshake with 403 <c>{"code":4,"message":"Forbidden"}</c> when it returns false.</summary>
    public Func<HttpContext, bool>? AllowRequest { get; set; }

    /// <summary>Serialises emitted arguments.</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);
}
