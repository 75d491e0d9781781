using System.Collections.Concurrent;
using System.Text.Json;
using Mpm.Monitor.SocketIO.Engine;
using Mpm.Monitor.SocketIO.Protocol;

namespace Mpm.Monitor.SocketIO;

/// <summary>
/// One client's presence in one namespace. Events from the client are handled one at a time, in
/// arrival order (the next waits for the previous handler); acknowledgements of the server's own
/// emits are resolved as they arrive, so a handler may await <see cref="EmitWithAckAsync"/>.
/// Everything sent to the socket leaves in the order it was emitted.
/// </summary>
public sealed class Socket
{
    private readonly SioConnection _connection;
    private readonly Lock _lock = new();
    private readonly EventRateLimiter? _rateLimiter;
    // Allocated when first needed, so a socket in no room and with few handlers holds little.
    private HashSet<string>? _rooms;
    private KeyValuePair<string, Func<SocketEvent, ValueTask>>[] _handlers = [];
    private Func<SocketEvent, ValueTask>? _anyHandler;
    private Action<string>? _disconnectHandlers;
    private ConcurrentDictionary<int, TaskCompletionSource<JsonElement[]>>? _acks;
    private Dictionary<object, object?>? _items;
    private Task _inboundTail = Task.CompletedTask;
    private int _inboundPending;
    private int _nextAckId;
    private int _state; // 0 connecting, 1 connected, 2 disconnected

    internal Socket(SioConnection connection, Namespace @namespace, Handshake handshake)
    {
        _connection = connection;
        Namespace = @namespace;
        Handshake = handshake;
        Id = IdGenerator.New();
        var options = @namespace.Server.Options;
        if (options.InboundEventRate > 0)
            _rateLimiter = new EventRateLimiter(options.InboundEventRate, options.InboundEventBurst, @namespace.Server.TimeProvider);
    }

    public string Id { get; }

    public Namespace Namespace { get; }

    public Handshake Handshake { get; }

    /// <summary>Free per-socket state for the application.</summary>
    public IDictionary<object, object?> Items
    {
        get
        {
            lock (_lock)
                return _items ??= [];
        }
    }

    public bool Connected => Volatile.Read(ref _state) == 1;

    /// <summary>A snapshot of the rooms the socket is in.</summary>
    public IReadOnlyCollection<string> Rooms
    {
        get
        {
            lock (_lock)
                return _rooms is null ? [] : [.. _rooms];
        }
    }

    /// <summary>Broadcasts from this namespace to every socket but this one.</summary>
    public BroadcastOperator Broadcast => new(Namespace, [], [], this);

    /// <summary>Joins a room; a broadcast to it that starts after Join returns reaches this socket.</summary>
    public void Join(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        lock (_lock)
        {
            if (_state != 2 && (_rooms ??= new HashSet<string>(StringComparer.Ordinal)).Add(room))
                Namespace.Rooms.Add(room, this);
        }
    }

    public void Leave(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        lock (_lock)
        {
            if (_rooms?.Remove(room) == true)
                Namespace.Rooms.Remove(room, this);
        }
    }

