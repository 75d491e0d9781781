namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>One server-wide timer serves every session's heartbeat; each session keeps its own schedule.</summary>
public sealed class HeartbeatTests
{
    // Short pings, but a timeout long enough that a stall of a loaded test machine cannot make a client
    // that answers miss it.
    private static Task<TestHost> StartAsync() => TestHost.StartAsync(o =>
    {
        o.PingInterval = TimeSpan.FromMilliseconds(200);
        o.PingTimeout = TimeSpan.FromSeconds(3);
    });

    private static async Task<RawWebSocket> OpenAsync(TestHost host)
    {
        var ws = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        Assert.StartsWith("0", (string)(await ws.ReceiveAsync())!);
        return ws;
    }

    private static async Task AnswerPingsAsync(RawWebSocket ws, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.Equal("2", await ws.ReceiveAsync());
            await ws.SendAsync("3");
        }
    }

    [Fact]
    public async Task A_silent_session_is_closed_while_sessions_opened_before_and_after_it_keep_being_pinged()
    {
        await using var host = await StartAsync();
        await using var early = await OpenAsync(host);
        await AnswerPingsAsync(early, 1);
        await using var silent = await OpenAsync(host);
        Assert.Equal("2", await silent.ReceiveAsync());
        await using var late = await OpenAsync(host);

        // Answering every 200 ms for longer than the silent session's 3.2 s of grace.
        var answering = Task.WhenAll(AnswerPingsAsync(early, 20), AnswerPingsAsync(late, 20));
        Assert.True(await silent.WaitClosedAsync());
        await Eventually.TrueAsync(() => host.Io.ConnectionCount == 2, "only the silent session is closed");
        await answering;
        Assert.Equal(2, host.Io.ConnectionCount);
    }

    [Fact]
    public async Task Sessions_opened_after_every_other_one_ended_are_pinged_and_timed_out_again()
    {
        await using var host = await StartAsync();
        await using (var first = await OpenAsync(host))
        {
            await AnswerPingsAsync(first, 1);
            await first.SendAsync("1"); // the client's close packet
            Assert.True(await first.WaitClosedAsync());
        }
        await Eventually.TrueAsync(() => host.Io.ConnectionCount == 0, "the first session is gone");

        await using var next = await OpenAsync(host);
        await AnswerPingsAsync(next, 1);
        await using var silent = await OpenAsync(host);
        var answering = AnswerPingsAsync(next, 20);
        Assert.Equal("2", await silent.ReceiveAsync());
        Assert.True(await silent.WaitClosedAsync());
        await Eventually.TrueAsync(() => host.Io.ConnectionCount == 1, "only the silent session is closed");
        await answering;
        Assert.Equal(1, host.Io.ConnectionCount);
    }

    [Fact]
    public async Task An_Engine_IO_3_client_that_stops_pinging_is_closed_and_one_that_pings_stays()
    {
        await using var host = await StartAsync();
        var (pinging, _) = await Polling.HandshakeAsync(host.Http, eio: 3);
        var (silent, _) = await Polling.HandshakeAsync(host.Http, eio: 3);

        // v3 clients ping and the server answers; silence for interval + timeout ends the session.
        var pings = 0;
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (host.Io.ConnectionCount > 1)
        {
            await PingAsync();
            pings++;
            Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(30), "the silent session was not closed");
        }
        Assert.True(pings > 1, "the pinging client outlived several of its pings");
        Assert.Equal("""{"code":1,"message":"Session ID unknown"}""", (await Polling.GetAsync(host.Http, silent, eio: 3)).Body);
        await PingAsync();
        Assert.Equal(1, host.Io.ConnectionCount);

        async Task PingAsync()
        {
            Assert.Equal("ok", (await Polling.PostAsync(host.Http, pinging, "1:2", eio: 3)).Body);
            var body = "";
            while (!body.Contains("1:3"))
            {
                var (status, payload) = await Polling.GetAsync(host.Http, pinging, eio: 3);
                Assert.True(status == System.Net.HttpStatusCode.OK, $"poll answered {(int)status} {payload}");
                body += payload;
            }
        }
    }
}
