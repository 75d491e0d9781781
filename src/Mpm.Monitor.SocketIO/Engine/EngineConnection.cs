using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mpm.Monitor.SocketIO.Protocol;

namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>
/// One Engine.IO session: its transport (long-polling, WebSocket, or the upgrade between them), its
/// heartbeat and its bounded outgoing queue. Every packet for the client goes through the one queue
/// and is written by one reader at a time (the pending GET, or the WebSocket writer loop), so packets
/// leave in the order they were queued and a slow client only ever fills its own queue.
/// </summary>
internal sealed class EngineConnection
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan UpgradeTimeout = TimeSpan.FromSeconds(10);

    private readonly EngineServer _server;
    private readonly Channel<OutboundPacket> _queue;
    private readonly CancellationTokenSource _closed = new();
    private readonly ITimer _heartbeat;
    private readonly Lock _heartbeatLock = new();
    private IEngineHandler? _handler;
    private WebSocket? _webSocket;
    private CancellationTokenSource? _pollWake;
    private TaskCompletionSource? _roomWaiter;
    private volatile bool _webSocketTransport;
    private volatile bool _upgrading;
    private int _upgradeStarted;
    private int _pollActive;
    private int _postActive;
    private int _closeState; // 0 while open, else 1 + the CloseMode, set once
    private bool _awaitingPong;
    private long _deadline;

    public EngineConnection(EngineServer server, string id, int protocol, bool base64Only, bool webSocket)
    {
        _server = server;
        Id = id;
        Protocol = protocol;
        Base64Only = base64Only;
        _webSocketTransport = webSocket;
        _queue = Channel.CreateBounded<OutboundPacket>(new BoundedChannelOptions(server.Options.MaxQueuedMessages)
        {
            SingleWriter = false,
            SingleReader = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _heartbeat = server.TimeProvider.CreateTimer(static state => ((EngineConnection)state!).OnHeartbeatTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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
        if (_queue.Writer.TryWrite(packet))
            return true;
        if (!IsClosed)
        {
            EngineLog.QueueOverflow(Logger, Id, Options.MaxQueuedMessages);
            Close(CloseReason.QueueOverflow, CloseMode.Abort);
        }
        return false;
    }

    /// <summary>
    /// Waits while the queue is at least half full, so a bulk sender is paced by the client instead of
    /// overflowing the queue, and heartbeats and other emits keep room. False once the connection is closed.
    /// </summary>
    public async ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (!IsClosed && _queue.Reader.Count >= RoomThreshold)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _roomWaiter, waiter);
            // Re-check after publishing the waiter: a reader may have drained the queue just before.
            if (IsClosed || _queue.Reader.Count < RoomThreshold)
                break;
            await waiter.Task.WaitAsync(cancellationToken);
        }
        return !IsClosed;
    }

    private int RoomThreshold => Math.Max(1, Options.MaxQueuedMessages / 2);

    private void SignalRoom()
    {
        if (Volatile.Read(ref _roomWaiter) is not null && (IsClosed || _queue.Reader.Count < RoomThreshold))
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
        _heartbeat.Dispose();
        _queue.Writer.TryComplete();
        if (mode == CloseMode.Quiet || mode == CloseMode.Abort)
            while (_queue.Reader.TryRead(out _)) { }
        CancelPollWait();
        SignalRoom();
        if (mode == CloseMode.Abort)
        {
            _webSocket?.Abort();
            _closed.Cancel();
        }
        else
            _closed.CancelAfter(CloseGrace);
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

    private async Task RemoveAfterGraceAsync()
    {
        await Task.Delay(CloseGrace, _server.TimeProvider);
        _server.Remove(this);
    }

    // ---------------------------------------------------------------- heartbeat

    // The session is dead once interval + timeout pass without a pong (v4) or a client ping (v3).
    // The deadline is counted from the last sign of life, not from when a (possibly late) timer
    // fired, so a loaded machine does not stretch it.

    private void ResetDeadline() =>
        _deadline = _server.TimeProvider.GetTimestamp() + ToTicks(Options.PingInterval + Options.PingTimeout);

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _server.TimeProvider.TimestampFrequency);

    private TimeSpan UntilDeadline() =>
        TimeSpan.FromSeconds(Math.Max(0, _deadline - _server.TimeProvider.GetTimestamp()) / (double)_server.TimeProvider.TimestampFrequency);

    private void StartHeartbeat()
    {
        lock (_heartbeatLock)
        {
            ResetDeadline();
            _heartbeat.Change(Protocol >= 4 ? Options.PingInterval : UntilDeadline(), Timeout.InfiniteTimeSpan);
        }
    }

    private void OnHeartbeatTimer()
    {
        bool timedOut;
        lock (_heartbeatLock)
        {
            if (IsClosed)
                return;
            timedOut = Protocol < 4 || _awaitingPong || _server.TimeProvider.GetTimestamp() >= _deadline;
            if (!timedOut)
            {
                _awaitingPong = true;
                _heartbeat.Change(UntilDeadline(), Timeout.InfiniteTimeSpan);
            }
        }
        if (timedOut)
            Close(CloseReason.PingTimeout, CloseMode.Quiet);
        else
            Send(OutboundPacket.Ping);
    }

    /// <summary>Timers can fire late on a loaded machine; a request after the deadline sees the session as gone.</summary>
    private bool HeartbeatExpired()
    {
        lock (_heartbeatLock)
        {
            if (_server.TimeProvider.GetTimestamp() <= _deadline)
                return false;
        }
        Close(CloseReason.PingTimeout, CloseMode.Quiet);
        return true;
    }

    private void OnClientPing()
    {
        if (Protocol >= 4)
            return; // v4 clients never ping; the server does
        lock (_heartbeatLock)
        {
            if (IsClosed)
                return;
            ResetDeadline();
            _heartbeat.Change(UntilDeadline(), Timeout.InfiniteTimeSpan);
        }
        Send(OutboundPacket.Pong);
    }

    private void OnClientPong()
    {
        lock (_heartbeatLock)
        {
            if (Protocol < 4 || !_awaitingPong || IsClosed)
                return;
            _awaitingPong = false;
            ResetDeadline();
            _heartbeat.Change(Options.PingInterval, Timeout.InfiniteTimeSpan);
        }
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
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            Volatile.Write(ref _pollWake, wake);
            if (!_upgrading && !IsClosed && !_queue.Reader.TryPeek(out _))
            {
                try
                {
                    await _queue.Reader.WaitToReadAsync(wake.Token);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    return;
                }
                catch (OperationCanceledException)
                {
                    // woken by an upgrade probe or a close
                }
            }
            if (_upgrading || (IsClosed && ClosedWith != CloseMode.Flush))
                packets.Add(OutboundPacket.Noop);
            else
            {
                while (_queue.Reader.TryRead(out var packet))
                    packets.Add(packet);
                SignalRoom();
                if (IsClosed)
                    packets.Add(OutboundPacket.Close);
            }
        }
        finally
        {
            Volatile.Write(ref _pollWake, null);
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

    private void CancelPollWait()
    {
        try
        {
            Volatile.Read(ref _pollWake)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the poll ended meanwhile
        }
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

    /// <summary>Runs a session that started on WebSocket until it ends.</summary>
    public Task RunWebSocketAsync(WebSocket webSocket) => RunOnWebSocketAsync(webSocket);

    /// <summary>Upgrades a polling session: <c>2probe</c>/<c>3probe</c>, a noop to the pending GET, then <c>5</c>.</summary>
    public async Task UpgradeAsync(WebSocket webSocket)
    {
        if (_webSocketTransport || IsClosed || Interlocked.Exchange(ref _upgradeStarted, 1) != 0)
        {
            await CloseRefusedAsync(webSocket);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(64);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
            timeout.CancelAfter(UpgradeTimeout);
            while (true)
            {
                var result = await webSocket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
                if (result.MessageType != WebSocketMessageType.Text || !result.EndOfMessage)
                    throw new FormatException("unexpected frame during upgrade");
                var text = buffer.AsSpan(0, result.Count);
                if (!_upgrading && text.SequenceEqual("2probe"u8))
                {
                    await webSocket.SendAsync("3probe"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
                    _upgrading = true;
                    CancelPollWait();
                }
                else if (_upgrading && text.SequenceEqual("5"u8))
                    break;
                else if (!(_upgrading && text.SequenceEqual("6"u8)))
                    throw new FormatException("unexpected packet during upgrade");
            }
        }
        catch (Exception e) when (e is FormatException or OperationCanceledException or WebSocketException)
        {
            _upgrading = false;
            Volatile.Write(ref _upgradeStarted, 0);
            webSocket.Abort();
            return;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _webSocketTransport = true;
        _upgrading = false;
        EngineLog.Upgraded(Logger, Id);
        await RunOnWebSocketAsync(webSocket);
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

    private async Task RunOnWebSocketAsync(WebSocket webSocket)
    {
        _webSocket = webSocket;
        if (IsClosed && ClosedWith == CloseMode.Abort)
            webSocket.Abort();
        var writer = RunWriterAsync(webSocket);
        var reason = await RunReceiverAsync(webSocket);
        Close(reason, CloseMode.Quiet);
        try
        {
            await writer.WaitAsync(CloseGrace);
        }
        catch (TimeoutException)
        {
            webSocket.Abort();
            await writer;
        }
    }

    private async Task<string> RunReceiverAsync(WebSocket webSocket)
    {
        var max = (int)Options.MaxPayload;
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                // Wait with no buffer so an idle connection holds none.
                var peek = await webSocket.ReceiveAsync(Memory<byte>.Empty, _closed.Token);
                if (peek.MessageType == WebSocketMessageType.Close)
                    return CloseReason.TransportClose;
                if (peek.EndOfMessage)
                {
                    EngineLog.Malformed(Logger, Id, "empty message");
                    Close(CloseReason.ParseError, CloseMode.Abort);
                    return CloseReason.ParseError;
                }
                buffer = ArrayPool<byte>.Shared.Rent(4096);
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        if (count > max)
                        {
                            EngineLog.PayloadTooLarge(Logger, Id, max);
                            await CloseTooBigAsync(webSocket);
                            return CloseReason.TransportError;
                        }
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max + 1));
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    result = await webSocket.ReceiveAsync(buffer.AsMemory(count), _closed.Token);
                    count += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                    return CloseReason.TransportClose;
                if (count > max)
                {
                    EngineLog.PayloadTooLarge(Logger, Id, max);
                    await CloseTooBigAsync(webSocket);
                    return CloseReason.TransportError;
                }
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
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = null;
                if (IsClosed)
                    return CloseReason.TransportClose;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            return CloseReason.TransportError;
        }
        finally
        {
            if (buffer is not null)
                ArrayPool<byte>.Shared.Return(buffer);
        }
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

    private async Task RunWriterAsync(WebSocket webSocket)
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var packet))
                {
                    await SendAsync(webSocket, packet);
                    SignalRoom();
                }
            }
            if (ClosedWith != CloseMode.Abort && webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseGrace);
                await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            Close(CloseReason.TransportError, CloseMode.Abort);
        }
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
