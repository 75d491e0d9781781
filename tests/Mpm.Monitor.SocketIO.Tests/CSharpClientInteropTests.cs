using SocketIOClient;
using SocketIOClient.Transport;

namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>The C# SocketIOClient 3.0.6 against the real server: connect, events, acks both ways.</summary>
public sealed class CSharpClientInteropTests
{
    [Theory]
    [InlineData(TransportProtocol.WebSocket)]
    [InlineData(TransportProtocol.Polling)]
    public async Task SocketIOClient_connects_emits_and_acknowledges(TransportProtocol transport)
    {
        await using var host = await TestHost.StartAsync(setup: InteropServer.Configure);
        using var client = new SocketIOClient.SocketIO(host.BaseUri.ToString().TrimEnd('/'), new SocketIOOptions
        {
            Transport = transport,
            EIO = 4,
            Auth = new { token = "t-cs" },
            Reconnection = false,
            ConnectionTimeout = TimeSpan.FromSeconds(20),
        });
        var welcome = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answerWas = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.On("welcome", response => welcome.TrySetResult(response.GetValue(0)));
        client.On("question", response => response.CallbackAsync("answer to " + response.GetValue<string>(0)));
        client.On("answer-was", response => answerWas.TrySetResult(response.GetValue<string>(0)));

        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        client.OnError += (_, e) => errors.Enqueue("error " + e);
        client.OnDisconnected += (_, e) => errors.Enqueue("disconnected " + e);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnConnected += (_, _) => connected.TrySetResult();
        await client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(client.Connected, string.Join("\n", errors.Concat(host.Logs.Lines)));
        var hello = await welcome.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("t-cs", hello.GetProperty("token").GetString());

        var echoed = new TaskCompletionSource<SocketIOResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.EmitAsync("echo", response => echoed.TrySetResult(response), new { a = 1, s = "é" }, 42);
        var echo = await echoed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("é", echo.GetValue(0).GetProperty("s").GetString());
        Assert.Equal(42, echo.GetValue<int>(1));

        await client.EmitAsync("ask-me");
        Assert.Equal("answer to how many?", await answerWas.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(1, host.Io.Sockets.SocketCount);

        await client.DisconnectAsync();
        await Eventually.TrueAsync(() => host.Io.Sockets.SocketCount == 0, "the server saw the client leave");
    }
}
