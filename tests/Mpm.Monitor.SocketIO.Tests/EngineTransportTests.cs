using System.Net;
using System.Text;

namespace Mpm.Monitor.SocketIO.Tests;

public sealed class EngineTransportTests
{
    private static Action<SocketIOServer> EchoOnMessage => io => io.Sockets.OnConnection(socket =>
    {
        socket.On("message", e =>
        {
            socket.Emit("echo", [.. e.Args.Cast<object?>()]);
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    });

    [Fact]
    public async Task Polling_v4_joins_queued_packets_with_the_record_separator_in_order()
    {
        await using var host = await TestHost.StartAsync(setup: EchoOnMessage);
        var (sid, _) = await Polling.HandshakeAsync(host.Http);
        Assert.Equal("ok", (await Polling.PostAsync(host.Http, sid, "40")).Body);
        Assert.StartsWith("40{\"sid\":", (await Polling.ReceivePacketsAsync(host.Http, sid)).Single());

        Assert.Equal("ok", (await Polling.PostAsync(host.Http, sid, "42[\"message\",1]\u001e42[\"message\",\"é\"]\u001e42[\"message\",{\"a\":[true]}]")).Body);
        var packets = new List<string>();
        while (packets.Count < 3)
            packets.AddRange(await Polling.ReceivePacketsAsync(host.Http, sid));
        Assert.Equal(["42[\"echo\",1]", "42[\"echo\",\"é\"]", "42[\"echo\",{\"a\":[true]}]"], packets);
    }

    [Fact]
    public async Task Polling_v3_uses_length_prefixes_connects_to_the_default_namespace_and_answers_client_pings()
    {
        await using var host = await TestHost.StartAsync(setup: EchoOnMessage);
        var handshake = await host.Http.GetStringAsync("/socket.io/?EIO=3&transport=polling&b64=1");
        var length = int.Parse(handshake[..handshake.IndexOf(':')]);
        var open = handshake.Substring(handshake.IndexOf(':') + 1, length);
        var sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
        // Engine.IO v3 clients are connected to "/" without asking: the server says so ("40", Socket.IO v4).
        var rest = handshake[(handshake.IndexOf(':') + 1 + length)..];
        if (rest.Length == 0)
            rest = (await Polling.GetAsync(host.Http, sid, 3)).Body;
        Assert.Equal("2:40", rest);

        // Lengths count characters, not bytes.
        Assert.Equal("ok", (await Polling.PostAsync(host.Http, sid, "1:2" + "17:42[\"message\",\"é\"]", 3)).Body);
        var body = "";
        while (!body.Contains("echo"))
            body += (await Polling.GetAsync(host.Http, sid, 3)).Body;
        Assert.Equal("1:3" + "14:42[\"echo\",\"é\"]", body);
    }

    [Fact]
    public async Task Polling_v3_sends_binary_as_base64_to_clients_without_XHR2()
    {
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            socket.Emit("file", new byte[] { 1, 2, 3, 4 });
            return ValueTask.CompletedTask;
        }));
        var handshake = await host.Http.GetStringAsync("/socket.io/?EIO=3&transport=polling&b64=1");
        var sid = JsonDocument.Parse(handshake[(handshake.IndexOf(':') + 2)..(handshake.IndexOf(':') + 1 + int.Parse(handshake[..handshake.IndexOf(':')]))]).RootElement.GetProperty("sid").GetString()!;
        var body = handshake;
        while (!body.Contains("b4"))
            body += (await Polling.GetAsync(host.Http, sid, 3)).Body;
        Assert.EndsWith("2:40" + "42:451-[\"file\",{\"_placeholder\":true,\"num\":0}]" + "10:b4AQIDBA==", body);
    }

    [Fact]
    public async Task Upgrade_from_polling_probes_sends_a_noop_to_the_pending_GET_and_then_uses_the_WebSocket()
    {
        await using var host = await TestHost.StartAsync(setup: EchoOnMessage);
        var (sid, _) = await Polling.HandshakeAsync(host.Http);
        await Polling.PostAsync(host.Http, sid, "40");
        await Polling.ReceivePacketsAsync(host.Http, sid);

        var pendingGet = Polling.GetAsync(host.Http, sid);
        await using var ws = await RawWebSocket.ConnectAsync(host.WebSocketUri($"EIO=4&transport=websocket&sid={sid}"));
        await ws.SendAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        var (status, body) = await pendingGet;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("6", body);
        await ws.SendAsync("5");
        await ws.SendAsync("42[\"message\",\"over ws\"]");
        Assert.Equal("42[\"echo\",\"over ws\"]", await ws.ReceiveTextAsync());

        // The session now belongs to the WebSocket: polling and a second WebSocket are refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await Polling.GetAsync(host.Http, sid)).Status);
        await using var second = await RawWebSocket.ConnectAsync(host.WebSocketUri($"EIO=4&transport=websocket&sid={sid}"));
        Assert.True(await second.WaitClosedAsync());
        await ws.SendAsync("42[\"message\",2]");
        Assert.Equal("42[\"echo\",2]", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_client_that_does_not_answer_pings_is_closed_after_interval_plus_timeout()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(200);
            o.PingTimeout = TimeSpan.FromMilliseconds(200);
        });
        await using var ws = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        Assert.StartsWith("0", (string)(await ws.ReceiveAsync())!);
        Assert.Equal("2", await ws.ReceiveAsync());
        Assert.True(await ws.WaitClosedAsync());

        var (sid, _) = await Polling.HandshakeAsync(host.Http);
        await Eventually.TrueAsync(() => host.Io.ConnectionCount == 0, "the silent sessions are closed");
        Assert.Equal("""{"code":1,"message":"Session ID unknown"}""", (await Polling.GetAsync(host.Http, sid)).Body);
    }

    [Fact]
    public async Task A_client_answering_pings_stays_connected()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(100);
            o.PingTimeout = TimeSpan.FromSeconds(10);
        });
        await using var ws = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        await ws.ReceiveAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("2", await ws.ReceiveAsync());
            await ws.SendAsync("3");
        }
        Assert.Equal(1, host.Io.ConnectionCount);
    }

    [Fact]
    public async Task A_POST_over_maxPayload_gets_413_and_ends_the_session()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxPayload = 2048);
        var (sid, _) = await Polling.HandshakeAsync(host.Http);
        var (status, body) = await Polling.PostAsync(host.Http, sid, "4" + new string('x', 4096));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("\"code\":3", body);
        Assert.Equal(HttpStatusCode.BadRequest, (await Polling.GetAsync(host.Http, sid)).Status);
    }

    [Fact]
    public async Task A_WebSocket_message_over_maxPayload_closes_the_connection()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxPayload = 2048);
        await using var ws = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        await ws.ReceiveAsync();
        await ws.SendAsync("4" + new string('x', 10_000));
        Assert.True(await ws.WaitClosedAsync());
        await Eventually.TrueAsync(() => host.Io.ConnectionCount == 0, "the session is gone");
    }

    [Fact]
    public async Task A_malformed_packet_closes_only_that_connection()
    {
        await using var host = await TestHost.StartAsync(setup: EchoOnMessage);
        await using var good = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        await good.ReceiveAsync();
        await good.SendAsync("40");
        Assert.StartsWith("40", await good.ReceiveTextAsync());

        foreach (var bad in new[] { "abc", "4abc", "42{}", "42abc[\"message\"]", "49", "" })
        {
            await using var ws = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
            await ws.ReceiveAsync();
            await ws.SendAsync("40");
            Assert.StartsWith("40", await ws.ReceiveTextAsync());
            await ws.SendAsync(bad);
            Assert.True(await ws.WaitClosedAsync(), $"'{bad}' closes the connection");
        }

        var (sid, _) = await Polling.HandshakeAsync(host.Http);
        Assert.Equal(HttpStatusCode.BadRequest, (await Polling.PostAsync(host.Http, sid, "4\u001e")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Polling.GetAsync(host.Http, sid)).Status);

        await good.SendAsync("42[\"message\",\"still here\"]");
        Assert.Equal("42[\"echo\",\"still here\"]", await good.ReceiveTextAsync());
        Assert.Equal(1, host.Io.ConnectionCount);
    }

    [Fact]
    public async Task A_client_close_packet_ends_the_session()
    {
        await using var host = await TestHost.StartAsync();
        var (sid, _) = await Polling.HandshakeAsync(host.Http);
        var pending = Polling.GetAsync(host.Http, sid);
        await Polling.PostAsync(host.Http, sid, "1");
        Assert.Equal((HttpStatusCode.OK, "6"), await pending);
        Assert.Equal(HttpStatusCode.BadRequest, (await Polling.GetAsync(host.Http, sid)).Status);
    }

    [Fact]
    public async Task A_second_concurrent_GET_ends_the_session()
    {
        await using var host = await TestHost.StartAsync();
        var (sid, _) = await Polling.HandshakeAsync(host.Http);
        var first = Polling.GetAsync(host.Http, sid);
        var second = await Polling.GetAsync(host.Http, sid, extraQuery: "&t=again");
        if (second.Status == HttpStatusCode.OK)
            Assert.Equal("1", second.Body); // the second got there first; the first is the duplicate then
        else
            Assert.Equal((HttpStatusCode.OK, "1"), await first);
        Assert.Equal(HttpStatusCode.BadRequest, (await Polling.GetAsync(host.Http, sid)).Status);
    }

    [Fact]
    public async Task CORS_headers_go_only_to_allowed_origins_and_foreign_origins_are_refused()
    {
        await using var host = await TestHost.StartAsync(o => o.AllowedOrigins = ["http://dashboard.example:8080"]);

        var allowed = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        allowed.Headers.Add("Origin", "http://dashboard.example:8080");
        var response = await host.Http.SendAsync(allowed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://dashboard.example:8080", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());

        var preflight = new HttpRequestMessage(HttpMethod.Options, "/socket.io/?EIO=4&transport=polling");
        preflight.Headers.Add("Origin", "http://dashboard.example:8080");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        response = await host.Http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("content-type", response.Headers.GetValues("Access-Control-Allow-Headers").Single());

        var foreign = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        foreign.Headers.Add("Origin", "http://evil.example");
        response = await host.Http.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));

        var sameOrigin = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        sameOrigin.Headers.Add("Origin", $"http://{host.BaseUri.Authority}");
        response = await host.Http.SendAsync(sameOrigin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));

        response = await host.Http.GetAsync("/socket.io/?EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_disconnected_while_others_keep_receiving()
    {
        var reasons = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(
            o => o.MaxQueuedMessages = 8,
            io => io.Sockets.OnConnection(socket =>
            {
                socket.OnDisconnect(reasons.Enqueue);
                return ValueTask.CompletedTask;
            }));
        await using var slow = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        await using var fast = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        foreach (var ws in new[] { slow, fast })
        {
            await ws.ReceiveAsync();
            await ws.SendAsync("40");
            Assert.StartsWith("40", await ws.ReceiveTextAsync());
        }
        await Eventually.TrueAsync(() => host.Io.Sockets.SocketCount == 2, "both sockets are connected");

        var chunk = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new string('x', 64 * 1024)));
        var received = 0;
        // Broadcast until the slow client's socket buffers and queue are full; the fast one reads everything.
        for (var round = 0; round < 2000 && host.Io.Sockets.SocketCount == 2; round++)
        {
            host.Io.Sockets.EmitRaw("chunk", chunk);
            var message = await fast.ReceiveTextAsync();
            Assert.StartsWith("42[\"chunk\"", message);
            received++;
        }
        Assert.Equal(1, host.Io.Sockets.SocketCount);
        Assert.Contains("queue overflow", reasons);
        Assert.Contains(host.Logs.Lines, line => line.Contains("outgoing queue of 8 packets overflowed"));

        host.Io.Sockets.Emit("after", received);
        Assert.Equal($"42[\"after\",{received}]", await fast.ReceiveTextAsync());
    }

    [Fact]
    public async Task Packets_emitted_in_bursts_between_idle_spells_arrive_complete_and_in_order()
    {
        var connected = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            connected.TrySetResult(socket);
            return ValueTask.CompletedTask;
        }));
        await using var ws = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        await ws.ReceiveAsync();
        await ws.SendAsync("40");
        Assert.StartsWith("40", await ws.ReceiveTextAsync());
        var socket = await connected.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Each burst is read in full before the next, so the connection's writer has ended in between.
        var sent = 0;
        var expected = 0;
        for (var burst = 0; burst < 30; burst++)
        {
            var size = burst * 7 % 40 + 1;
            var first = sent;
            await Task.Run(() =>
            {
                for (var i = 0; i < size; i++)
                    socket.Emit("n", first + i);
            });
            sent += size;
            while (expected < sent)
                Assert.Equal($"42[\"n\",{expected++}]", await ws.ReceiveTextAsync());
        }
        Assert.Equal(1, host.Io.ConnectionCount);
    }

    [Fact]
    public async Task A_server_close_reaches_a_polling_client_that_was_between_polls()
    {
        var connected = new TaskCompletionSource<Socket>();
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            connected.SetResult(socket);
            return ValueTask.CompletedTask;
        }));
        var (sid, _) = await Polling.HandshakeAsync(host.Http);
        await Polling.PostAsync(host.Http, sid, "40");
        await Polling.ReceivePacketsAsync(host.Http, sid);
        var socket = await connected.Task.WaitAsync(TimeSpan.FromSeconds(20));

        socket.Emit("last words");
        socket.Disconnect(close: true);
        Assert.Equal((HttpStatusCode.OK, "42[\"last words\"]\u001e41\u001e1"), await Polling.GetAsync(host.Http, sid));
        Assert.Equal(HttpStatusCode.BadRequest, (await Polling.GetAsync(host.Http, sid)).Status);
        Assert.Equal(0, host.Io.ConnectionCount);
    }
}
