using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Mpm.Monitor.SocketIO.Engine;
using Mpm.Monitor.SocketIO.Protocol;

namespace Mpm.Monitor.SocketIO;

/// <summary>
/// Socket.IO on one Engine.IO connection: decodes packets (reassembling binary ones), multiplexes
/// namespaces, and enforces the connect timeout. Engine.IO v3 connections speak Socket.IO v4: they are
/// connected to "/" implicitly and their CONNECT_ERROR payload is a plain string.
/// </summary>
internal sealed class SioConnection : IEngineHandler
{
    private static readonly JsonElement EmptyAuth = JsonDocument.Parse("{}").RootElement;

    private readonly SocketIOServer _server;
    private readonly Dictionary<string, Socket> _sockets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly IQueryCollection _query;
    private readonly IHeaderDictionary _headers;
    private readonly System.Net.IPAddress? _remoteAddress;
    private readonly DateTimeOffset _time;
    private SioPacket? _binaryPacket;
    private List<ReadOnlyMemory<byte>>? _attachments;
    private ITimer? _connectTimer;
    private bool _everConnected;

    public SioConnection(SocketIOServer server, EngineConnection engine, HttpContext context)
    {
        _server = server;
        Engine = engine;
        // The request object is recycled after the handshake, so keep copies.
        _query = new QueryCollection(context.Request.Query.ToDictionary(static q => q.Key, static q => q.Value, StringComparer.Ordinal));
        var headers = new HeaderDictionary();
        foreach (var header in context.Request.Headers)
            headers[header.Key] = header.Value;
        _headers = headers;
        _remoteAddress = context.Connection.RemoteIpAddress;
        _time = server.TimeProvider.GetUtcNow();
    }

    public EngineConnection Engine { get; }

    private int SocketIOProtocol => Engine.Protocol >= 4 ? 5 : 4;

    public void OnOpen()
    {
        if (Engine.Protocol < 4)
        {
            Connect(new SioPacket(SioPacketType.Connect, "/", -1, 0, null, ""));
            return;
        }
        _connectTimer = _server.TimeProvider.CreateTimer(static state => ((SioConnection)state!).OnConnectTimeout(), this, _server.Options.ConnectTimeout, Timeout.InfiniteTimeSpan);
    }

    private void OnConnectTimeout()
    {
        lock (_lock)
            if (_everConnected)
                return;
        SocketIOLog.ConnectTimeout(_server.Logger, Engine.Id);
        Engine.Close(CloseReason.ForcedClose, CloseMode.Quiet);
    }

    public void OnMessage(ReadOnlyMemory<byte> data, bool binary)
    {
        if (binary)
        {
            if (_binaryPacket is null || _attachments is null)
                throw new FormatException("binary attachment without a packet announcing it");
            _attachments.Add(data.ToArray());
            if (_attachments.Count < _binaryPacket.AttachmentCount)
                return;
            var packet = _binaryPacket;
            var attachments = _attachments;
            _binaryPacket = null;
            _attachments = null;
            Dispatch(packet, attachments);
            return;
        }
        if (_binaryPacket is not null)
            throw new FormatException($"expected {_binaryPacket.AttachmentCount - _attachments!.Count} more binary attachment(s)");
        var parsed = SioPacketParser.Parse(data.Span);
        if (parsed.AttachmentCount > 0)
        {
            _binaryPacket = parsed;
            _attachments = new List<ReadOnlyMemory<byte>>(parsed.AttachmentCount);
            return;
        }
        Dispatch(parsed, []);
    }

    private void Dispatch(SioPacket packet, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        if (packet.Type == SioPacketType.Connect)
        {
            Connect(packet);
            return;
        }
        Socket? socket;
        lock (_lock)
            _sockets.TryGetValue(packet.Namespace, out socket);
        if (socket is null)
            return; // a packet for a namespace this client has not joined is ignored, as socket.io does
        switch (packet.Type)
        {
            case SioPacketType.Disconnect:
                socket.Detach("client namespace disconnect");
                break;
            case SioPacketType.Event or SioPacketType.BinaryEvent:
                socket.DispatchEvent(packet, attachments);
                break;
            case SioPacketType.Ack or SioPacketType.BinaryAck:
                socket.ResolveAck(packet);
                break;
        }
    }

    private void Connect(SioPacket packet)
    {
        if (!_server.TryGetNamespace(packet.Namespace, out var ns))
        {
            Engine.Send(SioPacketEncoder.ConnectError(packet.Namespace, "Invalid namespace", null, SocketIOProtocol, _server.Options.JsonSerializerOptions));
            return;
        }
        var auth = SocketIOProtocol >= 5 ? packet.Payload ?? EmptyAuth : (JsonElement?)null;
        var handshake = new Handshake(QueryFor(packet), _headers, auth, _remoteAddress, Engine.Protocol, _time);
        Socket socket;
        lock (_lock)
        {
            if (Engine.IsClosed || _sockets.ContainsKey(ns.Name))
                return;
            socket = new Socket(this, ns, handshake);
            _sockets[ns.Name] = socket;
        }
        socket.Enqueue(() => CompleteConnectAsync(ns, socket));
    }

    private IQueryCollection QueryFor(SioPacket packet)
    {
        if (packet.Query.Length == 0)
            return _query;
        var merged = _query.ToDictionary(static q => q.Key, static q => q.Value, StringComparer.Ordinal);
        foreach (var (key, value) in QueryHelpers.ParseQuery(packet.Query))
            merged[key] = value;
        return new QueryCollection(merged);
    }

    private async ValueTask CompleteConnectAsync(Namespace ns, Socket socket)
    {
        var context = new SocketConnectingContext(socket);
        try
        {
            foreach (var middleware in ns.Middleware)
            {
                await middleware(context);
                if (context.RejectMessage is not null)
                    break;
            }
        }
        catch (Exception e)
        {
            SocketIOLog.MiddlewareFailed(_server.Logger, ns.Name, e);
            context.Reject("Internal server error");
        }
        if (context.RejectMessage is { } message)
        {
            SocketIOLog.Rejected(_server.Logger, ns.Name, message);
            Remove(socket);
            Engine.Send(SioPacketEncoder.ConnectError(ns.Name, message, context.RejectData, SocketIOProtocol, _server.Options.JsonSerializerOptions));
            return;
        }
        lock (_lock)
        {
            if (!_sockets.ContainsValue(socket))
                return; // the connection closed while middleware ran
            _everConnected = true;
        }
        Interlocked.Exchange(ref _connectTimer, null)?.Dispose();
        if (!socket.MarkConnected())
            return;
        // CONNECT goes out before anything the connection handlers emit.
        Engine.Send(SioPacketEncoder.Connect(ns.Name, socket.Id, SocketIOProtocol));
        SocketIOLog.Connected(_server.Logger, socket.Id, ns.Name);
        foreach (var handler in ns.ConnectionHandlers)
            await handler(socket);
    }

    internal void Remove(Socket socket)
    {
        lock (_lock)
            if (_sockets.TryGetValue(socket.Namespace.Name, out var current) && current == socket)
                _sockets.Remove(socket.Namespace.Name);
    }

    public void OnClose(string reason)
    {
        Interlocked.Exchange(ref _connectTimer, null)?.Dispose();
        Socket[] sockets;
        lock (_lock)
            sockets = [.. _sockets.Values];
        foreach (var socket in sockets)
        {
            socket.Detach(reason);
            Remove(socket);
        }
    }
}
