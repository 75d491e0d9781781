using Mpm.Monitor.Collectors.Containers;
using Mpm.Monitor.Collectors.Docker;

namespace Mpm.Monitor.Collectors.Tests;

[Collection(DockerCollection.Name)]
public sealed class DockerClientTests(DockerFixture docker)
{
    private static DockerClient Client() => new(DockerEndpoint.Parse(DockerFixture.Endpoint));

    [Fact]
    public async Task Negotiates_the_engine_api_version_capped_at_what_we_support()
    {
        using var client = Client();
        var version = Version.Parse(await client.GetApiVersionAsync(CancellationToken.None));
        var offered = Version.Parse((await DockerCli.RunAsync("version", "--format", "{{.Server.APIVersion}}")));
        Assert.Equal(offered < DockerClient.MaxApiVersion ? offered : DockerClient.MaxApiVersion, version);
    }

    [Fact]
    public async Task Lists_running_containers_with_name_and_image()
    {
        var (id, name) = await docker.RunAsync("sleep", "300");
        using var client = Client();
        var running = await client.ListRunningContainersAsync(CancellationToken.None);
        var item = Assert.Single(running, c => c.Id == id);
        Assert.Equal(name, item.Name);
        Assert.Equal("local/busybox", item.Image);
        Assert.Equal("running", item.State);
    }

    [Fact]
    public async Task A_missing_socket_is_reported_as_unavailable_naming_the_endpoint()
    {
        var endpoint = $"unix:///tmp/mpm-absent-{Guid.NewGuid():N}.sock";
        using var client = new DockerClient(DockerEndpoint.Parse(endpoint));
        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.PingAsync(CancellationToken.None));
        Assert.Contains(endpoint, error.Message);
        await Assert.ThrowsAsync<DockerUnavailableException>(() => client.ListRunningContainersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_tcp_endpoint_is_reported_as_unavailable()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new DockerClient(DockerEndpoint.Parse($"tcp://127.0.0.1:{port}"));
        await Assert.ThrowsAsync<DockerUnavailableException>(() => client.PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_container_is_not_found()
    {
        using var client = Client();
        var error = await Assert.ThrowsAsync<ContainerNotFoundException>(
            () => client.ReadLogLinesAsync($"{docker.Prefix}-nosuch", 10, CancellationToken.None));
        Assert.Equal($"{docker.Prefix}-nosuch", error.ContainerId);
    }

    [Fact]
    public async Task Logs_come_back_demultiplexed()
    {
        var (id, _) = await docker.RunAsync("sh", "-c", "echo out-1; echo err-1 >&2; echo out-2; printf 'no newline'");
        await DockerCli.RunAsync("wait", id);
        using var client = Client();
        var lines = await client.ReadLogLinesAsync(id, 100, CancellationToken.None);
        // stdout and stderr are separate pipes, so the engine may log them in either order;
        // each stream keeps its own order, and no frame header leaks into a line.
        Assert.Equal(["err-1", "no newline", "out-1", "out-2"], lines.Order(StringComparer.Ordinal));
        Assert.Equal(["out-1", "out-2", "no newline"], lines.Where(l => l != "err-1"));
        Assert.Equal(["no newline"], await client.ReadLogLinesAsync(id, 1, CancellationToken.None));
    }

    [Fact]
    public async Task Logs_of_a_tty_container_are_raw()
    {
        var (id, _) = await docker.RunAsync(["-t"], "sh", "-c", "echo tty-1; echo tty-2 >&2");
        await DockerCli.RunAsync("wait", id);
        using var client = Client();
        Assert.Equal(["tty-1", "tty-2"], await client.ReadLogLinesAsync(id, 100, CancellationToken.None));
    }

    [Fact]
    public async Task Many_log_lines_span_frames_and_reads()
    {
        var (id, _) = await docker.RunAsync("sh", "-c", "i=0; while [ $i -lt 5000 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done");
        await DockerCli.RunAsync("wait", id);
        using var client = Client();
        var lines = await client.ReadLogLinesAsync(id, 4000, CancellationToken.None);
        Assert.Equal(4000, lines.Count);
        Assert.Equal("line-1000-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", lines[0]);
        Assert.Equal("line-4999-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", lines[^1]);
    }

    [Fact]
    public async Task Event_stream_delivers_a_containers_lifecycle()
    {
        using var client = Client();
        using var cancel = new CancellationTokenSource(Eventually.DefaultTimeout);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds() * 1_000_000;
        var (id, name) = await docker.RunAsync("sleep", "300");
        await DockerCli.RunAsync("stop", "-t", "0", id);
        var actions = new List<string>();
        await foreach (var message in client.StreamEventsAsync(since, cancel.Token))
        {
            if (ContainerEventService.ToPayload(message) is { } payload && payload.Container.Id == id)
            {
                Assert.Equal(name, payload.Container.Name);
                Assert.Equal("local/busybox", payload.Container.Image);
                actions.Add(payload.Action);
                if (payload.Action == "stop")
                {
                    break;
                }
            }
        }
        // `docker stop` may send more than one kill; the lifecycle is the order of the rest.
        Assert.Equal(["create", "start", "die", "stop"], actions.Where(a => a != "kill"));
        Assert.Contains("kill", actions);
    }

    [Fact]
    public async Task Stats_stream_keeps_the_newest_frame()
    {
        var (id, _) = await docker.RunAsync("sleep", "300");
        using var client = Client();
        await using var stream = new ContainerStatsStream(client, id);
        var first = await Eventually.GetAsync(() => Task.FromResult(stream.Latest), "a first frame");
        Assert.NotNull(first.CpuStats?.CpuUsage);
        // A later frame carries the one before it as its precpu reading (this poll may miss frames between).
        var later = await Eventually.GetAsync(() => Task.FromResult(stream.Latest is { } f && f.Read > first.Read ? f : null), "a second frame");
        Assert.InRange(later.PreCpuStats!.SystemCpuUsage, first.CpuStats!.SystemCpuUsage, later.CpuStats!.SystemCpuUsage - 1);
        Assert.False(stream.Ended);

        await DockerCli.RunAsync("rm", "-f", id);
        await Eventually.TrueAsync(() => stream.Ended, "the stream to end with the container");
    }
}
