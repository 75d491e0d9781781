using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Security;

/// <summary>
/// Clients that hold resources without making progress — slowloris requests, WebSocket clients that never
/// read — do not keep a normal client from being served: it keeps getting /health, storing events and
/// receiving them over Socket.IO.
/// </summary>
public sealed class StarvationTests
{
    private static readonly string Config = MonitorProcessOptions.DefaultConfigYaml + """

          websocket:
            max_connections: 100
          metrics:
            enabled: false
        """;

    [Fact]
    public async Task Slowloris_connections_do_not_starve_a_normal_client()
    {
        await using var mpm = await MonitorProcess.StartAsync(new() { ConfigYaml = Config });
        var (watcher, _) = await RawSocketIOClient.ConnectAsync(mpm.Url);
        await using var _watcher = watcher;

        using var stop = new CancellationTokenSource();
        var slow = Enumerable.Range(0, 200).Select(_ => SlowlorisAsync(mpm.Url, stop.Token)).ToList();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await mpm.Http.GetAsync("/health")).StatusCode);
                var posted = await mpm.Http.PostAsJsonAsync("/api/events", new { @event = "slowloris_probe", data = new { i } });
                Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            }
            await Poll.UntilAsync(() => watcher.Events.Count(e => e.Name == "slowloris_probe") == 10,
                "the Socket.IO client to receive every event while 200 slowloris connections are open");
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(slow);
        }
    }

    [Fact]
    public async Task WebSocket_clients_that_never_read_do_not_starve_a_normal_client()
    {
        await using var mpm = await MonitorProcess.StartAsync(new() { ConfigYaml = Config });
        var stalled = new List<RawSocketIOClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                stalled.Add((await RawSocketIOClient.ConnectAsync(mpm.Url, read: false)).Client);
            }
            var (healthy, _) = await RawSocketIOClient.ConnectAsync(mpm.Url);
            await using var _healthy = healthy;

            // 2,000 events of 4 KB: 8 MB to each connection, more than a socket's buffers plus its 1,024-packet queue.
            const int Batches = 40, PerBatch = 50;
            var text = new string('s', 4000);
            for (var b = 0; b < Batches; b++)
            {
                var batch = Enumerable.Range(0, PerBatch).Select(i => new { @event = "stall_probe", data = new { n = b * PerBatch + i, text } });
                Assert.Equal(HttpStatusCode.Accepted, (await mpm.Http.PostAsJsonAsync("/api/events", batch)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await mpm.Http.GetAsync("/health")).StatusCode);
            }
            await Poll.UntilAsync(() => healthy.Events.Count(e => e.Name == "stall_probe") == Batches * PerBatch,
                "the reading client to receive all 2,000 events while 20 clients never read", TimeSpan.FromSeconds(90));
            Assert.True(healthy.IsOpen);
            var health = JsonDocument.Parse(await mpm.Http.GetStringAsync("/health")).RootElement;
            Assert.True(health.GetProperty("connections").GetInt32() >= 1);
        }
        finally
        {
            foreach (var client in stalled)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>Sends a request's headers one byte at a time, forever, until stopped or cut off.</summary>
    private static async Task SlowlorisAsync(Uri monitor, CancellationToken stop)
    {
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(monitor.Host, monitor.Port, stop);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: "), stop);
            while (!stop.IsCancellationRequested)
            {
                await stream.WriteAsync("a"u8.ToArray(), stop);
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // Stopped by the test, or cut off by Kestrel's header timeout: both fine.
        }
    }
}
