using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Mpm.Monitor.SocketIO;

/// <summary>What a socket's client sent when it connected.</summary>
public sealed class Handshake
{
    private readonly HandshakeRequest _request;
    private readonly string _namespaceQuery;

    internal Handshake(HandshakeRequest request, string namespaceQuery, JsonElement? auth)
    {
        _request = request;
        _namespaceQuery = namespaceQuery;
        Auth = auth;
    }

    /// <summary>
    /// The query of the Engine.IO handshake request (for v3 clients, plus the namespace's own query).
    /// Parsed on each access from the raw query string the socket keeps: read it once for several values.
    /// </summary>
    public IQueryCollection Query => _request.ParseQuery(_namespaceQuery);

    /// <summary>
    /// The headers of the Engine.IO handshake request: a read-only copy made on each access from the
    /// header values the socket keeps, so read it once for several headers.
    /// </summary>
    public IHeaderDictionary Headers => _request.CopyHeaders();

    /// <summary>The CONNECT packet's <c>auth</c> object (Socket.IO v5 clients); null for v3 clients, whose auth is the query.</summary>
    public JsonElement? Auth { get; }

    public IPAddress? RemoteAddress => _request.RemoteAddress;

    /// <summary>3 or 4.</summary>
    public int EngineProtocol => _request.EngineProtocol;

    public DateTimeOffset Time => _request.Time;
}
