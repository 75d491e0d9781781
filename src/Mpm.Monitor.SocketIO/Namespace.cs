using System.Collections.Concurrent;

namespace Mpm.Monitor.SocketIO;

/// <summary>A Socket.IO namespace: its middleware, connection handlers, sockets and rooms.</summary>
public sealed class Namespace
{
    private readonly ConcurrentDictionary<string, Socket> _sockets = new(StringComparer.Ordinal);
    private readonly Lock _registrationLock = new();
    private Func<SocketConnectingContext, ValueTask>[] _middleware = [];
    private Func<Socket, ValueTask>[] _connectionHandlers = [];
    private Action<SocketEvent>? _rateLimitedHandler;

    internal Namespace(SocketIOServer server, string name)
    {
        Server = server;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Sockets connected to this namespace now.</summary>
    public int SocketCount => _sockets.Count;

    internal SocketIOServer Server { get; }

    internal RoomRegistry Rooms { get; } = new();

    internal IEnumerable<Socket> ConnectedSockets => _sockets.Select(static pair => pair.Value);

    /// <summary>
    /// Adds a middleware run, in registration order, before a socket connects; it may call
    /// <see cref="SocketConnectingContext.Reject"/>, which stops the chain and sends CONNECT_ERROR.
    /// </summary>
    public void Use(Func<SocketConnectingContext, ValueTask> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        lock (_registrationLock)
            _middleware = [.. _middleware, middleware];
    }

    /// <summary>
    /// Adds a handler run when a socket has connected (after the client got CONNECT). Events the
    /// client sends meanwhile are dispatched once all connection handlers have completed.
    /// </summary>
    public void OnConnection(Func<Socket, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_registrationLock)
            _connectionHandlers = [.. _connectionHandlers, handler];
    }

    /// <summary>
    /// Sets the handler given each event refused by <see cref="SocketIOServerOptions.InboundEventRate"/>,
    /// to answer it (e.g. with an error acknowledgement). It runs on the receiving path, so it must not block;
    /// without one, refused events are dropped.
    /// </summary>
    public void OnRateLimited(Action<SocketEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Volatile.Write(ref _rateLimitedHandler, handler);
    }

    public BroadcastOperator To(string room) => new BroadcastOperator(this, [], []).To(room);

    public BroadcastOperator Except(string room) => new BroadcastOperator(this, [], []).Except(room);

    /// <summary>Emits to every socket of the namespace.</summary>
    public void Emit(string eventName, params object?[] args) => new BroadcastOperator(this, [], []).Emit(eventName, args);

    /// <summary>Emits pre-serialised JSON to every socket of the namespace; see <see cref="BroadcastOperator.EmitRaw"/>.</summary>
    public void EmitRaw(string eventName, ReadOnlyMemory<byte> utf8JsonArgument) => new BroadcastOperator(this, [], []).EmitRaw(eventName, utf8JsonArgument);

    internal Func<SocketConnectingContext, ValueTask>[] Middleware => Volatile.Read(ref _middleware);

    internal Action<SocketEvent>? RateLimitedHandler => Volatile.Read(ref _rateLimitedHandler);

    internal Func<Socket, ValueTask>[] ConnectionHandlers => Volatile.Read(ref _connectionHandlers);

    internal void Add(Socket socket) => _sockets[socket.Id] = socket;

    internal void Remove(Socket socket) => _sockets.TryRemove(new KeyValuePair<string, Socket>(socket.Id, socket));
}
