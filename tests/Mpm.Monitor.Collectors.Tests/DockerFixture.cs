using System.Net.Sockets;

namespace Mpm.Monitor.Collectors.Tests;

/// <summary>
/// The real Docker engine the tests run containers on. Every container gets this run's unique
/// name prefix and is removed when the tests finish, whatever happened.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public const string SocketPath = "/var/run/docker.sock";
    public const string Endpoint = "unix://" + SocketPath;
    private const string Missing = "start Docker: scripts/start-docker.sh (apt-get install docker.io busybox-static)";

    private readonly List<string> _names = [];
    private readonly Lock _gate = new();

    public string Prefix { get; } = $"mpmtest-{Guid.NewGuid():N}"[..20];

    public async Task InitializeAsync()
    {
        if (!File.Exists(SocketPath))
        {
            throw new InvalidOperationException($"no Docker socket at {SocketPath}: {Missing}");
        }
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
            await DockerCli.RunAsync("image", "inspect", "--format", "{{.Id}}", "local/busybox");
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Docker engine or local/busybox image not ready ({ex.Message}): {Missing}", ex);
        }
    }

    /// <summary>Starts a detached busybox container without network; returns its full id.</summary>
    public async Task<(string Id, string Name)> RunAsync(string[] dockerOptions, params string[] command)
    {
        var name = $"{Prefix}-{_names.Count}-{Guid.NewGuid():N}"[..40];
        lock (_gate)
        {
            _names.Add(name);
        }
        string[] arguments = ["run", "-d", "--network=none", "--name", name, .. dockerOptions, "local/busybox", "/bin/busybox", .. command];
        var id = await DockerCli.RunAsync(arguments);
        return (id, name);
    }

    public Task<(string Id, string Name)> RunAsync(params string[] command) => RunAsync([], command);

    public async Task DisposeAsync()
    {
        string[] names;
        lock (_gate)
        {
            names = [.. _names];
        }
        if (names.Length > 0)
        {
            await DockerCli.RunAsync(["rm", "-f", .. names]);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "docker";
}
