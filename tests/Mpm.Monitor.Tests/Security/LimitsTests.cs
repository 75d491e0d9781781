using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Security;

/// <summary>websocket.max_connections, max_payload, the 16 MB body limit and the per-socket event rate limit, through the real mpm.</summary>
public sealed class LimitsTests(LimitsTests.Monitor fixture) : IClassFixture<LimitsTests.Monitor>
{
    public const int MaxPayload = 4096;

    public sealed class Monitor : IAsyncLifetime
    {
        public MonitorProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() => Process = await MonitorProcess.StartAsync(new()
        {
            ConfigYaml = MonitorProcessOptions.DefaultConfigYaml + $"""

                  websocket:
                    ping_interval: 1
                    max_connections: 3
                    max_payload: {MaxPayload}
                """,
        });

        public async Task DisposeAsync() => await Process.DisposeAsync();
    }

    private MonitorProcess Mpm => fixture.Process;

    [Fact]
    public async Task Connections_beyond_max_connections_get_a_clear_503_and_the_open_ones_keep_working()
    {
        var clients = new List<RawSocketIOClient>();
        try
        {
            // The class shares one monitor: wait until other tests' sockets are gone, then fill it.
            await Poll.UntilAsync(() => Connections() == 0, "other tests' connections to close");
            for (var i = 0; i < 3; i++)
            {
                var (client, reply) = await RawSocketIOClient.ConnectAsync(Mpm.Url);
                clients.Add(client);
                Assert.StartsWith("40{", reply);
            }

            var refused = await Mpm.Http.GetAsync("/socket.io/?EIO=4&transport=polling");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(3, body.GetProperty("code").GetInt32());
            Assert.Contains("Too many connections", body.GetProperty("message").GetString());
            await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => RawSocketIOClient.ConnectAsync(Mpm.Url));

            // The open connections live on: several ping/pong rounds (ping_interval: 1) after the refusal.
            var pings = clients.Select(c => c.Pings).ToList();
            for (var i = 0; i < clients.Count; i++)
            {
                var (client, before) = (clients[i], pings[i]);
                await Poll.UntilAsync(() => client.Pings >= before + 3, "an open connection to keep being served after a refusal");
                Assert.True(client.IsOpen);
            }
            Assert.Equal(3, Connections());

            await clients[0].DisposeAsync();
            clients.RemoveAt(0);
            await Poll.UntilAsync(() => Connections() < 3, "the server to see a client leave");
            var (again, againReply) = await RawSocketIOClient.ConnectAsync(Mpm.Url);
            clients.Add(again);
            Assert.StartsWith("40{", againReply);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        int Connections() => JsonDocument.Parse(Mpm.Http.GetStringAsync("/health").GetAwaiter().GetResult()).RootElement.GetProperty("connections").GetInt32();
    }

    [Fact]
    public async Task An_event_larger_than_max_payload_gets_413_and_a_body_over_16_MB_too()
    {
        var large = await Mpm.Http.PostAsJsonAsync("/api/events", new { @event = "large", data = new { text = new string('x', MaxPayload * 2) } });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal("payload_too_large", (await large.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());

        // Expect: 100-continue, so the client waits for the verdict instead of pushing 16 MB into a closed connection.
        var huge = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new ByteArrayContent(new byte[16 * 1024 * 1024 + 1]) };
        huge.Content.Headers.ContentType = new("application/json");
        huge.Headers.ExpectContinue = true;
        var tooBig = await Mpm.Http.SendAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Mpm.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_Socket_IO_message_over_max_payload_closes_only_that_connection()
    {
        var (bystander, _) = await RawSocketIOClient.ConnectAsync(Mpm.Url);
        await using (bystander)
        {
            var (sender, _) = await RawSocketIOClient.ConnectAsync(Mpm.Url);
            await using (sender)
            {
                await sender.EmitAsync("emit", new { @event = "big", data = new { text = new string('y', MaxPayload) } });
                Assert.Contains("closed", await sender.Closed.WaitAsync(TimeSpan.FromSeconds(30)));
            }
            Assert.True(bystander.IsOpen);
        }
    }

    [Fact]
    public async Task A_socket_sending_events_too_fast_gets_rate_limited_replies_and_stays_connected()
    {
        var (client, _) = await RawSocketIOClient.ConnectAsync(Mpm.Url);
        await using (client)
        {
            // 400 events at once: about the burst (200) passes, the rest are refused, well below the flood limit (10x).
            var replies = new List<Task<JsonElement>>();
            for (var i = 0; i < 400; i++)
            {
                replies.Add(client.EmitWithAckAsync("get_state", new { }));
            }
            await Poll.UntilAsync(() => replies.Count(IsRateLimited) >= 100, "at least 100 rate_limited acknowledgements");
            var error = replies.First(IsRateLimited).Result.GetProperty("error");
            Assert.Contains("per second", error.GetProperty("message").GetString());
            Assert.True(replies.Count(IsRateLimited) <= 200, "the burst of 200 passes");

            for (var i = 0; i < 400; i++)
            {
                await client.EmitAsync("get_state", new { });
            }
            await Poll.UntilAsync(() => client.Events.Count(e => e.Name == "monitor_error"
                && e.Data.GetProperty("error").GetProperty("code").GetString() == "rate_limited") >= 1,
                "a rate_limited monitor_error for events sent without an acknowledgement");
            Assert.True(client.IsOpen);
        }
    }

    [Fact]
    public async Task A_flooding_socket_is_disconnected_and_others_are_not()
    {
        var (bystander, _) = await RawSocketIOClient.ConnectAsync(Mpm.Url);
        await using (bystander)
        {
            var (flooder, _) = await RawSocketIOClient.ConnectAsync(Mpm.Url);
            await using (flooder)
            {
                var packet = System.Text.Encoding.UTF8.GetBytes("""42["x",{}]""");
                var sent = 0;
                for (; sent < 50_000 && flooder.IsOpen; sent++)
                {
                    try
                    {
                        await flooder.SendAsync(packet);
                    }
                    catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException)
                    {
                        break; // the server cut the flooder off mid-send
                    }
                }
                var closed = await Task.WhenAny(flooder.Closed, Task.Delay(TimeSpan.FromSeconds(30)));
                Assert.True(closed == flooder.Closed, $"the flooder is still connected after {sent} events");
            }
            Assert.True(bystander.IsOpen);
            var logged = Mpm.StandardError.WaitForLineAsync(l => l.Contains("events at more than", StringComparison.Ordinal));
            Assert.True(await Task.WhenAny(logged, Task.Delay(TimeSpan.FromSeconds(30))) == logged, Mpm.StandardError.Text);
        }
    }

    private static bool IsRateLimited(Task<JsonElement> reply) =>
        reply.IsCompletedSuccessfully && reply.Result.ValueKind == JsonValueKind.Object
        && reply.Result.TryGetProperty("error", out var error) && error.GetProperty("code").GetString() == "rate_limited";
}
