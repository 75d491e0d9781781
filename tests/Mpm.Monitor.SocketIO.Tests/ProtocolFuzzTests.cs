using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Mpm.Monitor.Testing;
using Mpm.Monitor.SocketIO.Engine;
using Mpm.Monitor.SocketIO.Protocol;
using Xunit.Abstractions;

namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>
/// Seeded fuzzing of the Engine.IO and Socket.IO parsers, directly and over the wire (WebSocket and polling),
/// for a bounded time (see <see cref="FuzzBudget"/>; SECURITY.md says how to run it longer). Bad input may only
/// be refused: a FormatException from a parser, a 4xx or a closed connection from the server, never a crash,
/// a 5xx, or a healthy client left unserved.
/// </summary>
public sealed class ProtocolFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] SocketIOPackets =
    [
        "0", "0/admin,", "0{\"token\":\"abc\",\"last_event_id\":12}", "0/admin,{\"token\":\"x\"}", "1", "1/admin,",
        "2[\"subscribe\",{\"events\":[\"agent_activity\",\"*\"]}]", "212[\"get_state\",{\"since\":5}]",
        "2/admin,7[\"emit\",{\"event\":\"x\",\"data\":{\"a\":[1,2,{\"b\":null}]}}]", "3[\"ok\"]", "37[{\"subscribed\":[\"*\"]}]",
        "51-[\"upload\",{\"_placeholder\":true,\"num\":0}]", "52-/admin,9[\"two\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
        "61-3[{\"_placeholder\":true,\"num\":0}]", "2[\"é\",\"\\ud83d\\ude00\",1.5e3,-0,true,false,null]",
    ];

    private static readonly string[] PollingPayloadsV4 =
    [
        "40", "42[\"a\",1]\x1e42[\"b\",2]", "3\x1e40{\"token\":\"t\"}", "bAQID", "42[\"x\"]\x1ebAAECAwQ=\x1e1", "6",
    ];

    private static readonly string[] PollingPayloadsV3 =
    [
        "2:40", "9:42[\"a\",1]1:3", "6:b4AQID", "11:42[\"x\",{}]", "1:6",
    ];

    [Theory]
    [InlineData("2147483642:40")] // found by this fuzz test: the length check overflowed
    [InlineData("2147483647:4")]
    [InlineData("99999999999:4")]
    public void A_huge_v3_length_prefix_is_a_FormatException(string payload)
    {
        Assert.Throws<FormatException>(() => PollingPayload.Decode(Encoding.UTF8.GetBytes(payload), 3, binaryBody: false));
    }

    [Fact]
    public void A_huge_v3_binary_length_is_a_FormatException()
    {
        byte[] payload = [0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 255, (byte)'4'];
        Assert.Throws<FormatException>(() => PollingPayload.Decode(payload, 3, binaryBody: true));
    }

    [Fact]
    public void The_parsers_refuse_mutated_packets_with_FormatException_and_nothing_else()
    {
        var budget = new FuzzBudget(defaultSeconds: 5);
        output.WriteLine($"seed {budget.Seed}, {budget.Seconds} s ({budget.Replay})");
        var mutator = new PacketMutator(budget.Random);
        var iterations = 0;
        while (budget.Running)
        {
            iterations++;
            Check(SocketIOPackets, bytes => SioPacketParser.Parse(bytes));
            Check(SocketIOPackets, bytes => InboundFrame.FromText(bytes));
            Check(PollingPayloadsV4, bytes => PollingPayload.Decode(bytes, 4, binaryBody: false));
            Check(PollingPayloadsV3, bytes => PollingPayload.Decode(bytes, 3, binaryBody: false));
            Check(PollingPayloadsV3, bytes => PollingPayload.Decode(bytes, 3, binaryBody: true));
            Check(PollingPayloadsV3, bytes => InboundFrame.FromBinary(bytes, 3));
        }
        output.WriteLine($"{iterations * 6} mutated inputs parsed");

        void Check(string[] corpus, Action<byte[]> parse)
        {
            var input = mutator.Mutate(corpus[budget.Random.Next(corpus.Length)]);
            try
            {
                parse(input);
            }
            catch (FormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} for input {Convert.ToBase64String(input)} (base64), {budget.Replay}: {e}");
            }
        }
    }

    [Fact]
    public async Task The_server_survives_mutated_traffic_and_keeps_serving_a_healthy_client()
    {
        var budget = new FuzzBudget(defaultSeconds: 10);
        output.WriteLine($"seed {budget.Seed}, {budget.Seconds} s ({budget.Replay})");
        var mutator = new PacketMutator(budget.Random);
        await using var host = await TestHost.StartAsync(
            o => o.InboundEventRate = 0,
            io => io.Sockets.OnConnection(socket =>
            {
                socket.OnAny(e => e.HasAck ? e.AckAsync([.. e.Args.Cast<object?>()]) : ValueTask.CompletedTask);
                return ValueTask.CompletedTask;
            }));
        await using var healthy = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        Assert.StartsWith("0", await healthy.ReceiveTextAsync());
        await healthy.SendAsync("40");
        Assert.StartsWith("40", await healthy.ReceiveTextAsync());

        var iterations = 0;
        var refusedByStatus = new Dictionary<HttpStatusCode, int>();
        while (budget.Running)
        {
            iterations++;
            if (budget.Random.Next(2) == 0)
            {
                await FuzzWebSocketAsync(host, mutator, budget.Random);
            }
            else
            {
                var status = await FuzzPollingAsync(host, mutator, budget.Random);
                Assert.True((int)status < 500, $"polling answered {(int)status} to bad input; {budget.Replay}");
                refusedByStatus[status] = refusedByStatus.GetValueOrDefault(status) + 1;
            }
            if (iterations % 10 == 0)
            {
                await AssertServedAsync(healthy, iterations, budget);
            }
        }
        await AssertServedAsync(healthy, iterations, budget);
        output.WriteLine($"{iterations} hostile connections; polling statuses: {string.Join(", ", refusedByStatus.Select(p => $"{(int)p.Key}×{p.Value}"))}");
        Assert.DoesNotContain(host.Logs.Lines, l => l.StartsWith("Error:", StringComparison.Ordinal) || l.StartsWith("Critical:", StringComparison.Ordinal));
    }

    private static async Task AssertServedAsync(RawWebSocket healthy, int iteration, FuzzBudget budget)
    {
        await healthy.SendAsync($"42{iteration}[\"echo\",{iteration}]");
        var reply = await healthy.ReceiveTextAsync(timeoutSeconds: 30);
        Assert.True(reply == $"43{iteration}[{iteration}]", $"the healthy client got {reply ?? "a close"} after {iteration} hostile connections; {budget.Replay}");
    }

    private static async Task FuzzWebSocketAsync(TestHost host, PacketMutator mutator, Random random)
    {
        var protocol = random.Next(4) == 0 ? 3 : 4;
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await socket.ConnectAsync(host.WebSocketUri($"EIO={protocol}&transport=websocket"), timeout.Token);
            if (protocol == 4)
                await socket.SendAsync("40"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
            for (var i = random.Next(1, 6); i > 0 && socket.State == WebSocketState.Open; i--)
            {
                var packet = random.Next(3) == 0
                    ? mutator.Mutate(SocketIOPackets[random.Next(SocketIOPackets.Length)])
                    : [(byte)'4', .. mutator.Mutate(SocketIOPackets[random.Next(SocketIOPackets.Length)])];
                var binary = random.Next(6) == 0;
                await socket.SendAsync(binary ? packet : Sanitize(packet), binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, timeout.Token);
            }
            if (socket.State == WebSocketState.Open)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The server closing a hostile connection is the expected outcome.
        }
    }

    private static async Task<HttpStatusCode> FuzzPollingAsync(TestHost host, PacketMutator mutator, Random random)
    {
        var protocol = random.Next(4) == 0 ? 3 : 4;
        var open = await host.Http.GetStringAsync($"/socket.io/?EIO={protocol}&transport=polling");
        var sid = JsonDocument.Parse(open[open.IndexOf('{')..^(protocol == 3 ? open.Length - open.LastIndexOf('}') - 1 : 0)]).RootElement.GetProperty("sid").GetString();
        var corpus = protocol == 4 ? PollingPayloadsV4 : PollingPayloadsV3;
        var body = new ByteArrayContent(mutator.Mutate(corpus[random.Next(corpus.Length)]));
        body.Headers.ContentType = new(random.Next(5) == 0 ? "application/octet-stream" : "text/plain");
        var response = await host.Http.PostAsync($"/socket.io/?EIO={protocol}&transport=polling&sid={sid}", body);
        await host.Http.PostAsync($"/socket.io/?EIO={protocol}&transport=polling&sid={sid}", new StringContent(protocol == 4 ? "1" : "1:1"));
        return response.StatusCode;
    }

    // A WebSocket text frame must be valid UTF-8 or the client library refuses to send it.
    private static byte[] Sanitize(byte[] bytes) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes));
}
