using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Mpm.Monitor.Tests.Security;

/// <summary>
/// A minimal Socket.IO client over one ClientWebSocket (Engine.IO v4/v3 text frames): connects to "/",
/// answers pings, and records every event and acknowledgement. Light enough to open a thousand of.
/// </summary>
internal sealed class RawSocketIOClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource<string> _connectReply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _acks = new();
    private readonly int _protocol;
    private readonly byte[] _buffer = new byte[8 * 1024];
    private int _nextAck;
    private int _pings;
    private Task? _reader;

    private RawSocketIOClient(int protocol) => _protocol = protocol;

    /// <summary>Events received, as (name, first argument).</summary>
    public ConcurrentQueue<(string Name, JsonElement Data)> Events { get; } = new();

    /// <summary>Completes with the reason when the server closes the WebSocket.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>Pings answered so far: proof the connection is being served.</summary>
    public int Pings => Volatile.Read(ref _pings);

    public bool IsOpen => _socket.State == WebSocketState.Open && !_closed.Task.IsCompleted;

    /// <summary>Opens the WebSocket and sends CONNECT (with <paramref name="auth"/> on v4); returns the CONNECT or CONNECT_ERROR packet.</summary>
    public static async Task<(RawSocketIOClient Client, string Reply)> ConnectAsync(Uri monitor, object? auth = null, string query = "", int protocol = 4,
        Action<ClientWebSocketOptions>? options = null, bool read = true)
    {
        var client = new RawSocketIOClient(protocol);
        options?.Invoke(client._socket.Options);
        var uri = new Uri($"ws://{monitor.Authority}/socket.io/?EIO={protocol}&transport=websocket{query}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client._socket.ConnectAsync(uri, timeout.Token);
        var open = await client.ReceiveOneAsync(timeout.Token);
        if (open is null || !open.StartsWith('0'))
        {
            throw new InvalidOperationException($"expected the Engine.IO open packet, got {open ?? "a close"}");
        }
        if (protocol >= 4)
        {
            await client.SendAsync("40" + (auth is null ? "" : JsonSerializer.Serialize(auth)));
        }
        if (!read)
        {
            return (client, "");
        }
        client._reader = client.ReadLoopAsync();
        var reply = await client._connectReply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return (client, reply);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] utf8)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(utf8, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public Task EmitAsync(string name, object data) => SendAsync("42" + JsonSerializer.Serialize(new object[] { name, data }));

    /// <summary>Emits with an acknowledgement id; the task completes with the acknowledgement's first argument.</summary>
    public async Task<JsonElement> EmitWithAckAsync(string name, object data)
    {
        var id = Interlocked.Increment(ref _nextAck);
        var pending = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _acks[id] = pending;
        await SendAsync($"42{id}" + JsonSerializer.Serialize(new object[] { name, data }));
        return await pending.Task;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await ReceiveOneAsync(CancellationToken.None) is { } message)
            {
                if (message == "2")
                {
                    Interlocked.Increment(ref _pings);
                    await SendAsync("3");
                }
                else if (message.StartsWith("40") || message.StartsWith("44"))
                {
                    _connectReply.TrySetResult(message);
                }
                else if (message.StartsWith("42"))
                {
                    var array = JsonDocument.Parse(message.AsMemory(2 + CountDigits(message, 2)).ToString()).RootElement;
                    Events.Enqueue((array[0].GetString()!, array.GetArrayLength() > 1 ? array[1].Clone() : default));
                }
                else if (message.StartsWith("43"))
                {
                    var digits = CountDigits(message, 2);
                    var id = int.Parse(message.AsSpan(2, digits));
                    var array = JsonDocument.Parse(message[(2 + digits)..]).RootElement;
                    if (_acks.TryRemove(id, out var pending))
                    {
                        pending.TrySetResult(array.GetArrayLength() > 0 ? array[0].Clone() : default);
                    }
                }
            }
            _closed.TrySetResult("closed by the server: " + _socket.CloseStatus);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed.TrySetResult("aborted: " + e.Message);
        }
        finally
        {
            _connectReply.TrySetResult("(closed before a CONNECT reply)");
            foreach (var pending in _acks.Values)
            {
                pending.TrySetException(new InvalidOperationException("the connection closed before the acknowledgement"));
            }
        }
    }

    private static int CountDigits(string text, int start)
    {
        var i = start;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
        return i - start;
    }

    private async Task<string?> ReceiveOneAsync(CancellationToken cancellationToken)
    {
        var result = await _socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            return null;
        }
        if (result.EndOfMessage)
        {
            return Encoding.UTF8.GetString(_buffer, 0, result.Count);
        }
        using var message = new MemoryStream();
        message.Write(_buffer, 0, result.Count);
        do
        {
            result = await _socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(_buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Abort();
        _socket.Dispose();
        if (_reader is not null)
        {
            await _reader.ContinueWith(static _ => { });
        }
    }
}
