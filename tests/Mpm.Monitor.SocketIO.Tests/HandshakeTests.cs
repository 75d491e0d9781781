using System.Net.WebSockets;

namespace Mpm.Monitor.SocketIO.Tests;

public sealed class HandshakeTests
{
    [Fact]
    public async Task The_handshake_query_and_headers_stay_readable_after_the_request_is_gone_and_cannot_be_changed()
    {
        var connected = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            socket.OnDisconnect(_ => disconnected.TrySetResult());
            connected.TrySetResult(socket);
            return ValueTask.CompletedTask;
        }));
        using (var client = new ClientWebSocket())
        {
            client.Options.SetRequestHeader("X-Client", "dashboard");
            client.Options.SetRequestHeader("Authorization", "Bearer t0k3n");
            await client.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket&room=a%20b&token=x"), CancellationToken.None);
            await client.SendAsync("40"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            await connected.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Eventually.TrueAsync(() => host.Io.ConnectionCount == 0, "the connection is gone");

        var handshake = (await connected.Task).Handshake;
        Assert.Equal("a b", handshake.Query["room"]);
        Assert.Equal("x", handshake.Query["TOKEN"]); // query keys compare as ASP.NET Core's do
        Assert.Equal("websocket", handshake.Query["transport"]);
        var headers = handshake.Headers;
        Assert.Equal("dashboard", headers["x-client"]);
        Assert.Equal("Bearer t0k3n", headers.Authorization);
        Assert.Equal("websocket", headers.Upgrade, ignoreCase: true);
        Assert.Throws<InvalidOperationException>(() => headers["X-Client"] = "changed");
        Assert.Equal("dashboard", handshake.Headers["X-Client"]);
    }
}
