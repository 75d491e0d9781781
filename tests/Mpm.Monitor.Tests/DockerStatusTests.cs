using System.Text.Json;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests;

/// <summary>/status reports the real Docker engine (started by test.sh through scripts/start-docker.sh).</summary>
public sealed class DockerStatusTests
{
    private const string Socket = "/var/run/docker.sock";

    [Fact]
    public async Task Docker_is_healthy_when_the_engine_answers()
    {
        Assert.True(File.Exists(Socket), $"{Socket} is missing: install docker.io and run scripts/start-docker.sh (./test.sh does both)");
        await using var monitor = await MonitorProcess.StartAsync(new() { ConfigYaml = WithDocker($"unix://{Socket}") });

        Assert.Equal("healthy", await DockerState(monitor));
    }

    [Fact]
    public async Task Docker_is_unavailable_when_nothing_listens_at_the_endpoint()
    {
        await using var monitor = await MonitorProcess.StartAsync(new() { ConfigYaml = WithDocker("unix:///nonexistent/docker.sock") });

        Assert.Equal("unavailable", await DockerState(monitor));
    }

    private static string WithDocker(string endpoint) =>
        MonitorProcessOptions.DefaultConfigYaml.Replace("enabled: false", $"enabled: true\n    endpoint: \"{endpoint}\"");

    private static async Task<string?> DockerState(MonitorProcess monitor) =>
        JsonDocument.Parse(await monitor.Http.GetStringAsync("/status")).RootElement.GetProperty("docker").GetString();
}
