namespace Mpm.Monitor.SocketIO.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_application_sends_what_is_queued_then_closes_every_connection()
    {
        var host = await TestHost.StartAsync();
        await using var ws = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        await ws.ReceiveAsync();
        await ws.SendAsync("40");
        Assert.StartsWith("40", await ws.ReceiveTextAsync());
        await Eventually.TrueAsync(() => host.Io.Sockets.SocketCount == 1, "the socket is connected");

        host.Io.Sockets.Emit("bye", "server stopping");
        var stopping = host.DisposeAsync().AsTask();
        Assert.Equal("42[\"bye\",\"server stopping\"]", await ws.ReceiveTextAsync());
        Assert.True(await ws.WaitClosedAsync());
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
