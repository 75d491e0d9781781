using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Mpm.Monitor.Core.Storage;
using Mpm.Monitor.Core.Tests.Support;

namespace Mpm.Monitor.Core.Tests;

public sealed class DurabilityTests
{
    /// <summary>The child process: a monitor on a real Kestrel that runs until it is killed.</summary>
    internal static async Task ServeUntilKilledAsync(string path)
    {
        await using var server = await MonitorServer.StartAsync(o =>
        {
            o.StoragePath = path;
            o.HostLabel = "child";
        });
        Console.WriteLine("listening " + server.Address);
        await Task.Delay(Timeout.Infinite);
    }

    [Fact]
    public async Task Events_acknowledged_with_202_survive_kill_9_of_the_server_process()
    {
        using var dir = new TempDirectory();
        string db = dir.File("durable.db");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet, [typeof(DurabilityTests).Assembly.Location, "serve", db])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        var acknowledged = new ConcurrentDictionary<long, string>();
        using var child = Process.Start(start)!;
        try
        {
            string? line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
            if (line?.StartsWith("listening ", StringComparison.Ordinal) != true)
            {
                Assert.Fail($"the child did not start: {line} {await ReadErrorAsync(child)}");
            }

            using var http = new HttpClient { BaseAddress = new Uri(line!["listening ".Length..]), Timeout = TimeSpan.FromSeconds(60) };

            using var stop = new CancellationTokenSource();
            var posters = Enumerable.Range(0, 4).Select(p => PostUntilStoppedAsync(http, p, acknowledged, stop.Token)).ToArray();
            var deadline = Stopwatch.StartNew();
            while (acknowledged.Count < 3000 && deadline.Elapsed < TimeSpan.FromSeconds(120) && posters.All(t => !t.IsCompleted))
            {
                await Task.Delay(20);
            }

            if (acknowledged.Count < 3000)
            {
                string posting = string.Join(", ", posters.Select(t => t.Exception?.InnerException?.Message ?? t.Status.ToString()));
                Assert.Fail($"only {acknowledged.Count} events acknowledged; posters: {posting}; child exited: {child.HasExited}; its stderr: {await ReadErrorAsync(child)}");
            }

            // SIGKILL while the posters are still sending: no shutdown, no flush.
            child.Kill();
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            await Task.WhenAll(posters);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }

        await using var store = new SqliteEventStore(db, TimeProvider.System);
        await store.OpenAsync(default);
        var stored = new Dictionary<long, string>();
        long after = 0;
        while (true)
        {
            var page = await store.ReadAsync(new EventQuery(after, Limit: 5000), default);
            foreach (var e in page)
            {
                stored[e.Id] = Json.Parse(e.Payload).GetProperty("marker").GetString()!;
            }

            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].Id;
        }

        var lost = acknowledged.Where(a => !stored.TryGetValue(a.Key, out var marker) || marker != a.Value).Select(a => a.Key).ToArray();
        Assert.True(lost.Length == 0, $"{lost.Length} of {acknowledged.Count} acknowledged events missing after kill -9, e.g. ids {string.Join(", ", lost.Take(5))}");
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Keys.Order());
    }

    private static async Task PostUntilStoppedAsync(HttpClient http, int poster, ConcurrentDictionary<long, string> acknowledged, CancellationToken stop)
    {
        for (int batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var markers = Enumerable.Range(0, 50).Select(i => $"p{poster}-b{batch}-{i}").ToArray();
            string body = JsonSerializer.Serialize(markers.Select(m => new { @event = "durable", data = new { marker = m } }));
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/json"), stop);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && (stop.IsCancellationRequested || acknowledged.Count > 0))
            {
                return; // the server was killed
            }

            using (response)
            {
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(stop)}");
                }

                string text;
                try
                {
                    text = await response.Content.ReadAsStringAsync(stop);
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                {
                    return;
                }

                var ids = Json.Parse(text).GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()).ToArray();
                for (int i = 0; i < ids.Length; i++)
                {
                    acknowledged[ids[i]] = markers[i];
                }
            }
        }
    }

    private static async Task<string> ReadErrorAsync(Process child)
    {
        if (!child.HasExited)
        {
            child.Kill();
        }

        return await child.StandardError.ReadToEndAsync();
    }
}
