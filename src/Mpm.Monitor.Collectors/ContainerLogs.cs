using Mpm.Monitor.Collectors.Docker;

namespace Mpm.Monitor.Collectors;

/// <summary>Reads a container's recent log lines for <c>GET /api/containers/{id}/logs</c>.</summary>
public sealed class ContainerLogs
{
    public const int DefaultTail = 100;
    public const int MaxTail = 10_000;

    private readonly DockerClient? _client;

    internal ContainerLogs(DockerClient? client)
    {
        _client = client;
    }

    /// <summary>The last <paramref name="tail"/> lines of stdout and stderr, oldest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tail"/> is outside 0..<see cref="MaxTail"/>.</exception>
    /// <exception cref="ContainerNotFoundException">no container has that id or name.</exception>
    /// <exception cref="DockerUnavailableException">the engine cannot be reached or Docker is disabled.</exception>
    public Task<IReadOnlyList<string>> ReadAsync(string containerId, int tail, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tail);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tail, MaxTail);
        if (_client is null)
        {
            throw new DockerUnavailableException("Docker is disabled (docker.enabled: false)");
        }
        return _client.ReadLogLinesAsync(containerId, tail, cancellationToken);
    }
}
