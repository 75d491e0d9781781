using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mpm.Monitor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mpm.Monitor.Tests.Security;

/// <summary>
/// 1,000 concurrent Socket.IO WebSocket connections (max_connections raised) held for a minute: none refused,
/// none dropped, every one answering pings throughout, and a broadcast afterwards reaches all of them.
/// The one long test of the suite (about 70 s).
/// </summary>
public sealed class ThousandConnectionsTests(ITestOutputHelper output)
{
    private const int Count = 1000;
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_thousand_connections_are_held_for_a_minute_without_errors()
    {
        await using var mpm = await MonitorProcess.StartAsync(new()
        {
            ConfigYaml = MonitorProcessOptions.DefaultConfigYaml + $"""

                  websocket:
                    max_connections: {Count + 10}
                    ping_interval: 5
                  metrics:
                    enabled: false
                """,
        });
        var clients = new RawSocketIOClient[Count];
        try
        {
            using var gate = new SemaphoreSlim(50);
            await Task.WhenAll(Enumerable.Range(0, Count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var (client, reply) = await RawSocketIOClient.ConnectAsync(mpm.Url);
                    clients[i] = client;
                    Assert.StartsWith("40{", reply);
                }
                finally
                {
                    gate.Release();
                }
            }));
            Assert.Equal(Count, Connections());

            // Holding them is the point of the test: a fixed wait here measures nothing, it only lasts.
            var held = DateTime.UtcNow + Hold;
            while (DateTime.UtcNow < held)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                var dropped = clients.Count(c => !c.IsOpen);
                Assert.True(dropped == 0, $"{dropped} connections dropped after {(held - DateTime.UtcNow - Hold).Negate().TotalSeconds:0} s");
            }
            Assert.Equal(Count, Connections());
            Assert.All(clients, c => Assert.True(c.Pings >= 3, $"a connection answered only {c.Pings} pings in a minute"));

            var posted = await mpm.Http.PostAsJsonAsync("/api/events", new { @event = "to_a_thousand", data = new { ok = true } });
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            await Poll.UntilAsync(() => clients.All(c => c.Events.Any(e => e.Name == "to_a_thousand")),
                "a broadcast to reach all 1,000 connections", TimeSpan.FromSeconds(60));
            Assert.DoesNotContain(mpm.StandardError.Lines, l => l.Contains(" WRN]") || l.Contains(" ERR]"));
            output.WriteLine($"{Count} connections held for {Hold.TotalSeconds} s; pings answered per connection: min {clients.Min(c => c.Pings)}, max {clients.Max(c => c.Pings)}");
        }
        finally
        {
            await Task.WhenAll(clients.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));
        }

        int Connections() => JsonDocument.Parse(mpm.Http.GetStringAsync("/health").GetAwaiter().GetResult()).RootElement.GetProperty("connections").GetInt32();
    }
}