    /// <summary>Handles an event by name (one handler per name; a later registration replaces it).</summary>
    public void On(string eventName, Func<SocketEvent, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            // A small array searched in order: sockets register a handful of events, and each copy is per socket.
            var index = Array.FindIndex(_handlers, pair => pair.Key == eventName);
            if (index >= 0)
                _handlers[index] = new(eventName, handler);
            else
                _handlers = [.. _handlers, new(eventName, handler)];
        }
    }

    /// <summary>Handles every event that has no handler of its own.</summary>
    public void OnAny(Func<SocketEvent, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
            _anyHandler = handler;
    }

    /// <summary>Called once when the socket leaves the namespace, with socket.io's reason string.</summary>
    public void OnDisconnect(Action<string> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
            _disconnectHandlers += handler;
    }

    /// <summary>Emits an event; binary top-level arguments (byte[], ReadOnlyMemory&lt;byte&gt;) become attachments.</summary>
    public void Emit(string eventName, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        Send(SioPacketEncoder.Event(Namespace.Name, eventName, args, Namespace.Server.Options.JsonSerializerOptions));
    }

    /// <summary>Emits an event whose single argument is already-serialised JSON, written verbatim.</summary>
    public void EmitRaw(string eventName, ReadOnlyMemory<byte> utf8JsonArgument)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        Send(SioPacketEncoder.RawEvent(Namespace.Name, eventName, utf8JsonArgument.Span));
    }

    /// <summary>
    /// Emits like <see cref="EmitRaw"/>, but first waits while the connection's outgoing queue is at least
    /// half full: for bulk sends (a replay of history) that the client should pace rather than overflow.
    /// Await one at a time per socket. False when the socket is disconnected.
    /// </summary>
    public async ValueTask<bool> EmitRawAsync(string eventName, ReadOnlyMemory<byte> utf8JsonArgument, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (!Connected || !await _connection.Engine.WaitForRoomAsync(cancellationToken))
            return false;
        return Send(SioPacketEncoder.RawEvent(Namespace.Name, eventName, utf8JsonArgument.Span));
    }

    /// <summary>Emits an event and waits for the client's acknowledgement; <see cref="TimeoutException"/> when none comes in time.</summary>
    public async Task<JsonElement[]> EmitWithAckAsync(string eventName, TimeSpan timeout, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        var id = Interlocked.Increment(ref _nextAckId);
        var pending = new TaskCompletionSource<JsonElement[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var acks = LazyInitializer.EnsureInitialized(ref _acks, static () => new ConcurrentDictionary<int, TaskCompletionSource<JsonElement[]>>());
        acks[id] = pending;
        if (!Connected || !Send(SioPacketEncoder.Event(Namespace.Name, eventName, args, Namespace.Server.Options.JsonSerializerOptions, id)))
        {
            acks.TryRemove(id, out _);
            throw new InvalidOperationException($"Socket {Id} is not connected.");
        }
        try
        {
            return await pending.Task.WaitAsync(timeout, Namespace.Server.TimeProvider);
        }
        finally
        {
            acks.TryRemove(id, out _);
        }
    }

    /// <summary>Leaves the namespace (the client gets DISCONNECT); with <paramref name="close"/> the whole connection is closed too.</summary>
    public void Disconnect(bool close = false)
    {
        if (!Connected)
            return;
        Send(SioPacketEncoder.Disconnect(Namespace.Name));
        if (close)
            _connection.Engine.Close(CloseReason.ForcedClose, CloseMode.Flush);
        else
            Detach("server namespace disconnect");
    }

    // ---------------------------------------------------------------- internals used by SioConnection

    internal bool Send(OutboundPacket packet) => Volatile.Read(ref _state) != 2 && _connection.Engine.Send(packet);

    internal void SendAck(int ackId, object?[] args) =>
        Send(SioPacketEncoder.Ack(Namespace.Name, ackId, args, Namespace.Server.Options.JsonSerializerOptions));

    internal bool MarkConnected()
    {
        lock (_lock)
        {
            if (_state != 0)
                return false;
            _state = 1;
        }
        Namespace.Add(this);
        return true;
    }

    /// <summary>Runs work after everything queued before it for this socket, so events are handled in order.</summary>
    internal void Enqueue(Func<ValueTask> work)
    {
        var limit = Namespace.Server.Options.MaxQueuedMessages;
        if (Interlocked.Increment(ref _inboundPending) > limit)
        {
            SocketIOLog.InboundOverflow(Namespace.Server.Logger, Id, Namespace.Name, limit);
            _connection.Engine.Close(CloseReason.QueueOverflow, CloseMode.Abort);
            return;
        }
        lock (_lock)
            _inboundTail = RunAfterAsync(_inboundTail, work);
    }

    private async Task RunAfterAsync(Task previous, Func<ValueTask> work)
    {
        await previous;
        try
        {
            await work();
        }
        catch (Exception e)
        {
            SocketIOLog.HandlerFailed(Namespace.Server.Logger, Namespace.Name, Id, e);
            _connection.Engine.Close(CloseReason.TransportError, CloseMode.Abort);
        }
        finally
        {
            // Once nothing waits, let go of the finished chain (and what its work captured).
            lock (_lock)
                if (Interlocked.Decrement(ref _inboundPending) == 0 && _state != 2)
                    _inboundTail = Task.CompletedTask;
        }
    }

    internal void DispatchEvent(SioPacket packet, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var payload = packet.Payload!.Value;
        var name = payload[0].GetString()!;
        var args = new JsonElement[payload.GetArrayLength() - 1];
        for (var i = 0; i < args.Length; i++)
            args[i] = payload[i + 1];
        var socketEvent = new SocketEvent(this, name, args, attachments, packet.AckId);
        if (!Admit(socketEvent))
            return;
        Enqueue(() =>
        {
            if (!Connected)
                return ValueTask.CompletedTask;
            Func<SocketEvent, ValueTask>? handler;
            lock (_lock)
                handler = FindHandler(name) ?? _anyHandler;
            return handler?.Invoke(socketEvent) ?? ValueTask.CompletedTask;
        });
    }

    private Func<SocketEvent, ValueTask>? FindHandler(string name)
    {
        foreach (var (eventName, handler) in _handlers)
            if (eventName == name)
                return handler;
        return null;
    }

    /// <summary>Applies the inbound rate limit: false when the event must not be dispatched.</summary>
    private bool Admit(SocketEvent socketEvent)
    {
        switch (_rateLimiter?.Admit() ?? EventAdmission.Accepted)
        {
            case EventAdmission.Accepted:
                return true;
            case EventAdmission.Abusive:
                SocketIOLog.Flooding(Namespace.Server.Logger, Id, Namespace.Name, Namespace.Server.Options.InboundEventRate * EventRateLimiter.AbuseFactor);
                _connection.Engine.Close(CloseReason.RateLimitExceeded, CloseMode.Abort);
                return false;
            default:
                try
                {
                    Namespace.RateLimitedHandler?.Invoke(socketEvent);
                }
                catch (Exception e)
                {
                    SocketIOLog.RateLimitedHandlerFailed(Namespace.Server.Logger, Namespace.Name, Id, e);
                }
                return false;
        }
    }

    internal void ResolveAck(SioPacket packet)
    {
        if (_acks is null || !_acks.TryRemove(packet.AckId, out var pending))
            return;
        var payload = packet.Payload!.Value;
        var args = new JsonElement[payload.GetArrayLength()];
        for (var i = 0; i < args.Length; i++)
            args[i] = payload[i];
        pending.TrySetResult(args);
    }

    /// <summary>Leaves rooms and namespace at once (no broadcast reaches it after this); handlers run in event order.</summary>
    internal void Detach(string reason)
    {
        lock (_lock)
        {
            if (_state == 2)
                return;
            _state = 2;
            foreach (var room in _rooms ?? [])
                Namespace.Rooms.Remove(room, this);
            _rooms = null;
        }
        Namespace.Remove(this);
        _connection.Remove(this);
        if (_acks is not null)
            foreach (var pending in _acks.Values)
                pending.TrySetException(new InvalidOperationException($"Socket {Id} disconnected ({reason}) before acknowledging."));
        SocketIOLog.Disconnected(Namespace.Server.Logger, Id, Namespace.Name, reason);
        Action<string>? handlers;
        lock (_lock)
            handlers = _disconnectHandlers;
        if (handlers is null)
            return;
        lock (_lock)
            _inboundTail = RunDisconnectHandlersAsync(_inboundTail, handlers, reason);
    }

    private async Task RunDisconnectHandlersAsync(Task previous, Action<string> handlers, string reason)
    {
        await previous;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<string>>())
        {
            try
            {
                handler(reason);
            }
            catch (Exception e)
            {
                SocketIOLog.DisconnectHandlerFailed(Namespace.Server.Logger, Namespace.Name, Id, e);
            }
        }
    }
}
