using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mpm.Monitor.SocketIO.Protocol;

namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>
/// One Engine.IO session: its transport (long-polling, WebSocket, or the upgrade between them), its
/// heartbeat and its bounded outgoing queue. Every packet for the client goes through the one queue
/// and is written by one reader at a time (the pending GET, or a WebSocket writer), so packets leave
/// in the order they were queued and a slow client only ever fills its own queue.
/// </summary>
/// <remarks>
/// An idle WebSocket session holds as little as possible: one pending receive with no buffer, no writer
/// (one is queued to the thread pool when packets arrive and ends when the queue is empty), no timer
/// (<see cref="EngineServer"/> ticks every session's heartbeat from one timer) and no cancellation source.
/// </remarks>
internal sealed class EngineConnection : IThreadPoolWorkItem
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan UpgradeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan OpenPacketDelay = TimeSpan.FromMilliseconds(2);

    private readonly EngineServer _server;
    // Guards the queue, the hand-off to its reader (pending GET or WebSocket writer) and the heartbeat state.
    private readonly Lock _lock = new();
    private PacketQueue _queue;
    private IEngineHandler? _handler;
    private WebSocket? _webSocket;
    private TaskCompletionSource? _pollWaiter;
    private TaskCompletionSource? _roomWaiter;
    private TaskCompletionSource? _writerDone;
    private CancellationTokenSource? _upgradeCancel;
    private long _nextPing = long.MaxValue;
    private long _deadline = long.MaxValue;
    private volatile bool _webSocketTransport;
    private volatile bool _upgrading;
    private volatile bool _transportEnded;
    private bool _writing;
    private bool _writerFinished;
    private bool _completed;
    private bool _awaitingPong;
    private int _upgradeStarted;
    private int _pollActive;
    private int _postActive;
    private int _closeState; // 0 while open, else 1 + the CloseMode, set once

    public EngineConnection(EngineServer server, string id, int protocol, bool base64Only, bool webSocket)
    {
        _server = server;
        Id = id;
        Protocol = protocol;
        Base64Only = base64Only;
        _webSocketTransport = webSocket;
    }

    public string Id { get; }

    /// <summary>The Engine.IO protocol revision: 3 or 4.</summary>
    public int Protocol { get; }

    /// <summary>EIO=3 client without XHR2 (<c>b64=1</c>): binary goes base64 in polling payloads.</summary>
    public bool Base64Only { get; }

    public bool IsClosed => Volatile.Read(ref _closeState) != 0;

    private CloseMode ClosedWith => (CloseMode)(Volatile.Read(ref _closeState) - 1);

    public string Transport => _webSocketTransport ? "websocket" : "polling";

    private SocketIOServerOptions Options => _server.Options;

    private ILogger Logger => _server.Logger;

    private TimeProvider Time => _server.TimeProvider;

    /// <summary>Queues the open packet, attaches the handler and starts the heartbeat.</summary>
    public void Open(IEngineHandler handler, byte[] openPacket)
    {
        _handler = handler;
        Send(new OutboundPacket(openPacket));
        StartHeartbeat();
        handler.OnOpen();
    }

    /// <summary>
    /// Queues a packet. Never blocks: when the queue is full the client is too slow, so it is
    /// disconnected rather than let it hold memory or delay anyone else.
    /// </summary>
    public bool Send(OutboundPacket packet)
    {
        var queued = false;
        var startWriter = false;
        TaskCompletionSource? poll = null;
        lock (_lock)
        {
            if (_completed)
                return false;
            if (_queue.Count < Options.MaxQueuedMessages)
            {
                _queue.Enqueue(packet);
                queued = true;
                startWriter = TryStartWriterLocked();
                poll = TakePollWaiterLocked();
            }
        }
        if (!queued)
        {
            if (!IsClosed)
            {
                EngineLog.QueueOverflow(Logger, Id, Options.MaxQueuedMessages);
                Close(CloseReason.QueueOverflow, CloseMode.Abort);
            }
            return false;
        }
        if (startWriter)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        poll?.TrySetResult();
        return true;
    }

    private int QueuedCount
    {
        get
        {
            lock (_lock)
                return _queue.Count;
        }
    }

    /// <summary>
    /// Waits while the queue is at least half full, so a bulk sender is paced by the client instead of
    /// overflowing the queue, and heartbeats and other emits keep room. False once the connection is closed.
    /// </summary>
    public async ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (!IsClosed && QueuedCount >= RoomThreshold)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _roomWaiter, waiter);
            // Re-check after publishing the waiter: a reader may have drained the queue just before.
            if (IsClosed || QueuedCount < RoomThreshold)
                break;
            await waiter.Task.WaitAsync(cancellationToken);
        }
        return !IsClosed;
    }

    private int RoomThreshold => Math.Max(1, Options.MaxQueuedMessages / 2);

    private void SignalRoom()
    {
        if (Volatile.Read(ref _roomWaiter) is not null && (IsClosed || QueuedCount < RoomThreshold))
            Interlocked.Exchange(ref _roomWaiter, null)?.TrySetResult();
    }

    public void Close(string reason, CloseMode mode)
    {
        if (Interlocked.CompareExchange(ref _closeState, 1 + (int)mode, 0) != 0)
            return;
        // With no GET pending, keep a polling session findable a moment: after a server close the next
        // GET collects what was queued and the close packet; after the client's close packet (which may
        // overtake its own pending GET) that GET gets its noop instead of "unknown session".
        var lingers = !_webSocketTransport && Volatile.Read(ref _pollActive) == 0
            && (mode == CloseMode.Flush || (mode == CloseMode.Quiet && reason == CloseReason.TransportClose));
        if (lingers)
            _ = RemoveAfterGraceAsync();
        else
            _server.Remove(this);
        bool startWriter;
        TaskCompletionSource? poll;
        WebSocket? webSocket;
        lock (_lock)
        {
            _completed = true;
            if (mode == CloseMode.Quiet || mode == CloseMode.Abort)
                _queue.Clear();
            webSocket = _webSocket;
            if (webSocket is not null)
                _writerDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            startWriter = TryStartWriterLocked();
            poll = TakePollWaiterLocked();
        }
        if (startWriter)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        poll?.TrySetResult();
        SignalRoom();
        CancelUpgrade();
        if (webSocket is not null)
            EndWebSocket(webSocket, mode);
        EngineLog.Closed(Logger, Id, reason);
        try
        {
            _handler?.OnClose(reason);
        }
        catch (Exception e)
        {
            EngineLog.HandlerFailed(Logger, Id, e);
        }
    }

    /// <summary>After a close, the WebSocket gets the grace period to finish the closing handshake; an abort ends it now.</summary>
    private void EndWebSocket(WebSocket webSocket, CloseMode mode)
    {
        if (mode == CloseMode.Abort)
            webSocket.Abort();
        else
            _ = AbortAfterGraceAsync(webSocket);
    }

    private async Task AbortAfterGraceAsync(WebSocket webSocket)
    {
        await Task.Delay(CloseGrace, Time);
        if (!_transportEnded)
            webSocket.Abort();
    }

    private async Task RemoveAfterGraceAsync()
    {
        await Task.Delay(CloseGrace, Time);
        _server.Remove(this);
    }

    // ---------------------------------------------------------------- heartbeat

    // The session is dead once interval + timeout pass without a pong (v4) or a client ping (v3).
    // The deadline is counted from the last sign of life, not from when a (possibly late) tick came,
    // so a loaded machine does not stretch it.

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Time.TimestampFrequency);

    private void ResetDeadlineLocked(long now)
    {
        _deadline = now + ToTicks(Options.PingInterval + Options.PingTimeout);
        _nextPing = Protocol >= 4 ? now + ToTicks(Options.PingInterval) : long.MaxValue;
    }

    /// <summary>When this session next needs the heartbeat timer: its next ping, or its deadline.</summary>
    public long HeartbeatDue => Math.Min(Volatile.Read(ref _nextPing), Volatile.Read(ref _deadline));

    private void StartHeartbeat()
    {
        lock (_lock)
            ResetDeadlineLocked(Time.GetTimestamp());
        _server.ScheduleHeartbeat(HeartbeatDue);
    }

    /// <summary>
    /// Run by the server's heartbeat timer: sends the ping that is due, or ends a silent session.
    /// Returns when this session next needs the timer (long.MaxValue once closed).
    /// </summary>
    public long OnHeartbeatTick(long now)
    {
        if (IsClosed)
            return long.MaxValue;
        if (now < HeartbeatDue)
            return HeartbeatDue;
        bool timedOut;
        lock (_lock)
        {
            timedOut = now >= _deadline;
            if (!timedOut && !_awaitingPong && now >= _nextPing)
            {
                _awaitingPong = true;
                _nextPing = long.MaxValue;
            }
            else if (!timedOut)
                return HeartbeatDue;
        }
        if (timedOut)
        {
            Close(CloseReason.PingTimeout, CloseMode.Quiet);
            return long.MaxValue;
        }
        Send(OutboundPacket.Ping);
        return HeartbeatDue;
    }

    /// <summary>Ticks can come late on a loaded machine; a request after the deadline sees the session as gone.</summary>
    private bool HeartbeatExpired()
    {
        lock (_lock)
        {
            if (Time.GetTimestamp() <= _deadline)
                return false;
        }
        Close(CloseReason.PingTimeout, CloseMode.Quiet);
        return true;
    }

    private void OnClientPing()
    {
        if (Protocol >= 4)
            return; // v4 clients never ping; the server does
        lock (_lock)
        {
            if (IsClosed)
                return;
            ResetDeadlineLocked(Time.GetTimestamp());
        }
        _server.ScheduleHeartbeat(HeartbeatDue);
        Send(OutboundPacket.Pong);
    }

    private void OnClientPong()
    {
        lock (_lock)
        {
            if (Protocol < 4 || !_awaitingPong || IsClosed)
                return;
            _awaitingPong = false;
            ResetDeadlineLocked(Time.GetTimestamp());
        }
        _server.ScheduleHeartbeat(HeartbeatDue);
    }

    // ---------------------------------------------------------------- inbound

    private void Process(in InboundFrame frame)
    {
        switch (frame.Type)
        {
            case EnginePacketType.Ping:
                OnClientPing();
                break;
            case EnginePacketType.Pong:
                OnClientPong();
                break;
            case EnginePacketType.Message:
                try
                {
                    _handler?.OnMessage(frame.Data, frame.Binary);
                }
                catch (FormatException e)
                {
                    EngineLog.Malformed(Logger, Id, e.Message);
                    Close(CloseReason.ParseError, CloseMode.Abort);
                }
                catch (Exception e)
                {
                    EngineLog.HandlerFailed(Logger, Id, e);
                    Close(CloseReason.TransportError, CloseMode.Abort);
                }
                break;
            case EnginePacketType.Close:
                Close(CloseReason.TransportClose, CloseMode.Quiet);
                break;
            default:
                break; // upgrade/noop outside an upgrade carry nothing
        }
    }

    // ---------------------------------------------------------------- long-polling

    public async Task HandlePollAsync(HttpContext context)
    {
        if (_webSocketTransport || (!IsClosed && HeartbeatExpired()))
        {
            await EngineServer.WriteErrorAsync(context, IsClosed ? EngineError.UnknownSid : EngineError.BadRequest);
            return;
        }
        if (Interlocked.Exchange(ref _pollActive, 1) != 0)
        {
            // Two concurrent GETs break the protocol: end the session; the first GET gets the close packet.
            await EngineServer.WriteErrorAsync(context, EngineError.BadRequest);
            Close(CloseReason.TransportError, CloseMode.Flush);
            return;
        }
        var packets = new List<OutboundPacket>();
        try
        {
            TaskCompletionSource? waiter = null;
            lock (_lock)
            {
                if (!_upgrading && !_completed && _queue.Count == 0)
                    _pollWaiter = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            if (waiter is not null)
            {
                // Woken by a packet, an upgrade probe or a close.
                try
                {
                    await waiter.Task.WaitAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    lock (_lock)
                        if (_pollWaiter == waiter)
                            _pollWaiter = null;
                    return;
                }
            }
            lock (_lock)
            {
                if (_upgrading || (IsClosed && ClosedWith != CloseMode.Flush))
                    packets.Add(OutboundPacket.Noop);
                else
                {
                    while (_queue.TryDequeue(out var packet))
                        packets.Add(packet);
                    if (IsClosed)
                        packets.Add(OutboundPacket.Close);
                }
            }
            SignalRoom();
        }
        finally
        {
            Volatile.Write(ref _pollActive, 0);
        }
        if (IsClosed)
            _server.Remove(this);
        await WritePayloadAsync(context, packets);
    }

    private async Task WritePayloadAsync(HttpContext context, List<OutboundPacket> packets)
    {
        using var buffer = new PooledBufferWriter(Math.Max(256, packets.Sum(p => p.ByteCount) + packets.Count * 8));
        PollingPayload.Encode(packets, Protocol, Base64Only, buffer, out var contentType);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = buffer.WrittenCount;
        try
        {
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // the client went away mid-response; its heartbeat will end the session
        }
    }

    private TaskCompletionSource? TakePollWaiterLocked()
    {
        var waiter = _pollWaiter;
        _pollWaiter = null;
        return waiter;
    }

    private void WakePoll()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
            waiter = TakePollWaiterLocked();
        waiter?.TrySetResult();
    }

    public async Task HandlePostAsync(HttpContext context)
    {
        if (_webSocketTransport || IsClosed || HeartbeatExpired())
        {
            await EngineServer.WriteErrorAsync(context, IsClosed ? EngineError.UnknownSid : EngineError.BadRequest);
            return;
        }
        if (Interlocked.Exchange(ref _postActive, 1) != 0)
        {
            await EngineServer.WriteErrorAsync(context, EngineError.BadRequest);
            Close(CloseReason.TransportError, CloseMode.Abort);
            return;
        }
        try
        {
            var max = Options.MaxPayload;
            if (context.Request.ContentLength > max)
            {
                await RefuseTooLargeAsync(context);
                return;
            }
            var reader = context.Request.BodyReader;
            ReadResult read;
            while (true)
            {
                read = await reader.ReadAsync(context.RequestAborted);
                if (read.Buffer.Length > max)
                {
                    reader.AdvanceTo(read.Buffer.End);
                    await RefuseTooLargeAsync(context);
                    return;
                }
                if (read.IsCompleted)
                    break;
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
            var length = (int)read.Buffer.Length;
            var body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            try
            {
                read.Buffer.CopyTo(body);
                reader.AdvanceTo(read.Buffer.End);
                List<InboundFrame> frames;
                try
                {
                    var binaryBody = context.Request.ContentType?.StartsWith(PollingPayload.BinaryContentType, StringComparison.OrdinalIgnoreCase) == true;
                    frames = PollingPayload.Decode(body.AsMemory(0, length), Protocol, binaryBody);
                }
                catch (FormatException e)
                {
                    EngineLog.Malformed(Logger, Id, e.Message);
                    await EngineServer.WriteErrorAsync(context, EngineError.BadRequest);
                    Close(CloseReason.ParseError, CloseMode.Quiet);
                    return;
                }
                foreach (var frame in frames)
                    Process(frame);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(body);
            }
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/html; charset=UTF-8";
            await context.Response.WriteAsync("ok");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // the client went away mid-request
        }
        finally
        {
            Volatile.Write(ref _postActive, 0);
        }
    }

    private async Task RefuseTooLargeAsync(HttpContext context)
    {
        EngineLog.PayloadTooLarge(Logger, Id, Options.MaxPayload);
        context.Response.Headers.Connection = "close";
        await EngineServer.WriteErrorAsync(context, EngineError.PayloadTooLarge);
        Close(CloseReason.TransportError, CloseMode.Quiet);
    }

    // ---------------------------------------------------------------- WebSocket

    /// <summary>
    /// Accepts this session's WebSocket and runs it until the session ends: a session opened on WebSocket,
    /// or the upgrade of a polling one (<c>2probe</c>/<c>3probe</c>, a noop to the pending GET, then <c>5</c>).
    /// While the client is idle, this method's pending receive is all the session has in flight.
    /// </summary>
    public async Task RunWebSocketAsync(HttpContext context, bool upgrade)
    {
        if (upgrade && (_webSocketTransport || IsClosed || Interlocked.Exchange(ref _upgradeStarted, 1) != 0))
        {
            await CloseRefusedAsync(await EngineServer.AcceptAsync(context));
            return;
        }
        WebSocket webSocket;
        try
        {
            webSocket = await EngineServer.AcceptAsync(context);
        }
        catch
        {
            if (upgrade)
                Volatile.Write(ref _upgradeStarted, 0);
            else
                Close(CloseReason.TransportError, CloseMode.Abort);
            throw;
        }
        if (upgrade)
        {
            if (!await ProbeAsync(webSocket))
                return;
            _webSocketTransport = true;
            _upgrading = false;
            EngineLog.Upgraded(Logger, Id);
        }
        else
        {
            // Clients that attach their message listener when the WebSocket "open" event fires (node's
            // ws, as the official suites use it) miss a first frame that shares a TCP segment with the
            // 101 response; a moment's pause keeps the open packet in a segment of its own.
            await Task.Delay(OpenPacketDelay, Time);
        }
        AttachWebSocket(webSocket);
        string? reason;
        try
        {
            do
            {
                // Wait with no buffer so an idle connection holds none.
                var peek = await webSocket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (peek.MessageType == WebSocketMessageType.Close)
                    reason = CloseReason.TransportClose;
                else if (peek.EndOfMessage)
                    reason = RefuseEmptyMessage();
                else
                    reason = await ReceiveMessageAsync(webSocket);
            }
            while (reason is null);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            reason = CloseReason.TransportError;
        }
        Close(reason, CloseMode.Quiet);
        Task writerDone;
        lock (_lock)
            writerDone = _writerFinished ? Task.CompletedTask : (_writerDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        try
        {
            await writerDone.WaitAsync(CloseGrace, Time);
        }
        catch (TimeoutException)
        {
            webSocket.Abort();
            await writerDone;
        }
        _transportEnded = true;
    }

    private async Task<bool> ProbeAsync(WebSocket webSocket)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64);
        var cancel = new CancellationTokenSource(UpgradeTimeout, Time);
        Interlocked.Exchange(ref _upgradeCancel, cancel);
        try
        {
            if (IsClosed)
                cancel.Cancel(); // closed before the source was published
            while (true)
            {
                var result = await webSocket.ReceiveAsync(buffer.AsMemory(), cancel.Token);
                if (result.MessageType != WebSocketMessageType.Text || !result.EndOfMessage)
                    throw new FormatException("unexpected frame during upgrade");
                var text = buffer.AsSpan(0, result.Count);
                if (!_upgrading && text.SequenceEqual("2probe"u8))
                {
                    await webSocket.SendAsync("3probe"u8.ToArray(), WebSocketMessageType.Text, true, cancel.Token);
                    _upgrading = true;
                    WakePoll();
                }
                else if (_upgrading && text.SequenceEqual("5"u8))
                    return true;
                else if (!(_upgrading && text.SequenceEqual("6"u8)))
                    throw new FormatException("unexpected packet during upgrade");
            }
        }
        catch (Exception e) when (e is FormatException or OperationCanceledException or WebSocketException)
        {
            _upgrading = false;
            Volatile.Write(ref _upgradeStarted, 0);
            webSocket.Abort();
            return false;
        }
        finally
        {
            Interlocked.Exchange(ref _upgradeCancel, null);
            cancel.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void CancelUpgrade()
    {
        try
        {
            Volatile.Read(ref _upgradeCancel)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the probe ended meanwhile
        }
    }

    private static async Task CloseRefusedAsync(WebSocket webSocket)
    {
        using var timeout = new CancellationTokenSource(CloseGrace);
        try
        {
            await webSocket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "session already upgraded", timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            webSocket.Abort();
        }
    }

    private string RefuseEmptyMessage()
    {
        EngineLog.Malformed(Logger, Id, "empty message");
        Close(CloseReason.ParseError, CloseMode.Abort);
        return CloseReason.ParseError;
    }

    /// <summary>Reads and handles the rest of a message whose first frame has arrived; a close reason ends the session, null goes on.</summary>
    private async ValueTask<string?> ReceiveMessageAsync(WebSocket webSocket)
    {
        var max = (int)Options.MaxPayload;
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (count == buffer.Length)
                {
                    if (count > max)
                        return await RefuseTooBigAsync(webSocket);
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max + 1));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                result = await webSocket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                count += result.Count;
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close)
                return CloseReason.TransportClose;
            if (count > max)
                return await RefuseTooBigAsync(webSocket);
            var data = buffer.AsMemory(0, count);
            InboundFrame frame;
            try
            {
                frame = result.MessageType == WebSocketMessageType.Text ? InboundFrame.FromText(data) : InboundFrame.FromBinary(data, Protocol);
            }
            catch (FormatException e)
            {
                EngineLog.Malformed(Logger, Id, e.Message);
                Close(CloseReason.ParseError, CloseMode.Abort);
                return CloseReason.ParseError;
            }
            Process(frame);
            return IsClosed ? CloseReason.TransportClose : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<string> RefuseTooBigAsync(WebSocket webSocket)
    {
        EngineLog.PayloadTooLarge(Logger, Id, Options.MaxPayload);
        await CloseTooBigAsync(webSocket);
        return CloseReason.TransportError;
    }

    private async Task CloseTooBigAsync(WebSocket webSocket)
    {
        Close(CloseReason.TransportError, CloseMode.Quiet);
        using var timeout = new CancellationTokenSource(CloseGrace);
        try
        {
            await webSocket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "maxPayload exceeded", timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            webSocket.Abort();
        }
    }

    private void AttachWebSocket(WebSocket webSocket)
    {
        bool startWriter;
        bool closed;
        lock (_lock)
        {
            _webSocket = webSocket;
            closed = _completed;
            if (closed)
                _writerDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            startWriter = TryStartWriterLocked();
        }
        if (startWriter)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        if (closed)
            EndWebSocket(webSocket, ClosedWith);
    }

    /// <summary>True when a writer must be started: a WebSocket is attached, none runs, and there is a packet or a close to send.</summary>
    private bool TryStartWriterLocked()
    {
        if (_webSocket is null || _writing || (_queue.Count == 0 && !_completed))
            return false;
        _writing = true;
        return true;
    }

    void IThreadPoolWorkItem.Execute() => _ = WriteQueuedAsync();

    /// <summary>
    /// Sends what is queued and stops when the queue is empty (the next <see cref="Send"/> starts another);
    /// once the session is closed, sends the rest and the close frame and reports that it is done.
    /// </summary>
    private async Task WriteQueuedAsync()
    {
        var webSocket = _webSocket!;
        try
        {
            while (true)
            {
                OutboundPacket? packet;
                lock (_lock)
                {
                    if (!_queue.TryDequeue(out packet))
                    {
                        if (!_completed)
                        {
                            _writing = false;
                            return;
                        }
                        packet = null;
                    }
                }
                if (packet is null)
                    break;
                await SendAsync(webSocket, packet);
                SignalRoom();
            }
            if (ClosedWith != CloseMode.Abort && webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseGrace, Time);
                await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            Close(CloseReason.TransportError, CloseMode.Abort);
        }
        TaskCompletionSource? done;
        lock (_lock)
        {
            _writerFinished = true;
            done = _writerDone;
        }
        done?.TrySetResult();
    }

    private async ValueTask SendAsync(WebSocket webSocket, OutboundPacket packet)
    {
        if (packet.Text is { } text)
            await webSocket.SendAsync(text, WebSocketMessageType.Text, true, CancellationToken.None);
        foreach (var binary in packet.Binaries)
        {
            if (Protocol >= 4)
            {
                await webSocket.SendAsync(binary, WebSocketMessageType.Binary, true, CancellationToken.None);
                continue;
            }
            // v3 binary frames carry the packet type in their first byte.
            var framed = ArrayPool<byte>.Shared.Rent(binary.Length + 1);
            try
            {
                framed[0] = (byte)EnginePacketType.Message;
                binary.Span.CopyTo(framed.AsSpan(1));
                await webSocket.SendAsync(framed.AsMemory(0, binary.Length + 1), WebSocketMessageType.Binary, true, CancellationToken.None);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(framed);
            }
        }
    }
}
