using Mpm.Monitor.Collectors.Docker;
using Mpm.Monitor.Collectors.Payloads;

namespace Mpm.Monitor.Collectors;

/// <summary>
/// The most recent samples, for <c>GET /api/containers</c>, <c>GET /api/system</c> and the
/// Socket.IO <c>get_state</c> reply. Null until the first sample is taken.
/// </summary>
public sealed class LatestStats(DockerStatusSource docker)
{
    private ContainerStatsPayload? _containers;
    private SystemStatsPayload? _system;

    public ContainerStatsPayload? Containers => Volatile.Read(ref _containers);

    public SystemStatsPayload? System => Volatile.Read(ref _system);

    /// <summary>
    /// What <c>GET /api/containers</c> and <c>get_state</c> show: the latest containers while the
    /// engine is healthy — none while it is unavailable or disabled — and the engine's status.
    /// </summary>
    public ContainersSnapshot ContainersSnapshot()
    {
        var status = docker.Status;
        return new ContainersSnapshot(status == DockerStatusSource.Healthy ? Containers?.Containers ?? [] : [], status);
    }

    internal void Set(ContainerStatsPayload payload) => Volatile.Write(ref _containers, payload);

    internal void Set(SystemStatsPayload payload) => Volatile.Write(ref _system, payload);
}
