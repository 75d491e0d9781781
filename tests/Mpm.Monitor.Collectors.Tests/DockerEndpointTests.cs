using Mpm.Monitor.Collectors.Docker;

namespace Mpm.Monitor.Collectors.Tests;

public sealed class DockerEndpointTests
{
    [Theory]
    [InlineData("unix:///var/run/docker.sock", "/var/run/docker.sock", "http://docker.sock/")]
    [InlineData("tcp://127.0.0.1:2375", null, "http://127.0.0.1:2375/")]
    [InlineData("tcp://localhost:80", null, "http://localhost/")]
    [InlineData("tcp://[::1]:2376/", null, "http://[::1]:2376/")]
    public void Accepts_unix_sockets_and_tcp_with_a_port(string value, string? socketPath, string baseAddress)
    {
        Assert.True(DockerEndpoint.TryParse(value, out var endpoint, out var error), error);
        Assert.Equal(socketPath, endpoint.SocketPath);
        Assert.Equal(new Uri(baseAddress), endpoint.BaseAddress);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("unix://docker.sock", "absolute path")]
    [InlineData("tcp://localhost", "with a port number")]
    [InlineData("tcp://localhost:0", "with a port number")]
    [InlineData("tcp://localhost:99999", "with a port number")]
    [InlineData("tcp://[::1]", "with a port number")]
    [InlineData("npipe:////./pipe/docker_engine", "not supported")]
    [InlineData("http://localhost:2375", "not supported")]
    public void Rejects_anything_else_saying_what_is_expected(string value, string expected)
    {
        Assert.False(DockerEndpoint.TryParse(value, out _, out var error));
        Assert.Contains(expected, error);
        Assert.Contains("docker.endpoint", error);
    }
}
