using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Mpm.Monitor.SocketIO;

/// <summary>What a socket's client sent when it connected.</summary>
public sealed class Handshake
{
    internal Handshake(IQueryCollection query, IHeaderDictionary headers, JsonElement? auth, IPAddress? remoteAddress, int engineProtocol, DateTimeOffset time)
    {
        Query = query;
        Headers = headers;
        Auth = auth;
        RemoteAddress = remoteAddress;
        EngineProtocol = engineProtocol;
        Time = time;
    }

    /// <summary>The query of the Engine.IO handshake request (for v3 clients, plus the namespace's own query).</summary>
    public IQueryCollection Query { get; }

    /// <summary>The headers of the Engine.IO handshake request.</summary>
    public IHeaderDictionary Headers { get; }

    /// <summary>The CONNECT packet's <c>auth</c> object (Socket.IO v5 clients); null for v3 clients, whose auth is the query.</summary>
    public JsonElement? Auth { get; }

    public IPAddress? RemoteAddress { get; }

    /// <summary>3 or 4.</summary>
    public int EngineProtocol { get; }

    public DateTimeOffset Time { get; }
}
