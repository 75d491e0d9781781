using System.Collections.Concurrent;
using System.Text.Json;
using SocketIOClient;
using SocketIOClient.Transport;

namespace Mpm.Monitor.Tests.Realtime;

/// <summary>
/// The C# SocketIOClient 3.0.6 connected to a monitor, recording the monitor events it receives
/// (in arrival order) and the reply events <c>subscribed</c>, <c>state</c> and <c>monitor_error</c>.
/// </summary>
internal sealed class MonitorSocketClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly SocketIOClient.SocketIO _client;

    private MonitorSocketClient(SocketIOClient.SocketIO client) => _client = client;

    /// <summary>Monitor events received (name, payload), in order.</summary>
    public ConcurrentQueue<(string Name, JsonElement Payload)> Events { get; } = new();

    public ConcurrentQueue<(string Name, JsonElement Payload)> Replies { get; } = new();

    public IReadOnlyList<string> EventNames => [.. Events.Select(e => e.Name)];

    public IReadOnlyList<long> EventIds => [.. Events.Select(e => e.Payload.GetProperty("id").GetInt64())];

    public bool Connected => _client.Connected;

    public static async Task<MonitorSocketClient> ConnectAsync(string url, TransportProtocol transport, object? auth = null)
    {
        var client = new SocketIOClient.SocketIO(url.TrimEnd('/'), new SocketIOOptions
        {
            Transport = transport,
            EIO = 4,
            Auth = auth,
            Reconnection = false,
            ConnectionTimeout = Wait,
        });
        var wrapper = new MonitorSocketClient(client);
        client.OnAny((name, response) =>
        {
            var payload = response.GetValue<JsonElement>(0);
            if (name is "subscribed" or "state" or "monitor_error")
                wrapper.Replies.Enqueue((name, payload));
            else
                wrapper.Events.Enqueue((name, payload));
        });
        var problems = new ConcurrentQueue<string>();
        client.OnError += (_, e) => problems.Enqueue("error: " + e);
        client.OnDisconnected += (_, e) => problems.Enqueue("disconnected: " + e);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnConnected += (_, _) => connected.TrySetResult();
        await client.ConnectAsync().WaitAsync(Wait);
        await connected.Task.WaitAsync(Wait);
        Assert.True(client.Connected, $"the C# client did not connect to {url}: {string.Join("; ", problems)}");
        return wrapper;
    }

    /// <summary>Emits with an acknowledgement callback and returns the reply.</summary>
    public async Task<JsonElement> RequestAsync(string eventName, params object[] args)
    {
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _client.EmitAsync(eventName, response => reply.TrySetResult(response.GetValue<JsonElement>(0)), args);
        return await reply.Task.WaitAsync(Wait);
    }

    /// <summary>Emits without an acknowledgement callback.</summary>
    public Task SendAsync(string eventName, params object[] args) => _client.EmitAsync(eventName, args);

    /// <summary>An acknowledged round trip: every broadcast queued for this client before it has arrived.</summary>
    public Task SettleAsync() => RequestAsync("get_state", new { since = long.MaxValue / 2 });

    public async ValueTask DisposeAsync()
    {
        if (_client.Connected)
            await _client.DisconnectAsync();
        _client.Dispose();
    }
}
