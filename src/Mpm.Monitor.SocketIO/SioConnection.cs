using System.Text.Json;
using Microsoft.AspNetCore.Http;
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
    private readonly Lock _lock = new();
    private readonly HandshakeRequest _request;
    // Copied on write under the lock; a connection is rarely in more than one or two namespaces.
    private Socket[] _sockets = [];
    private SioPacket? _binaryPacket;
    private List<ReadOnlyMemory<byte>>? _attachments;
    private ITimer? _connectTimer;
    private bool _everConnected;

    public SioConnection(SocketIOServer server, EngineConnection engine, HttpContext context)
    {
        _server = server;
        Engine = engine;
        _request = new HandshakeRequest(context, engine.Protocol, server.TimeProvider.GetUtcNow());
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
        var socket = Find(packet.Namespace);
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
        var handshake = new Handshake(_request, packet.Query, auth);
        Socket socket;
        lock (_lock)
        {
            if (Engine.IsClosed || Find(ns.Name) is not null)
                return;
            socket = new Socket(this, ns, handshake);
            _sockets = [.. _sockets, socket];
        }
        socket.Enqueue(() => CompleteConnectAsync(ns, socket));
    }

    private Socket? Find(string ns)
    {
        foreach (var socket in Volatile.Read(ref _sockets))
            if (socket.Namespace.Name == ns)
                return socket;
        return null;
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
            if (Array.IndexOf(_sockets, socket) < 0)
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
            if (Array.IndexOf(_sockets, socket) >= 0)
                _sockets = [.. _sockets.Where(s => s != socket)];
    }

    public void OnClose(string reason)
    {
        Interlocked.Exchange(ref _connectTimer, null)?.Dispose();
        foreach (var socket in Volatile.Read(ref _sockets))
        {
            socket.Detach(reason);
            Remove(socket);
        }
    }
}
