using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Collectors.Docker;
using Mpm.Monitor.Collectors.Payloads;

namespace Mpm.Monitor.Collectors.Tests;

/// <summary>GET /api/containers, /api/containers/{id}/logs and /api/system on a real Kestrel with a real engine.</summary>
[Collection(DockerCollection.Name)]
public sealed class EndpointTests(DockerFixture docker)
{
    private static readonly TimeSpan FastInterval = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Api_system_serves_the_latest_system_stats_and_publishes_them()
    {
        await using var app = await CollectorsApp.StartAsync(o => o.Interval = FastInterval);
        var body = await Eventually.GetValueAsync<JsonElement>(async () =>
        {
            var (status, json) = await app.GetAsync("/api/system");
            return status == 200 ? json : null;
        }, "a system_stats sample");
        var system = body;
        Assert.True(system.GetProperty("memory_total").GetUInt64() > 0);
        Assert.True(system.GetProperty("load_avg").TryGetProperty("15m", out _));
        Assert.Contains(system.GetProperty("network").EnumerateArray(), n => n.GetProperty("name").GetString() == "lo");
        Assert.NotEmpty(app.Events.Of<SystemStatsPayload>("system_stats"));
    }

    [Fact]
    public async Task Api_containers_serves_running_containers_and_container_stats_are_published()
    {
        var (id, name) = await docker.RunAsync(["--memory", "64m"], "sleep", "300");
        await using var app = await CollectorsApp.StartAsync(o => o.Interval = FastInterval);
        var entry = await Eventually.GetValueAsync<JsonElement>(async () =>
        {
            var (status, json) = await app.GetAsync("/api/containers");
            Assert.Equal(200, status);
            return json.GetProperty("containers").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(c => c!.Value.GetProperty("id").GetString() == id);
        }, "the container in /api/containers");
        Assert.Equal(name, entry.GetProperty("name").GetString());
        Assert.Equal(64L * 1024 * 1024, entry.GetProperty("memory_limit").GetInt64());
        Assert.Equal("healthy", (await app.GetAsync("/api/containers")).Body.GetProperty("docker").GetString());
        Assert.Contains(app.Events.Of<ContainerStatsPayload>("container_stats"), p => p.Containers.Any(c => c.Id == id));
        Assert.Equal(DockerStatusSource.Healthy, app.Services.GetRequiredService<DockerStatusSource>().Status);
    }

    [Fact]
    public async Task Container_lifecycle_events_are_published()
    {
        await using var app = await CollectorsApp.StartAsync(o => o.Interval = FastInterval);
        await Eventually.TrueAsync(() => app.Services.GetRequiredService<DockerStatusSource>().Status == DockerStatusSource.Healthy, "docker healthy");
        // The event stream opens just after the engine answers; a container started now may be
        // a moment early, so keep starting short-lived ones until one is seen from start to stop.
        var seen = await Eventually.GetAsync(async () =>
        {
            var (id, name) = await docker.RunAsync("sleep", "300");
            await DockerCli.RunAsync("stop", "-t", "1", id);
            await Eventually.TrueAsync(() => Actions(app, id).Contains("stop"), "stop event", TimeSpan.FromSeconds(10));
            return Actions(app, id);
        }, "start, die and stop events");
        Assert.Equal(["start", "die", "stop"], seen.Where(a => a is "start" or "die" or "stop"));
    }

    private static List<string> Actions(CollectorsApp app, string id) =>
        app.Events.Of<ContainerEventPayload>("container_event").Where(e => e.Container.Id == id).Select(e => e.Action).ToList();

    [Fact]
    public async Task Logs_endpoint_returns_demultiplexed_lines_and_rejects_bad_input()
    {
        var (id, name) = await docker.RunAsync("sh", "-c", "echo one; echo two >&2; echo three");
        await DockerCli.RunAsync("wait", id);
        await using var app = await CollectorsApp.StartAsync(o => o.Interval = FastInterval);

        var (status, body) = await app.GetAsync($"/api/containers/{name}/logs");
        Assert.Equal(200, status);
        Assert.Equal(name, body.GetProperty("id").GetString());
        Assert.Equal(["one", "three", "two"], body.GetProperty("lines").EnumerateArray().Select(l => l.GetString()).Order(StringComparer.Ordinal));

        (status, body) = await app.GetAsync($"/api/containers/{id[..12]}/logs?tail=1");
        Assert.Equal(200, status);
        Assert.Single(body.GetProperty("lines").EnumerateArray());

        await AssertErrorAsync(app, $"/api/containers/{docker.Prefix}-nosuch/logs", 404, "container_not_found");
        await AssertErrorAsync(app, $"/api/containers/{id}/logs?tail=abc", 400, "invalid_tail");
        await AssertErrorAsync(app, $"/api/containers/{id}/logs?tail=-1", 400, "invalid_tail");
        await AssertErrorAsync(app, $"/api/containers/{id}/logs?tail=10001", 400, "invalid_tail");
        await AssertErrorAsync(app, "/api/containers/bad%21id/logs", 400, "invalid_container_id");
    }

