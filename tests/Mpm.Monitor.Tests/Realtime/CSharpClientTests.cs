using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mpm.Monitor.Tests.Infrastructure;
using SocketIOClient.Transport;

namespace Mpm.Monitor.Tests.Realtime;

/// <summary>CONTRACT §6 with the C# SocketIOClient 3.0.6 against the real mpm (one monitor for the class).</summary>
public sealed class CSharpClientTests(SharedMonitor shared) : IClassFixture<SharedMonitor>
{
    private static readonly object[] Batch =
    [
        new { @event = "agent_activity", data = new { agent = "pm", action = "invoked" } },
        new { @event = "file_operation", data = new { file = "/tmp/x", operation = "write", size = 3 } },
        new { @event = "custom.cs", data = new { n = 1 } },
    ];

    [Theory]
    [InlineData(TransportProtocol.WebSocket)]
    [InlineData(TransportProtocol.Polling)]
    public async Task A_new_connection_gets_everything_and_subscribe_narrows_it(TransportProtocol transport)
    {
        await using var everything = await MonitorSocketClient.ConnectAsync(shared.Url, transport);
        await using var narrow = await MonitorSocketClient.ConnectAsync(shared.Url, transport);
        await using var excluding = await MonitorSocketClient.ConnectAsync(shared.Url, transport);

        var subscribed = await narrow.RequestAsync("subscribe", new { events = new[] { "file_operation" } });
        Assert.Equal("""{"subscribed":["file_operation"]}""", subscribed.GetRawText());
        var excluded = await excluding.RequestAsync("unsubscribe", new { events = new[] { "custom.cs" } });
        Assert.Equal("""{"subscribed":["*"],"except":["custom.cs"]}""", excluded.GetRawText());

        var ids = await PostAsync(Batch);
        await Task.WhenAll(everything.SettleAsync(), narrow.SettleAsync(), excluding.SettleAsync());

        Assert.Equal(["agent_activity", "file_operation", "custom.cs"], everything.EventNames);
        Assert.Equal(ids, everything.EventIds);
        Assert.Equal(["file_operation"], narrow.EventNames);
        Assert.Equal(ids[1], narrow.EventIds.Single());
        Assert.Equal(["agent_activity", "file_operation"], excluding.EventNames);
        var file = narrow.Events.Single().Payload;
        Assert.Equal("/tmp/x", file.GetProperty("file").GetString());
        Assert.Equal("file_operation", file.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Emit_is_acknowledged_with_its_id_and_broadcast_to_other_clients()
    {
        await using var sender = await MonitorSocketClient.ConnectAsync(shared.Url, TransportProtocol.WebSocket);
        await using var listener = await MonitorSocketClient.ConnectAsync(shared.Url, TransportProtocol.Polling);

        var reply = await sender.RequestAsync("emit", new { @event = "custom.from_csharp", data = new { text = "hello", nested = new { ok = true } } });

        var id = reply.GetProperty("id").GetInt64();
        await Poll.UntilAsync(() => listener.EventIds.Contains(id), $"event {id} reached the other client");
        var received = listener.Events.Single(e => e.Name == "custom.from_csharp").Payload;
        Assert.Equal("hello", received.GetProperty("text").GetString());
        Assert.True(received.GetProperty("nested").GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Replies_without_an_acknowledgement_arrive_as_events()
    {
        await using var client = await MonitorSocketClient.ConnectAsync(shared.Url, TransportProtocol.WebSocket);

        await client.SendAsync("subscribe", new { events = new[] { "agent_activity" } });
        await client.SendAsync("get_state", new { });
        await client.SendAsync("emit", new { @event = "custom.x", data = "not an object" });

        await Poll.UntilAsync(() => client.Replies.Count >= 3, "three reply events");
        var replies = client.Replies.ToArray();
        Assert.Equal(("subscribed", """{"subscribed":["agent_activity"]}"""), (replies[0].Name, replies[0].Payload.GetRawText()));
        Assert.Equal("state", replies[1].Name);
        Assert.Equal(["agent_activity"], replies[1].Payload.GetProperty("subscribed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("monitor_error", replies[2].Name);
        Assert.Equal("invalid_payload", replies[2].Payload.GetProperty("error").GetProperty("code").GetString());
        Assert.True(client.Connected);
    }

    [Fact]
    public async Task Bad_requests_get_invalid_payload_and_the_connection_stays_usable()
    {
        await using var client = await MonitorSocketClient.ConnectAsync(shared.Url, TransportProtocol.WebSocket);

        foreach (var (name, payload) in new (string, object)[]
        {
            ("subscribe", new { events = new object[] { "ok", 3 } }),
            ("unsubscribe", new { events = "agent_activity" }),
            ("get_state", new { since = -5 }),
            ("emit", new { @event = "no spaces", data = new { } }),
            ("emit", new { @event = "custom.y", data = new[] { 1 } }),
        })
        {
            var reply = await client.RequestAsync(name, payload);
            Assert.Equal("invalid_payload", reply.GetProperty("error").GetProperty("code").GetString());
        }

        var state = await client.RequestAsync("get_state", new { });
        Assert.Equal("*", state.GetProperty("subscribed")[0].GetString());
        Assert.True(client.Connected);
    }

    [Fact]
    public async Task Connecting_with_auth_last_event_id_replays_what_was_missed_then_follows_live()
    {
        var before = await PostAsync(Batch);
        var missed = await PostAsync(Batch);

        await using var client = await MonitorSocketClient.ConnectAsync(shared.Url, TransportProtocol.WebSocket, new { last_event_id = before[^1] });
        await Poll.UntilAsync(() => client.Events.Count >= missed.Count, "the replay");
        var live = await PostAsync(Batch);
        await client.SettleAsync();

        Assert.Equal([.. missed, .. live], client.EventIds);
    }

    private async Task<List<long>> PostAsync(object[] events)
    {
        using var response = await shared.Monitor.Http.PostAsJsonAsync("/api/events", events);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64())];
    }
}
