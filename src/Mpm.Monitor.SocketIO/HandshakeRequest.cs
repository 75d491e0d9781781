using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Mpm.Monitor.SocketIO;

/// <summary>
/// What a connection keeps of its Engine.IO handshake request (the request object is recycled): the raw
/// query string and the header pairs as Kestrel parsed them, shared by the connection's sockets. The
/// collections <see cref="Handshake"/> exposes are built from them on demand, so an idle socket holds no
/// dictionaries.
/// </summary>
internal sealed class HandshakeRequest
{
    private readonly string _query;
    private readonly KeyValuePair<string, StringValues>[] _headers;

    public HandshakeRequest(HttpContext context, int engineProtocol, DateTimeOffset time)
    {
        _query = context.Request.QueryString.Value ?? "";
        var headers = context.Request.Headers;
        _headers = new KeyValuePair<string, StringValues>[headers.Count];
        headers.CopyTo(_headers, 0); // no enumerator: Kestrel would keep one cached for the request's lifetime
        // Through the feature rather than context.Connection, whose wrapper the request would keep.
        RemoteAddress = context.Features.Get<IHttpConnectionFeature>()?.RemoteIpAddress;
        EngineProtocol = engineProtocol;
        Time = time;
    }

    public IPAddress? RemoteAddress { get; }

    public int EngineProtocol { get; }

    public DateTimeOffset Time { get; }

    /// <summary>The handshake query, with <paramref name="namespaceQuery"/> (a v3 client's <c>/nsp?a=b</c>) overriding it.</summary>
    public IQueryCollection ParseQuery(string namespaceQuery)
    {
        var query = QueryHelpers.ParseQuery(_query);
        if (namespaceQuery.Length > 0)
            foreach (var (key, value) in QueryHelpers.ParseQuery(namespaceQuery))
                query[key] = value;
        return new QueryCollection(query);
    }

    public IHeaderDictionary CopyHeaders()
    {
        var headers = new HeaderDictionary(_headers.Length);
        foreach (var (name, value) in _headers)
            headers[name] = value;
        headers.IsReadOnly = true;
        return headers;
    }
}