    [Fact]
    public async Task Without_an_engine_the_monitor_runs_reports_unavailable_and_recovers_when_it_appears()
    {
        // A socket path that does not exist yet; later it becomes a link to the real engine.
        var directory = Directory.CreateTempSubdirectory("mpm-docker-");
        var socket = Path.Combine(directory.FullName, "docker.sock");
        try
        {
            await using var app = await CollectorsApp.StartAsync(o =>
            {
                o.Interval = FastInterval;
                o.DockerEndpoint = "unix://" + socket;
            });
            var status = app.Services.GetRequiredService<DockerStatusSource>();
            await Eventually.TrueAsync(() => app.Logs.Entries.Any(e => e.Message.Contains(socket)), "the unavailable warning");
            Assert.Equal(DockerStatusSource.Unavailable, status.Status);
            var (code, body) = await app.GetAsync("/api/containers");
            Assert.Equal(200, code);
            Assert.Equal("""{"containers":[],"docker":"unavailable"}""", body.GetRawText());
            await AssertErrorAsync(app, "/api/containers/anything/logs", 503, "docker_unavailable");
            // The rest of the monitor carries on.
            await Eventually.TrueAsync(async () => (await app.GetAsync("/api/system")).Status == 200, "system stats without docker");

            File.CreateSymbolicLink(socket, DockerFixture.SocketPath);
            var (id, _) = await docker.RunAsync("sleep", "300");
            await Eventually.TrueAsync(async () =>
            {
                var (_, json) = await app.GetAsync("/api/containers");
                return json.GetProperty("docker").GetString() == "healthy"
                    && json.GetProperty("containers").EnumerateArray().Any(c => c.GetProperty("id").GetString() == id);
            }, "container stats after the engine appeared");

            // The event stream reconnected too.
            var (late, _) = await docker.RunAsync("sleep", "300");
            await Eventually.TrueAsync(() => Actions(app, late).Contains("start"), "a start event after recovery");

            // Said once each way, however many retries there were.
            var dockerLogs = app.Logs.Entries.Where(e => e.Category == typeof(DockerStatusSource).FullName).ToList();
            Assert.Single(dockerLogs, e => e.Level == LogLevel.Warning);
            Assert.Single(dockerLogs, e => e.Level == LogLevel.Information);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Collection_and_the_event_stream_survive_an_engine_restart()
    {
        var directory = Directory.CreateTempSubdirectory("mpm-docker-");
        try
        {
            await using var engine = new EngineProxy(Path.Combine(directory.FullName, "docker.sock"));
            engine.Start();
            var (running, _) = await docker.RunAsync("sleep", "300");
            await using var app = await CollectorsApp.StartAsync(o =>
            {
                o.Interval = FastInterval;
                o.DockerEndpoint = "unix://" + engine.Path;
            });
            var status = app.Services.GetRequiredService<DockerStatusSource>();
            await Eventually.TrueAsync(async () => await ListsAsync(app, running), "stats before the restart");

            await engine.CrashAsync();
            await Eventually.TrueAsync(() => status.Status == DockerStatusSource.Unavailable, "unavailable after the crash");
            Assert.Equal("""{"containers":[],"docker":"unavailable"}""", (await app.GetAsync("/api/containers")).Body.GetRawText());

            engine.Start();
            await Eventually.TrueAsync(() => status.Status == DockerStatusSource.Healthy, "healthy after the restart");
            var (late, _) = await docker.RunAsync("sleep", "300");
            await Eventually.TrueAsync(async () => await ListsAsync(app, running) && await ListsAsync(app, late), "stats after the restart");
            await Eventually.TrueAsync(() => Actions(app, late).Contains("start"),
                "events after the restart; got: " + string.Join(",", app.Events.Of<ContainerEventPayload>("container_event").Select(e => e.Container.Name + ":" + e.Action)) + $" late={late}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<bool> ListsAsync(CollectorsApp app, string id)
    {
        var (_, json) = await app.GetAsync("/api/containers");
        return json.GetProperty("docker").GetString() == "healthy"
            && json.GetProperty("containers").EnumerateArray().Any(c => c.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task With_docker_disabled_the_status_is_disabled_and_nothing_connects()
    {
        await using var app = await CollectorsApp.StartAsync(o =>
        {
            o.Interval = FastInterval;
            o.DockerEnabled = false;
            o.DockerEndpoint = "not checked when disabled";
        });
        Assert.Equal(DockerStatusSource.Disabled, app.Services.GetRequiredService<DockerStatusSource>().Status);
        Assert.Equal("""{"containers":[],"docker":"disabled"}""", (await app.GetAsync("/api/containers")).Body.GetRawText());
        await AssertErrorAsync(app, "/api/containers/anything/logs", 503, "docker_unavailable");
        await Eventually.TrueAsync(async () => (await app.GetAsync("/api/system")).Status == 200, "system stats");
        Assert.Empty(app.Events.Of<ContainerStatsPayload>("container_stats"));
    }

    [Fact]
    public async Task With_metrics_disabled_api_system_says_so()
    {
        await using var app = await CollectorsApp.StartAsync(o => o.MetricsEnabled = false);
        await AssertErrorAsync(app, "/api/system", 503, "metrics_disabled");
    }

    [Theory]
    [InlineData(0, "unix:///var/run/docker.sock", "metrics.interval")]
    [InlineData(7200, "unix:///var/run/docker.sock", "metrics.interval")]
    [InlineData(5, "http://localhost:2375", "docker.endpoint")]
    [InlineData(5, "unix://relative.sock", "absolute path")]
    [InlineData(5, "tcp://localhost", "docker.endpoint")]
    public async Task Bad_options_stop_start_up_naming_the_setting(int seconds, string endpoint, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CollectorsApp.StartAsync(o =>
        {
            o.Interval = TimeSpan.FromSeconds(seconds);
            o.DockerEndpoint = endpoint;
        }));
        Assert.Contains(expected, error.Message);
    }

    private static async Task AssertErrorAsync(CollectorsApp app, string path, int status, string code)
    {
        var (actual, body) = await app.GetAsync(path);
        Assert.Equal(status, actual);
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("message").GetString()));
    }
}
