using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mpm.Monitor.Testing;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Realtime;

/// <summary>
/// An event answered with 202 survives kill -9 of the mpm process: after a restart on the same
/// SQLite file, GET /api/events and a client resuming with last_event_id both see it.
/// </summary>
public sealed class DurabilityTests : IDisposable
{
    private static readonly TimeSpan ScriptLimit = TimeSpan.FromSeconds(120);

    private readonly string _directory = Directory.CreateTempSubdirectory("mpm-durability-").FullName;

    [Fact]
    public async Task Acknowledged_events_survive_kill_9_and_are_replayed_after_a_restart()
    {
        var options = new MonitorProcessOptions
        {
            ConfigYaml = SharedMonitor.ConfigYaml.Replace("\":memory:\"", JsonSerializer.Serialize(Path.Combine(_directory, "monitor.db"))),
        };
        var ids = new List<long>();
        await using (var first = await MonitorProcess.StartAsync(options))
        {
            for (var request = 0; request < 10; request++)
            {
                var batch = Enumerable.Range(0, 5).Select(i => new { @event = "custom.durable", data = new { request, i } }).ToArray();
                using var response = await first.Http.PostAsJsonAsync("/api/events", batch);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                ids.AddRange(body.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()));
            }
            first.Kill();
            await first.WaitForExitAsync();
        }

        await using var second = await MonitorProcess.StartAsync(options);
        var stored = await second.Http.GetFromJsonAsync<JsonElement>("/api/events?since=0&limit=1000");
        var events = stored.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(ids, events.Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal(ids[^1], stored.GetProperty("last_event_id").GetInt64());
        Assert.Equal(4, events[^1].GetProperty("i").GetInt32());
        Assert.Equal(9, events[^1].GetProperty("request").GetInt32());

        // A client that had seen the first event gets the other 49 replayed, then a live one.
        var output = await NodeScript.RunToSuccessAsync(ScriptLimit, "monitor-v4.mjs", second.Url.ToString(), "replay-from", ids[0].ToString());
        Assert.Contains("PASS replay-from", output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
