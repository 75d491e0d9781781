using System.Net.WebSockets;
using System.Text;

namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>A ClientWebSocket speaking raw Engine.IO frames, for protocol-level tests.</summary>
internal sealed class RawWebSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public WebSocketState State => _socket.State;

    public static async Task<RawWebSocket> ConnectAsync(Uri uri)
    {
        var raw = new RawWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await raw._socket.ConnectAsync(uri, timeout.Token);
        return raw;
    }

    public Task SendAsync(string text) => _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendAsync(byte[] binary) => _socket.SendAsync(binary, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The next message; text as a string, binary as byte[]; null when the server closed.</summary>
    public async Task<object?> ReceiveAsync(int timeoutSeconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var buffer = new byte[1 << 20];
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer.AsMemory(count), timeout.Token);
            count += result.Count;
        }
        while (!result.EndOfMessage);
        if (result.MessageType == WebSocketMessageType.Close)
            return null;
        return result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer, 0, count) : buffer[..count];
    }

    /// <summary>The next text message that is not a ping (answering pings as a client does).</summary>
    public async Task<string?> ReceiveTextAsync(int timeoutSeconds = 20)
    {
        while (true)
        {
            var message = await ReceiveAsync(timeoutSeconds);
            if (message is null)
                return null;
            if (message is "2")
            {
                await SendAsync("3");
                continue;
            }
            return message as string ?? throw new InvalidOperationException("expected a text message, got binary");
        }
    }

    /// <summary>Waits for the server to close the connection (or abort it).</summary>
    public async Task<bool> WaitClosedAsync(int timeoutSeconds = 20)
    {
        try
        {
            while (await ReceiveAsync(timeoutSeconds) is not null)
            {
            }
            return true;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Dispose();
    }
}
