using System.Collections.Concurrent;
using System.Text;

namespace Mpm.Monitor.SocketIO.Tests;

public sealed class SocketIOProtocolTests
{
    private static async Task<RawWebSocket> ConnectAsync(TestHost host, string connectPacket = "40")
    {
        var ws = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        Assert.StartsWith("0", (string)(await ws.ReceiveAsync())!);
        await ws.SendAsync(connectPacket);
        return ws;
    }

    [Fact]
    public async Task Connect_replies_with_the_socket_id_and_passes_auth_to_the_handshake()
    {
        var connected = new TaskCompletionSource<Socket>();
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            connected.SetResult(socket);
            return ValueTask.CompletedTask;
        }));
        await using var ws = await ConnectAsync(host, """40{"token":"abc","last_event_id":7}""");
        var reply = await ws.ReceiveTextAsync();
        var socket = await connected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal($$"""40{"sid":"{{socket.Id}}"}""", reply);
        Assert.Equal("abc", socket.Handshake.Auth!.Value.GetProperty("token").GetString());
        Assert.Equal(7, socket.Handshake.Auth!.Value.GetProperty("last_event_id").GetInt32());
        Assert.Equal(4, socket.Handshake.EngineProtocol);
        Assert.Equal(System.Net.IPAddress.Loopback, socket.Handshake.RemoteAddress);
        Assert.Equal("websocket", socket.Handshake.Query["transport"]);
        Assert.Equal(1, host.Io.Sockets.SocketCount);
    }

    [Fact]
    public async Task Unknown_namespace_gets_CONNECT_ERROR_and_the_connection_stays()
    {
        await using var host = await TestHost.StartAsync(setup: io => io.Of("/admin"));
        await using var ws = await ConnectAsync(host, "40/nope,");
        Assert.Equal("""44/nope,{"message":"Invalid namespace"}""", await ws.ReceiveTextAsync());
        await ws.SendAsync("40/admin,");
        Assert.StartsWith("40/admin,{\"sid\":", await ws.ReceiveTextAsync());
        Assert.Equal(1, host.Io.Of("/admin").SocketCount);
        Assert.Equal(0, host.Io.Sockets.SocketCount);
    }

    [Fact]
    public async Task Middleware_can_reject_with_message_and_data()
    {
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.Use(context =>
        {
            if (context.Socket.Handshake.Auth?.TryGetProperty("token", out var token) != true || token.GetString() != "good")
                context.Reject("unauthorized", new { code = "bad_token" });
            return ValueTask.CompletedTask;
        }));
        await using var refused = await ConnectAsync(host, """40{"token":"bad"}""");
        Assert.Equal("""44{"message":"unauthorized","data":{"code":"bad_token"}}""", await refused.ReceiveTextAsync());
        Assert.Equal(0, host.Io.Sockets.SocketCount);

        await using var accepted = await ConnectAsync(host, """40{"token":"good"}""");
        Assert.StartsWith("40{\"sid\":", await accepted.ReceiveTextAsync());
        Assert.Equal(1, host.Io.Sockets.SocketCount);
    }

    [Fact]
    public async Task Events_registered_in_the_connection_handler_receive_what_the_client_sent_right_after_connecting()
    {
        var gate = new TaskCompletionSource();
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(async socket =>
        {
            await gate.Task; // a slow connection handler: events must wait for it, not be lost
            socket.On("hello", e => e.AckAsync("hi " + e.Args[0].GetString()));
        }));
        await using var ws = await ConnectAsync(host);
        Assert.StartsWith("40", await ws.ReceiveTextAsync());
        await ws.SendAsync("""421["hello","bob"]""");
        gate.SetResult();
        Assert.Equal("""431["hi bob"]""", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task Server_acks_client_events_and_client_acks_server_events()
    {
        var answer = new TaskCompletionSource<JsonElement[]>();
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            socket.On("ask", async e =>
            {
                Assert.True(e.HasAck);
                answer.SetResult(await socket.EmitWithAckAsync("question", TimeSpan.FromSeconds(20), "what", 42));
                await e.AckAsync("done");
            });
            return ValueTask.CompletedTask;
        }));
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveTextAsync();
        await ws.SendAsync("""4212["ask"]""");
        var question = await ws.ReceiveTextAsync();
        Assert.Matches("""^42(\d+)\["question","what",42\]$""", question);
        var id = System.Text.RegularExpressions.Regex.Match(question!, @"^42(\d+)").Groups[1].Value;
        await ws.SendAsync($$"""43{{id}}[{"yes":true},"x"]""");
        var args = await answer.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("""{"yes":true}""", args[0].GetRawText());
        Assert.Equal("x", args[1].GetString());
        Assert.Equal("""4312["done"]""", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task EmitWithAck_times_out_when_the_client_never_answers()
    {
        var outcome = new TaskCompletionSource<Exception>();
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await socket.EmitWithAckAsync("ping-me", TimeSpan.FromMilliseconds(100));
                }
                catch (Exception e)
                {
                    outcome.SetResult(e);
                }
            });
            return ValueTask.CompletedTask;
        }));
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveTextAsync();
        Assert.Matches("""^421\["ping-me"\]$""", await ws.ReceiveTextAsync());
        Assert.IsType<TimeoutException>(await outcome.Task.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Binary_events_and_acks_carry_attachments_both_ways()
    {
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            socket.On("upload", async e =>
            {
                Assert.Equal(2, e.Attachments.Count);
                Assert.Equal(0, e.Args[1].GetProperty("num").GetInt32());
                var reversed = e.Attachments[0].ToArray().Reverse().ToArray();
                socket.Emit("download", e.Args[0].GetString(), reversed);
                await e.AckAsync(e.Attachments[1], "ok");
            });
            return ValueTask.CompletedTask;
        }));
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveTextAsync();
        await ws.SendAsync("""452-9["upload","name",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]""");
        await ws.SendAsync(new byte[] { 1, 2, 3 });
        await ws.SendAsync(new byte[] { 9, 8 });
        Assert.Equal("""451-["download","name",{"_placeholder":true,"num":0}]""", await ws.ReceiveTextAsync());
        Assert.Equal(new byte[] { 3, 2, 1 }, (byte[])(await ws.ReceiveAsync())!);
        Assert.Equal("""461-9[{"_placeholder":true,"num":0},"ok"]""", await ws.ReceiveTextAsync());
        Assert.Equal(new byte[] { 9, 8 }, (byte[])(await ws.ReceiveAsync())!);
    }

    [Fact]
    public async Task Rooms_broadcast_to_members_except_excluded_and_Join_takes_effect_at_once()
    {
        var sockets = new ConcurrentDictionary<string, Socket>();
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            var name = socket.Handshake.Auth!.Value.GetProperty("name").GetString()!;
            sockets[name] = socket;
            socket.On("shout", e =>
            {
                socket.Broadcast.Emit("heard", name);
                return ValueTask.CompletedTask;
            });
            return ValueTask.CompletedTask;
        }));
        var clients = new Dictionary<string, RawWebSocket>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            clients[name] = await ConnectAsync(host, $$"""40{"name":"{{name}}"}""");
            await clients[name].ReceiveTextAsync();
        }
        await Eventually.TrueAsync(() => sockets.Count == 3, "all three connected");
        try
        {
            sockets["a"].Join("red");
            sockets["b"].Join("red");
            sockets["b"].Join("vip");
            host.Io.Sockets.To("red").Except("vip").Emit("news", 1);
            host.Io.Sockets.To("red").To("vip").Emit("news", 2);
            sockets["c"].Join("red");
            Assert.Equal(["red"], sockets["c"].Rooms);
            host.Io.Sockets.To("red").Emit("news", 3);
            sockets["a"].Leave("red");
            host.Io.Sockets.To("red").Emit("news", 4);
            host.Io.Sockets.Emit("news", 5);
            await clients["c"].SendAsync("""42["shout"]""");

            Assert.Equal(["""42["news",1]""", """42["news",2]""", """42["news",3]""", """42["news",5]""", """42["heard","c"]"""], await ReceiveAsync(clients["a"], 5));
            Assert.Equal(["""42["news",2]""", """42["news",3]""", """42["news",4]""", """42["news",5]""", """42["heard","c"]"""], await ReceiveAsync(clients["b"], 5));
            Assert.Equal(["""42["news",3]""", """42["news",4]""", """42["news",5]"""], await ReceiveAsync(clients["c"], 3));
        }
        finally
        {
            foreach (var client in clients.Values)
                await client.DisposeAsync();
        }

        static async Task<List<string>> ReceiveAsync(RawWebSocket ws, int count)
        {
            var messages = new List<string>();
            while (messages.Count < count)
                messages.Add((await ws.ReceiveTextAsync())!);
            return messages;
        }
    }

    [Fact]
    public async Task EmitRaw_writes_the_serialised_argument_verbatim_in_emit_order()
    {
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            socket.Emit("first", new { a = 1 });
            socket.EmitRaw("second", Encoding.UTF8.GetBytes("""{"id":1234,"nested":[1,2,{"x":"ü"}]}"""));
            socket.Namespace.To("nobody").Emit("ignored");
            socket.Emit("third", null, "<tag>");
            return ValueTask.CompletedTask;
        }));
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveTextAsync();
        Assert.Equal("""42["first",{"a":1}]""", await ws.ReceiveTextAsync());
        Assert.Equal("""42["second",{"id":1234,"nested":[1,2,{"x":"ü"}]}]""", await ws.ReceiveTextAsync());
        Assert.Equal("""42["third",null,"<tag>"]""", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_throwing_handler_closes_only_its_connection()
    {
        var reasons = new ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            socket.OnDisconnect(reasons.Enqueue);
            socket.On("boom", _ => throw new InvalidOperationException("handler bug"));
            socket.On("echo", e => e.AckAsync(e.Args[0]));
            return ValueTask.CompletedTask;
        }));
        await using var victim = await ConnectAsync(host);
        await victim.ReceiveTextAsync();
        await using var bystander = await ConnectAsync(host);
        await bystander.ReceiveTextAsync();

        await victim.SendAsync("""42["boom"]""");
        Assert.True(await victim.WaitClosedAsync());
        Assert.Contains(host.Logs.Lines, line => line.Contains("handler of / failed"));
        await bystander.SendAsync("""425["echo","alive"]""");
        Assert.Equal("""435["alive"]""", await bystander.ReceiveTextAsync());
        await Eventually.TrueAsync(() => reasons.Count == 1, "the victim's disconnect handler ran");
        Assert.Equal(1, host.Io.Sockets.SocketCount);
    }

    [Fact]
    public async Task Client_namespace_disconnect_and_server_Disconnect_report_their_reasons()
    {
        var reasons = new ConcurrentQueue<string>();
        var sockets = new ConcurrentQueue<Socket>();
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            sockets.Enqueue(socket);
            socket.OnDisconnect(reasons.Enqueue);
            return ValueTask.CompletedTask;
        }));
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveTextAsync();
        await ws.SendAsync("41");
        await Eventually.TrueAsync(() => reasons.Contains("client namespace disconnect"), "the client's disconnect is seen");
        Assert.Equal(0, host.Io.Sockets.SocketCount);
        Assert.Equal(1, host.Io.ConnectionCount); // the Engine.IO connection stays for other namespaces

        await ws.SendAsync("40");
        await ws.ReceiveTextAsync();
        await Eventually.TrueAsync(() => sockets.Count == 2, "reconnected to /");
        sockets.Last().Disconnect();
        Assert.Equal("41", await ws.ReceiveTextAsync());
        await Eventually.TrueAsync(() => reasons.Contains("server namespace disconnect"), "the server's disconnect is seen");

        await ws.SendAsync("40");
        await ws.ReceiveTextAsync();
        await Eventually.TrueAsync(() => sockets.Count == 3, "reconnected to /");
        sockets.Last().Disconnect(close: true);
        Assert.Equal("41", await ws.ReceiveTextAsync());
        Assert.True(await ws.WaitClosedAsync());
        await Eventually.TrueAsync(() => host.Io.ConnectionCount == 0, "the connection is closed");
    }

    [Fact]
    public async Task A_connection_that_joins_no_namespace_is_closed_after_the_connect_timeout()
    {
        await using var host = await TestHost.StartAsync(o => o.ConnectTimeout = TimeSpan.FromMilliseconds(200));
        await using var ws = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        await ws.ReceiveAsync();
        Assert.True(await ws.WaitClosedAsync());
        Assert.Equal(0, host.Io.ConnectionCount);
    }

    [Fact]
    public async Task Handled_events_are_not_kept_alive_by_the_ones_after_them()
    {
        WeakReference? first = null;
        await using var host = await TestHost.StartAsync(setup: io => io.Sockets.OnConnection(socket =>
        {
            socket.On("e", e =>
            {
                first ??= new WeakReference(e);
                return e.HasAck ? e.AckAsync() : ValueTask.CompletedTask;
            });
            return ValueTask.CompletedTask;
        }));
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveTextAsync();
        for (var i = 0; i < 50; i++)
            await ws.SendAsync("""42["e",{"payload":"some data"}]""");
        await ws.SendAsync("""427["e"]""");
        Assert.Equal("437[]", await ws.ReceiveTextAsync());

        await Eventually.TrueAsync(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return first is { IsAlive: false };
        }, "the first event is collected");
    }
}
