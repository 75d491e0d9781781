using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>SocketIOServerOptions.InboundEventRate / InboundEventBurst and Namespace.OnRateLimited over a real WebSocket.</summary>
public sealed class InboundRateLimitTests
{
    [Fact]
    public async Task Events_past_the_burst_go_to_the_rate_limited_handler_and_the_socket_stays_connected()
    {
        var handled = new ConcurrentQueue<string>();
        var refused = new ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(
            o => { o.InboundEventRate = 1; o.InboundEventBurst = 5; },
            io =>
            {
                io.Sockets.OnRateLimited(e =>
                {
                    refused.Enqueue(e.Name);
                    if (e.HasAck)
                        _ = e.AckAsync("refused");
                });
                io.Sockets.OnConnection(socket =>
                {
                    socket.OnAny(e =>
                    {
                        handled.Enqueue(e.Name);
                        return e.HasAck ? e.AckAsync("handled") : ValueTask.CompletedTask;
                    });
                    return ValueTask.CompletedTask;
                });
            });
        await using var client = await ConnectAsync(host);

        for (var i = 1; i <= 8; i++)
            await client.SendAsync($"42{i}[\"e{i}\"]");
        var replies = new List<string>();
        while (replies.Count < 8)
            replies.Add((await client.ReceiveTextAsync())!);

        // 5 pass at once; at 1 event/s at most one more can have been earned meanwhile on a slow machine.
        Assert.InRange(replies.Count(r => r.EndsWith("[\"handled\"]")), 5, 6);
        Assert.Equal(8 - handled.Count, refused.Count);
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task A_socket_flooding_past_ten_times_the_burst_is_disconnected_and_logged()
    {
        await using var host = await TestHost.StartAsync(o => { o.InboundEventRate = 1; o.InboundEventBurst = 5; });
        await using var client = await ConnectAsync(host);

        for (var i = 0; i < 60 && client.State == WebSocketState.Open; i++)
        {
            try
            {
                await client.SendAsync("42[\"flood\"]");
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                break; // the server cut the flooder off mid-send
            }
        }
        Assert.True(await client.WaitClosedAsync());
        await Eventually.TrueAsync(() => host.Logs.Lines.Any(l => l.Contains("events at more than 10 per second")), "the flood is logged");
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(double.NaN, 10)]
    [InlineData(5, 0)]
    public void Bad_rate_limit_options_are_refused(double rate, int burst)
    {
        var result = new SocketIOServerOptionsValidator().Validate(null, new SocketIOServerOptions { InboundEventRate = rate, InboundEventBurst = burst });
        Assert.True(result.Failed);
        Assert.Contains("InboundEvent", result.FailureMessage);
    }

    private static async Task<RawWebSocket> ConnectAsync(TestHost host)
    {
        var client = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        Assert.StartsWith("0", await client.ReceiveTextAsync());
        await client.SendAsync("40");
        Assert.StartsWith("40", await client.ReceiveTextAsync());
        return client;
    }
}
